// The packaging contract in package.json `contributes`: every file it names exists and agrees with
// it, and the language configuration behaves as documented.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readText = (path: string) => readFileSync(new URL(path, root), 'utf8');
// NOTE: language-configuration.json is JSONC; it only uses full-line `//` comments, which is all
// this strips.
const readJsonc = (path: string) => JSON.parse(readText(path).replace(/^\s*\/\/.*$/gm, ''));

const pkg = JSON.parse(readText('package.json'));
const language = pkg.contributes.languages.find((l: { id: string }) => l.id === 'nftables');

describe('package.json contributes', () => {
  it('declares the nftables language for its files and activates on it', () => {
    expect(language.extensions).toEqual(expect.arrayContaining(['.nft', '.nftables']));
    expect(language.filenames).toContain('nftables.conf');
    expect(pkg.activationEvents).toContain('onLanguage:nftables');
  });

  it('recognises nft shebangs by the first line', () => {
    const firstLine = new RegExp(language.firstLine);
    for (const line of ['#!/usr/sbin/nft -f', '#!/usr/bin/nft -f', '#!/usr/sbin/nft -I /etc/nftables.d -f', '#!/usr/sbin/nft -cf', '#!/usr/sbin/nft --file', '#!/usr/bin/env -S nft -f']) {
      expect(firstLine.test(line), line).toBe(true);
    }
    for (const line of ['#!/bin/sh', '#!/usr/sbin/nft', '#!/usr/sbin/nftables-wrapper -f', '# nft -f']) {
      expect(firstLine.test(line), line).toBe(false);
    }
  });

  it('points at files that exist and agree with it', () => {
    const grammar = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'nftables');
    expect(JSON.parse(readText(grammar.path)).scopeName).toBe(grammar.scopeName);
    expect(grammar.scopeName).toBe('source.nftables');
    expect(existsSync(new URL(language.configuration, root))).toBe(true);
    for (const snippets of pkg.contributes.snippets) expect(existsSync(new URL(snippets.path, root))).toBe(true);
  });

  it('ships a 128x128 PNG icon', () => {
    const png = readFileSync(new URL(pkg.icon, root));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
  });

  it('keeps every setting under nftablesOffload. with a scope and a description', () => {
    const properties: Record<string, { scope?: string; description?: string; markdownDescription?: string }> =
      pkg.contributes.configuration.properties;
    expect(Object.keys(properties).sort()).toEqual([
      'nftablesOffload.includePaths',
      'nftablesOffload.nftPath',
      'nftablesOffload.remote.refreshSeconds',
      'nftablesOffload.remote.rollbackSeconds',
      'nftablesOffload.remote.routers',
      'nftablesOffload.runNftCheck',
      'nftablesOffload.severityOverrides',
      'nftablesOffload.trace.server',
    ]);
    for (const [key, property] of Object.entries(properties)) {
      expect(property.scope, key).toBeTruthy();
      expect(property.description ?? property.markdownDescription, key).toBeTruthy();
    }
  });

  it('accepts the router URLs that the remote layer parses', () => {
    const routers = pkg.contributes.configuration.properties['nftablesOffload.remote.routers'];
    const url = new RegExp(routers.items.properties.url.pattern);
    for (const ok of ['ssh://root@192.168.1.1:22', 'ssh://router', 'ssh://root@[fd00::1]:2222']) expect(url.test(ok), ok).toBe(true);
    for (const bad of ['http://router', 'ssh://a b', 'root@router']) expect(url.test(bad), bad).toBe(false);
  });
});

describe('language-configuration.json', () => {
  const config = readJsonc('language-configuration.json');

  it('selects whole words the way nft lexes them, and whole addresses', () => {
    const words = 'iifname br-lan oifname eth0.10 ip saddr 10.0.0.0/8 ip6 daddr fe80::/10 ::ffff:1.2.3.4 ether saddr 00:11:22:aa:bb:cc timeout 1h30m @ft $lan_if;'
      .match(new RegExp(config.wordPattern, 'g'));
    expect(words).toEqual([
      'iifname', 'br-lan', 'oifname', 'eth0.10', 'ip', 'saddr', '10.0.0.0/8', 'ip6', 'daddr', 'fe80::/10',
      '::ffff:1.2.3.4', 'ether', 'saddr', '00:11:22:aa:bb:cc', 'timeout', '1h30m', 'ft', 'lan_if',
    ]);
  });

  it('indents after an unclosed brace only', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    expect(increase.test('table inet filter {')).toBe(true);
    expect(increase.test('\tchain input { # comment')).toBe(true);
    expect(increase.test('\tdevices = {')).toBe(true);
    expect(increase.test('\tct state vmap { established : accept }')).toBe(false);
    expect(increase.test('\tlog prefix "{ oops"')).toBe(false);
    expect(new RegExp(config.indentationRules.decreaseIndentPattern).test('\t}')).toBe(true);
  });

  it('uses # line comments', () => {
    expect(config.comments.lineComment).toBe('#');
  });
});
