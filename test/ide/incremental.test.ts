// Incremental syntax (one block re-parsed per edit), block-by-block first parse, and the
// edit log that moves old results onto new text: each checked against a full parse.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { parseBlockAt, reparseChange, syntaxStateOf, type SyntaxState } from '../../server/src/ide/incremental-syntax';
import { chunkedSyntax } from '../../server/src/ide/chunked-syntax';
import { EditLog } from '../../server/src/ide/edit-log';
import { refusalReason } from '../../server/src/ide/limits';

/** A ruleset shaped like the benchmark's (a big set, a verdict map, many chains), small enough for a test. */
function generated(chains: number, elements: number): string {
  const out = ['#!/usr/sbin/nft -f', 'flush ruleset', '', 'define LAN = "lan0"', '', 'table inet filter {', '\tflowtable ft {', '\t\thook ingress priority filter', '\t\tdevices = { $LAN, wan0 }', '\t}', ''];
  out.push('\tset blocklist {', '\t\ttype ipv4_addr', '\t\tflags interval', '\t\telements = {');
  for (let i = 0; i < elements; i++) out.push(`\t\t\t10.${(i >> 8) & 255}.${i & 255}.0/24${i + 1 < elements ? ',' : ''}`);
  out.push('\t\t}', '\t}', '', '\tmap svc {', '\t\ttype inet_service : verdict', '\t\telements = {');
  for (let s = 0; s < chains; s++) out.push(`\t\t\t${1024 + s} : jump svc_${s}${s + 1 < chains ? ',' : ''}`);
  out.push('\t\t}', '\t}', '');
  for (let s = 0; s < chains; s++) {
    out.push(`\tchain svc_${s} {`, `\t\tip saddr 192.168.${s % 256}.0/24 counter accept comment "service ${s}"`, `\t\ttcp dport { ${s + 1}, ${s + 1001} } ct state new accept`, '\t\treturn', '\t}', '');
  }
  out.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '\t\tmeta l4proto { tcp, udp } flow add @ft', '\t\ttcp dport vmap @svc', '\t}', '}', 'add rule inet filter forward counter', '');
  return out.join('\n');
}

const key = (s: SyntaxState) => JSON.stringify(s.findings.map((f) => [f.code, f.span.start, f.span.end, f.message]));
const bounds = (s: SyntaxState) => JSON.stringify(s.items.map((i) => [i.kind, i.start, i.end, i.headerEnd, i.children?.map((c) => [c.kind, c.start, c.end])]));

describe('incremental syntax: one block re-parsed per edit', () => {
  it('matches a full parse after each of 200 random edits (or declines)', () => {
    const base = generated(60, 300);
    const baseState = syntaxStateOf(base, parseRuleset(base));
    let text = base;
    let state = baseState;
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pieces = [' ', '', 'x', '}', '{', 'accept ', '"', '#c\n', ';', 'jump ', '\n', 'ip saddr', '(', 'chain q {'];
    let local = 0;
    for (let i = 0; i < 200; i++) {
      const start = rnd(text.length);
      const len = rnd(3);
      const ins = pieces[rnd(pieces.length)];
      const next = text.slice(0, start) + ins + text.slice(start + len);
      const inc = reparseChange(state, next, { start, end: start + len, inserted: ins.length });
      const full = syntaxStateOf(next, parseRuleset(next));
      if (inc) {
        local++;
        expect(key(inc), `edit ${i}: ${JSON.stringify(ins)} at ${start}`).toBe(key(full));
        expect(bounds(inc)).toBe(bounds(full));
      }
      // Chains of edits, restarted now and then: one stray brace makes every later edit non-local.
      [text, state] = i % 8 === 7 ? [base, baseState] : [next, full];
    }
    expect(local).toBeGreaterThan(30);
  });
  it('an edit inside a chain re-parses that chain only and keeps later findings, shifted', () => {
    const base = generated(5, 10).replace('\t\treturn\n\t}\n\n\tchain svc_4 {', '\t\treturn bogus\n\t}\n\n\tchain svc_4 {');
    const state = syntaxStateOf(base, parseRuleset(base));
    expect(state.findings).toHaveLength(1);
    const at = base.indexOf('ct state new accept');
    const next = base.slice(0, at) + 'ct state new accept (' + base.slice(at + 'ct state new accept'.length);
    const inc = reparseChange(state, next, { start: at, end: at + 19, inserted: 21 })!;
    expect(inc).toBeDefined();
    expect(key(inc)).toBe(key(syntaxStateOf(next, parseRuleset(next))));
    expect(inc.findings).toHaveLength(2);
  });
  it('declines edits that change block boundaries or open a string', () => {
    const text = generated(3, 5);
    const state = syntaxStateOf(text, parseRuleset(text));
    const brace = text.indexOf('\t}\n\n\tchain svc_1') + 1;
    expect(reparseChange(state, text.slice(0, brace) + text.slice(brace + 1), { start: brace, end: brace + 1, inserted: 0 })).toBeUndefined();
    const q = text.indexOf('counter accept');
    expect(reparseChange(state, text.slice(0, q) + '"' + text.slice(q), { start: q, end: q, inserted: 1 })).toBeUndefined();
  });
  it('parses just the block under the cursor, in document offsets', () => {
    const text = generated(4, 5);
    const at = text.indexOf('tcp dport { 3,');
    const p = parseBlockAt(syntaxStateOf(text, parseRuleset(text)), text, at)!;
    expect(p.findings).toEqual([]);
    expect(p.tokens.some((t) => t.startOffset === at && t.image === 'tcp')).toBe(true);
  });
});

describe('block-by-block first parse (large files)', () => {
  it('gives the findings and blocks of a full parse', () => {
    for (const text of [generated(40, 200), readFileSync(join(__dirname, '../../examples/home-router.nft'), 'utf8'), generated(10, 10).replace('counter accept comment "service 3"', 'counter acept')]) {
      const c = chunkedSyntax(text)!;
      const full = syntaxStateOf(text, parseRuleset(text));
      expect(c).toBeDefined();
      expect(key(c)).toBe(key(full));
      expect(bounds(c)).toBe(bounds(full));
    }
  });
  it('declines text its block scanner cannot split (unbalanced braces)', () => {
    expect(chunkedSyntax('table ip t {\n\tchain c {\n\t\taccept\n')).toBeUndefined();
  });
});

describe('edit log', () => {
  it('maps old offsets and spans forward, and cursors back', () => {
    const log = new EditLog();
    log.push({ version: 2, start: 10, end: 10, inserted: 3 }); // insert 3 at 10
    log.push({ version: 3, start: 20, end: 25, inserted: 1 }); // replace 5 by 1 at 20 (in v2 text)
    const m = log.forward(1)!;
    expect(m.offset(5)).toBe(5);
    expect(m.offset(10)).toBe(10);
    expect(m.offset(11)).toBe(14);
    expect(m.span({ start: 11, end: 15 })).toEqual({ start: 14, end: 18 });
    expect(m.span({ start: 16, end: 19 })).toBeUndefined(); // 19 → 22 lies in the replaced range of v3
    expect(m.offset(30)).toBe(29);
    expect(m.back(29)).toBe(30);
    expect(m.back(11)).toBeUndefined(); // inside inserted text
    expect(log.forward(2)!.offset(26)).toBe(22);
    expect(log.forward(2)!.offset(22)).toBeUndefined();
    expect(log.forward(3)!.identity).toBe(true);
  });
});

describe('size limits', () => {
  it('refuses huge or binary-looking text, not small junk', () => {
    expect(refusalReason('x'.repeat(100), 50)).toMatch(/above the/);
    const junk = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => i % 256));
    expect(refusalReason(junk.repeat(300), 16 << 20)).toMatch(/looks binary/);
    expect(refusalReason(junk.repeat(10), 16 << 20)).toBeUndefined();
    expect(refusalReason(generated(200, 20000), 16 << 20)).toBeUndefined();
  });
});
