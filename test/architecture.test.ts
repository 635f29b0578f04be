// Layering as data (style.md "Layout"): each layer may import only the layers listed
// here, only lsp/ speaks LSP, and the client takes only pure modules from the server.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SERVER = join(ROOT, 'server/src');

const ALLOWED: Record<string, string[]> = {
  core: [],
  syntax: ['core'],
  semantics: ['core', 'syntax'],
  offload: ['core', 'syntax', 'semantics'],
  analysis: ['core', 'syntax', 'semantics', 'offload', 'nft', 'workspace'],
  ide: ['core', 'syntax', 'semantics', 'offload', 'analysis'],
  lsp: ['core', 'syntax', 'semantics', 'offload', 'analysis', 'ide', 'nft', 'workspace', 'remote'],
  cli: ['core', 'syntax', 'semantics', 'offload', 'analysis', 'nft', 'remote', 'workspace', 'lsp', 'preview'],
  nft: ['core'],
  remote: ['core', 'nft'],
  workspace: ['core', 'semantics'],
  preview: ['core', 'syntax', 'semantics', 'offload', 'remote'],
};

/** Server modules the VS Code client may bundle (pure, no LSP types). */
const CLIENT_MAY_USE = ['remote', 'nft', 'preview', 'lsp/protocol'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) out.push(m[1]);
  return out;
}

describe('architecture', () => {
  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer}/ imports only ${ALLOWED[layer].join(', ') || 'nothing of ours'}`, () => {
      const bad: string[] = [];
      for (const f of tsFiles(join(SERVER, layer))) {
        for (const spec of imports(f)) {
          if (spec.startsWith('vscode-languageserver') && layer !== 'lsp') bad.push(`${relative(ROOT, f)} → ${spec} (only lsp/ speaks LSP)`);
          if (spec === 'vscode') bad.push(`${relative(ROOT, f)} → vscode`);
          if (!spec.startsWith('.')) continue;
          const abs = resolve(dirname(f), spec);
          if (abs === join(ROOT, 'package.json')) continue; // the version string
          const target = relative(SERVER, abs).split(sep)[0];
          if (target !== layer && !ALLOWED[layer].includes(target)) bad.push(`${relative(ROOT, f)} → ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('client/ takes only pure server modules', () => {
    const bad: string[] = [];
    for (const f of tsFiles(join(ROOT, 'client/src'))) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) {
          if (!(spec === 'vscode' || spec.startsWith('vscode-languageclient') || spec.startsWith('node:'))) bad.push(`${relative(ROOT, f)} → ${spec}`);
          continue;
        }
        const abs = resolve(dirname(f), spec);
        if (!abs.startsWith(SERVER)) continue;
        const rel = relative(SERVER, abs).split(sep).join('/');
        if (!CLIENT_MAY_USE.some((m) => rel === m || rel.startsWith(m + '/'))) bad.push(`${relative(ROOT, f)} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
