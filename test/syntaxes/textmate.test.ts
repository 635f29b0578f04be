import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTokens, scopeOf, tokenize } from './render-tokens';

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir).filter((name) => name.endsWith('.nft'));

describe('TextMate grammar: fixture token dumps', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of fixtures) {
    it(name, async () => {
      const text = readFileSync(new URL(name, fixtureDir), 'utf8');
      await expect(await renderTokens(text)).toMatchFileSnapshot(`./fixtures/${name.replace(/\.nft$/, '.tokens.txt')}`);
    });
  }
});

// Spot checks on the scopes that matter most, so a careless `vitest -u` cannot bless a regression
// in them.
describe('TextMate grammar: key scopes', () => {
  const scopesOn = async (line: string) => tokenize(line);

  it('paints `flow add @ft` and `flow offload @ft` as a statement on a flowtable', async () => {
    for (const verb of ['add', 'offload']) {
      const tokens = await scopesOn(`meta l4proto { tcp, udp } flow ${verb} @ft`);
      expect(scopeOf(tokens, 1, 'flow')).toBe('support.function.statement.flow.nftables');
      expect(scopeOf(tokens, 1, verb)).toBe('support.function.statement.flow.nftables');
      expect(scopeOf(tokens, 1, 'ft')).toBe('variable.other.flowtable.nftables');
    }
  });

  it('names declarations in block headers', async () => {
    const tokens = await scopesOn('table inet filter { flowtable ft { hook ingress priority 0; }; chain fwd_x { jump other; }; }');
    expect(scopeOf(tokens, 1, 'inet')).toBe('support.type.family.nftables');
    expect(scopeOf(tokens, 1, 'filter')).toBe('entity.name.namespace.table.nftables');
    expect(scopeOf(tokens, 1, 'ft')).toBe('entity.name.variable.flowtable.nftables');
    expect(scopeOf(tokens, 1, 'ingress')).toBe('support.constant.hook.nftables');
    expect(scopeOf(tokens, 1, 'fwd_x')).toBe('entity.name.function.chain.nftables');
    expect(scopeOf(tokens, 1, 'other')).toBe('entity.name.function.chain.nftables');
  });

  it('does not read a `set` statement as a set declaration', async () => {
    const tokens = await scopesOn('meta mark set ip saddr map { 10.0.0.1 : 1 }');
    expect(scopeOf(tokens, 1, 'set')).toBe('keyword.operator.assignment.set.nftables');
    expect(scopeOf(tokens, 1, 'map')).toBe('keyword.operator.map.nftables');
    expect(scopeOf(tokens, 1, 'saddr')).toBe('support.variable.field.nftables');
  });

  it('recognises addresses, prefixes and times', async () => {
    const tokens = await scopesOn('ip6 saddr 2001:db8::/32 ether saddr 00:11:22:aa:bb:cc ip daddr 10.0.0.0/8 timeout 1h30m');
    expect(scopeOf(tokens, 1, '2001:db8::')).toBe('constant.other.ip-address.ipv6.nftables');
    expect(scopeOf(tokens, 1, '32')).toBe('constant.numeric.prefix-length.nftables');
    expect(scopeOf(tokens, 1, '00:11:22:aa:bb:cc')).toBe('constant.other.mac-address.nftables');
    expect(scopeOf(tokens, 1, '10.0.0.0')).toBe('constant.other.ip-address.ipv4.nftables');
    expect(scopeOf(tokens, 1, '1h30m')).toBe('constant.numeric.time.nftables');
  });

  it('treats words the way nft lexes them', async () => {
    // `wan-ip` and `eth0.10` are single words to nft, so no keyword or number inside them.
    const tokens = await scopesOn('iifname eth0.10 oifname wan-ip accept');
    expect(scopeOf(tokens, 1, 'eth0.10')).toBeUndefined();
    expect(scopeOf(tokens, 1, 'wan-ip')).toBeUndefined();
    expect(scopeOf(tokens, 1, 'accept')).toBe('keyword.control.verdict.nftables');
  });

  it('marks line continuations, and a backslash before trailing blanks as invalid', async () => {
    const tokens = await scopesOn('tcp dport 22 \\\n  accept \\ ');
    expect(scopeOf(tokens, 1, '\\')).toBe('constant.character.escape.line-continuation.nftables');
    expect(scopeOf(tokens, 2, '\\')).toBe('invalid.illegal.line-continuation.nftables');
  });

  it('keeps `#` inside strings and starts a comment after code', async () => {
    const tokens = await scopesOn('log prefix "drop #1: " # trailing');
    expect(tokens.some((t) => t.text.includes('#1') && t.scopes.includes('string.quoted.double.nftables'))).toBe(true);
    expect(tokens.at(-1)?.scopes).toContain('comment.line.number-sign.nftables');
  });

  it('recognises the shebang only on the first line', async () => {
    const tokens = await scopesOn('#!/usr/sbin/nft -f\n#!/not/a/shebang');
    expect(tokens[0]?.scopes).toContain('comment.line.shebang.nftables');
    expect(tokens.filter((t) => t.line === 2).every((t) => !t.scopes.includes('comment.line.shebang.nftables'))).toBe(true);
  });
});
