// analyzeFile is the pipeline the CLI and the LSP share: real parser, real semantics, and an
// in-memory include resolver (the semantics layer's own injection point; no file system here).
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../server/src/analysis';
import type { IncludeResolver } from '../../server/src/semantics';

const memory = (files: Record<string, string>): IncludeResolver => ({
  resolve: (_from, pattern) => {
    const path = `/mem/${pattern}`;
    return path in files ? { files: [{ path, text: files[path] }] } : { error: `File not found: ${pattern}` };
  },
});

const summary = (r: ReturnType<typeof analyzeFile>) =>
  [...r.files.values()].map((f) => [f.path, f.findings.map((x) => `${x.code} ${f.text.slice(x.span.start, x.span.end)}`)]);

describe('analyzeFile', () => {
  // Hang guards, as for the bogons: these took 28 s and 33 s while findings and references were
  // de-duplicated by scanning every earlier one. Linear, each takes about a second.
  it('a set and a chain named by 40k rules: every reference kept, in well under 10 s', () => {
    const n = 40_000;
    const rules = Array.from({ length: n }, (_, i) => `\t\tip saddr @s tcp dport ${i % 65535} jump c2`).join('\n');
    const text = `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\tchain c2 {\n\t}\n\tchain c {\n${rules}\n\t}\n}\n`;
    const t0 = performance.now();
    const r = analyzeFile('/mem/refs.nft', text, { resolver: memory({}), keepTokens: false });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.files.get('/mem/refs.nft')!.findings).toEqual([]);
    const refs = (kind: string, name: string) => r.model?.symbols.find((x) => x.kind === kind && x.name === name)?.references.length;
    expect(refs('set', 's')).toBe(n);
    expect(refs('chain', 'c2')).toBe(n);
  });

  it('100k mistyped set elements: one finding each, in well under 10 s', () => {
    const n = 100_000;
    const elements = Array.from({ length: n }, (_, i) => `2001:db8::${i >> 16}:${(i & 0xffff).toString(16)}`).join(',\n');
    const text = `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {\n${elements}\n\t\t}\n\t}\n}\n`;
    const t0 = performance.now();
    const r = analyzeFile('/mem/bad.nft', text, { resolver: memory({}), keepTokens: false });
    expect(performance.now() - t0).toBeLessThan(10_000);
    const findings = r.files.get('/mem/bad.nft')!.findings;
    expect(findings).toHaveLength(n);
    expect(new Set(findings.map((f) => f.code)).size).toBe(1);
  });

  it('a flat 20k-rule chain with a flowtable: offload analysis in well under 15 s', () => {
    // Took about 50 s: every rule searched the chain for an earlier flow add (OFF006's fix), and
    // predictFlow walked all 20k rules in each of its 32 exploring runs.
    const n = 20_000;
    const lines = ['add table inet f', 'add chain inet f fw { type filter hook forward priority 0; }', 'add flowtable inet f ft { hook ingress priority 0; devices = { lo }; }'];
    for (let i = 0; i < n; i++) lines.push(`add rule inet f fw ip saddr 10.0.${(i >> 8) & 255}.${i & 255} counter accept`);
    lines.push('add rule inet f fw meta l4proto { tcp, udp } flow add @ft');
    const text = lines.join('\n') + '\n';
    const t0 = performance.now();
    const r = analyzeFile('/mem/flat.nft', text, { resolver: memory({}), keepTokens: false });
    expect(performance.now() - t0).toBeLessThan(15_000);
    const findings = r.files.get('/mem/flat.nft')!.findings;
    expect(findings.filter((f) => f.code === 'OFF006')).toHaveLength(n);
    expect(findings.filter((f) => /internal error/.test(f.message))).toEqual([]);
  });

  it('checks a 300k-entry blocklist without an internal error (arguments spread past the call stack)', () => {
    const n = 300_000;
    const elements = Array.from({ length: n }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    // One half in the declaration, the other spliced in from a define, plus a few bad entries.
    const text =
      `define MORE = { ${elements.slice(n / 2).join(',\n')} }\n` +
      `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {\n${elements.slice(0, n / 2).join(',\n')},\n$MORE,\n::1\n\t\t}\n\t}\n}\n`;
    const r = analyzeFile('/mem/big.nft', text, { resolver: memory({}), keepTokens: false });
    const findings = r.files.get('/mem/big.nft')!.findings;
    expect(findings.filter((f) => /internal error/.test(f.message))).toEqual([]);
    expect(findings.map((f) => `${f.code} ${text.slice(f.span.start, f.span.end)}`)).toEqual([expect.stringMatching(/^SEM\d{3} ::1$/)]);
    const set = r.model?.tables.get('ip t')?.sets.get('s');
    expect(set?.elements.length).toBe(n + 1);
  });

  it('reports findings of included files under their own path, entry first', () => {
    const r = analyzeFile('/mem/main.nft', 'include "inc.nft"\ntable ip t {\n\tchain c {\n\t\tjump\n\t}\n}\n', {
      resolver: memory({ '/mem/inc.nft': 'table ip u {\n\tchain c {\n\t\tjump nowhere\n\t}\n}\n' }),
    });
    expect(summary(r)).toEqual([
      ['/mem/main.nft', [expect.stringMatching(/^SYN001 /)]],
      ['/mem/inc.nft', [expect.stringMatching(/^SEM\d{3} nowhere$/)]],
    ]);
    expect(r.model?.files.size).toBe(2);
    expect(r.parse?.ast.kind).toBe('Ruleset');
    for (const f of r.files.values()) for (const x of f.findings) expect(x.file).toBe(f.path);
  });

  it('a resolver that throws does not escape: the file is still checked', () => {
    const throwing: IncludeResolver = {
      resolve: () => {
        throw new Error('boom');
      },
    };
    const r = analyzeFile('/mem/main.nft', 'include "x.nft"\ntable ip t {\n\tchain c {\n\t\tjump\n\t}\n}\n', { resolver: throwing });
    const codes = r.files.get('/mem/main.nft')!.findings.map((f) => f.code);
    expect(codes).toContain('SYN001');
    expect(r.files.get('/mem/main.nft')!.findings.some((f) => /internal error/.test(f.message) && /boom/.test(f.message))).toBe(true);
  });
});
