import { describe, expect, it } from 'vitest';
import { completionLabels, cursor, hoverText, modelOf } from './check';
import { parseRuleset } from '../../server/src/syntax/parse';
import { LineIndex } from '../../server/src/core/line-index';
import { renameEdits, unresolvedRefs } from '../../server/src/ide/symbols';
import { buildRulesetModel, symbolHitAt, type IncludeResolver } from '../../server/src/semantics';
import { representativePredictions } from '../../server/src/offload';
import { foldingRanges, outline, selectionSpans } from '../../server/src/ide/structure';
import { semanticTokens } from '../../server/src/ide/semantic-tokens';
import { missingDeclarationActions } from '../../server/src/ide/actions';
import { flowAddHints, flowLenses, inlayHints, type FlowView } from '../../server/src/ide/lens';
import { expandGlob, resolveInclude, type IncludeFs } from '../../server/src/ide/includes';
import { applyOverrides } from '../../server/src/ide/findings';

const RULESET = `define LAN = "lan0"
table inet filter {
	flowtable ft {
		hook ingress priority filter
		devices = { lan0, wan0 }
	}
	set allowed {
		type ipv4_addr
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established flow add @ft
		iifname $LAN ip saddr @allowed jump lan_fwd
	}
	chain lan_fwd {
		accept
	}
}
`;
const at = (marker: string) => RULESET.replace(marker, marker.replace('|', '$0')).replace('|', '');

describe('hover', () => {
  const cases: [string, RegExp][] = [
    [RULESET.replace('ip saddr', 'ip sa$0ddr'), /ipv4_addr[\s\S]*IPv4 source address/],
    [RULESET.replace('ct state', 'c$0t state'), /ct state[\s\S]*Conntrack state/],
    [RULESET.replace('established flow', 'establ$0ished flow'), /first|both directions/],
    [RULESET.replace('policy drop', 'policy dr$0op'), /discard/],
    [RULESET.replace('jump lan_fwd', 'jump lan_f$0wd'), /\*\*chain\*\* `lan_fwd` in `inet filter`[\s\S]*chain lan_fwd \{/],
    [RULESET.replace('iifname $LAN', () => 'iifname $L$0AN'), /define LAN = "lan0"/],
    [RULESET.replace('@ft', '@f$0t'), /flowtable\*\* `ft`/],
    [RULESET.replace('hook forward', 'hook forw$0ard'), /./],
  ];
  for (const [input, expected] of cases) {
    it(input.slice(input.indexOf('$0') - 12, input.indexOf('$0') + 8).replace(/\s+/g, ' '), () => {
      expect(hoverText(input) ?? '').toMatch(expected);
    });
  }
  it('keyword hover', () => expect(hoverText('table inet t {\n\tchain c {\n\t\tcou$0nter accept\n\t}\n}\n')).toMatch(/Counts packets/));
  void at;
});

describe('completion', () => {
  const has = (input: string, ...labels: string[]) => {
    const got = completionLabels(input);
    for (const l of labels) expect(got, `${l} in ${got.slice(0, 30).join(',')}`).toContain(l);
  };
  it('payload fields after ip', () => has(RULESET.replace('ip saddr @allowed', 'ip $0'), 'saddr', 'daddr', 'protocol'));
  it('fields after tcp', () => has(RULESET.replace('ip saddr @allowed', 'tcp d$0'), 'dport', 'sport', 'flags'));
  it('ct state values', () => has(RULESET.replace('ct state established', 'ct state $0'), 'established', 'related', 'new'));
  it('ct state list', () => has(RULESET.replace('ct state established', 'ct state established,$0'), 'related'));
  it('sets after @', () => has(RULESET.replace('@allowed', '@$0'), 'allowed'));
  it('flowtables after flow add @', () => {
    const got = completionLabels(RULESET.replace('flow add @ft', 'flow add @$0'));
    expect(got).toEqual(['ft']);
  });
  it('chains after jump', () => has(RULESET.replace('jump lan_fwd', 'jump $0'), 'lan_fwd', 'forward'));
  it('defines after $', () => has(RULESET.replace('$LAN', () => '$$0'), 'LAN'));
  it('priorities', () => has(RULESET.replace('priority filter;', 'priority $0;'), 'filter', 'raw', 'srcnat'));
  it('chain body keywords', () => has(RULESET.replace('\t\taccept\n', '\t\t$0\n'), 'accept', 'ip', 'counter', 'meta', 'type'));
  it('table body keywords', () => has(RULESET.replace('\tset allowed', '\t$0\n\tset allowed'), 'chain', 'set', 'map', 'flowtable'));
  it('top level keywords', () => has('$0', 'table', 'define', 'include'));
  it('hooks', () => has('table ip t {\n\tchain c {\n\t\ttype filter hook $0', 'input', 'forward'));
  it('set body', () => has('table ip t {\n\tset s {\n\t\t$0\n\t}\n}', 'type', 'flags', 'elements'));
});

describe('symbols, rename, actions (semantic model)', () => {
  const model = modelOf(RULESET, 'f.nft');
  it('chain references across the file', () => {
    const hit = symbolHitAt(model, 'f.nft', RULESET.indexOf('lan_fwd'))!;
    expect(hit.symbol.kind).toBe('chain');
    expect(hit.symbol.declarations).toHaveLength(1);
    expect(hit.symbol.references).toHaveLength(1);
    const edits = renameEdits(hit.symbol, 'lan_forward');
    expect(Array.isArray(edits) && edits.length).toBe(2);
    expect(renameEdits(hit.symbol, 'bad name')).toMatch(/not a valid/);
  });
  it('defines, sets and flowtables are referenced', () => {
    for (const [name, kind] of [['LAN', 'define'], ['allowed', 'set'], ['ft', 'flowtable']] as const) {
      const s = model.symbols.find((x) => x.name === name && x.kind === kind)!;
      expect(s.references.length, name).toBe(1);
    }
  });
  it('renaming a define keeps the `$` of its uses', () => {
    const s = model.symbols.find((x) => x.name === 'LAN' && x.kind === 'define')!;
    const edits = renameEdits(s, 'INSIDE') as { span: { start: number; end: number }; newText: string }[];
    let out = RULESET;
    for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    expect(out).toContain('define INSIDE = "lan0"');
    expect(out).toContain('iifname $INSIDE ip saddr');
  });
  it('symbols across files (includes), rename edits both', () => {
    const a = 'define X = 1\n';
    const b = 'include "a.nft"\ntable ip t {\n\tchain c {\n\t\tmeta mark $X\n\t}\n}\n';
    const resolver: IncludeResolver = { resolve: (_f, p) => (p === 'a.nft' ? { files: [{ path: 'a.nft', text: a }] } : { error: `File not found: ${p}` }) };
    const m = buildRulesetModel({ path: 'b.nft', text: b }, resolver);
    const s = m.symbols.find((x) => x.name === 'X')!;
    expect(s.declarations[0].file).toBe('a.nft');
    expect(s.references[0].file).toBe('b.nft');
    const edits = renameEdits(s, 'Y') as { file: string; newText: string }[];
    expect(edits.map((e) => `${e.file}:${e.newText}`)).toEqual(['a.nft:Y', 'b.nft:$Y']);
  });
  it('add missing declaration for an undefined set and chain', () => {
    const t = 'table ip t {\n\tchain c {\n\t\tip saddr @nope jump gone\n\t}\n}\n';
    const p = parseRuleset(t);
    const unresolved = unresolvedRefs(modelOf(t, 'x').findings, 'x', () => t);
    const acts = missingDeclarationActions('x', t, p.ast, new LineIndex(t), unresolved, { start: 0, end: t.length });
    expect(acts.map((a) => a.title)).toEqual(['Add missing declaration: set nope', 'Add missing declaration: chain gone']);
    const e = acts[1].edits[0];
    const fixed = t.slice(0, e.span.start) + e.newText + t.slice(e.span.end);
    expect(parseRuleset(fixed).findings).toEqual([]);
    expect(fixed).toContain('\tchain gone {\n\t}\n}');
  });
});

describe('structure', () => {
  const parse = parseRuleset(RULESET);
  const lines = new LineIndex(RULESET);
  it('outline', () => {
    const o = outline(parse);
    expect(o.map((x) => `${x.kind}:${x.name}`)).toEqual(['define:$LAN', 'table:filter']);
    expect(o[1].children.map((x) => `${x.kind}:${x.name}`)).toEqual(['flowtable:ft', 'set:allowed', 'chain:forward', 'chain:lan_fwd']);
  });
  it('folding', () => {
    const f = foldingRanges(parse, lines);
    expect(f[0]).toEqual({ startLine: 1, endLine: 16 });
    expect(f.length).toBeGreaterThanOrEqual(5);
  });
  it('selection ranges grow', () => {
    const s = selectionSpans(parse, RULESET.indexOf('saddr'));
    for (let i = 1; i < s.length; i++) expect(s[i].end - s[i].start).toBeGreaterThan(s[i - 1].end - s[i - 1].start);
    expect(s[s.length - 1]).toEqual({ start: 0, end: RULESET.length });
  });
  it('semantic tokens are 5-tuples in order', () => {
    const data = semanticTokens(parse, lines);
    expect(data.length % 5).toBe(0);
    expect(data.length).toBeGreaterThan(100);
  });
  it('code lens on the forward chain and flowtable from the offload predictions; inlay hints', () => {
    const rs = `table inet filter {
	flowtable ft {
		hook ingress priority filter
		devices = { lan0, wan0 }
		flags offload
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established flow add @ft
		iifname "lan0" oifname "wan0" accept
		ct state established accept
	}
}
`;
    const l = new LineIndex(rs);
    const model = modelOf(rs, 'f');
    const view: FlowView = { model, predictions: representativePredictions(model), here: (x) => x.span, where: (x) => `line ${l.positionAt(x.span.start).line + 1}` };
    const titles = flowLenses('f', view).map((x) => x.title);
    // Both families, TCP and UDP, lan0 → wan0: established traffic is offloaded into ft, in hardware.
    expect(titles.some((x) => /^tcp\/udp from lan0 → wan0: fast path via @ft \(hardware\)$/.test(x)), titles.join('\n')).toBe(true);
    expect(titles.some((x) => /^tcp\/udp from wan0 → lan0: dropped at line 8/.test(x)), titles.join('\n')).toBe(true);
    expect(titles.some((x) => /^offloads tcp\/udp lan0 → wan0 \(hardware\); flow add at line 9$/.test(x)), titles.join('\n')).toBe(true);
    expect(flowAddHints('f', view, { start: 0, end: rs.length }).map((h) => h.label)).toEqual([' offloads established tcp/udp']);
    const t = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t}\n}\n';
    expect(inlayHints(parseRuleset(t).ast, t, { start: 0, end: t.length }).map((h) => h.label)).toEqual([' policy accept']);
  });
  it('code lens: a flow blocked by an earlier accept says where', () => {
    const t = RULESET.replace('\t\tct state established flow add @ft\n', '\t\taccept\n\t\tct state established flow add @ft\n');
    const l = new LineIndex(t);
    const model = modelOf(t, 'f');
    const view: FlowView = { model, predictions: representativePredictions(model), here: (x) => x.span, where: (x) => `line ${l.positionAt(x.span.start).line + 1}` };
    const titles = flowLenses('f', view).map((x) => x.title);
    expect(titles.some((x) => /slow: blocked at line 12/.test(x)), titles.join('\n')).toBe(true);
    expect(flowAddHints('f', view, { start: 0, end: t.length }).map((h) => h.label)).toEqual([' never reached: accepted at line 12']);
  });
});

describe('includes and overrides', () => {
  const files = new Set(['/etc/nftables.d/a.nft', '/etc/nftables.d/b.nft', '/w/x/local.nft', '/inc/lib.nft']);
  const fs: IncludeFs = {
    isFile: (p) => files.has(p),
    list: (d) => [...files].filter((f) => f.startsWith(d.endsWith('/') ? d : d + '/')).map((f) => f.slice(d.length + (d.endsWith('/') ? 0 : 1)).split('/')[0]),
  };
  it('globs, relative and include-path lookup', () => {
    expect(expandGlob('/etc/nftables.d/*.nft', fs)).toEqual(['/etc/nftables.d/a.nft', '/etc/nftables.d/b.nft']);
    expect(resolveInclude('./local.nft', '/w/x/main.nft', [], fs)).toEqual(['/w/x/local.nft']);
    expect(resolveInclude('lib.nft', '/w/x/main.nft', ['/inc'], fs)).toEqual(['/inc/lib.nft']);
    expect(resolveInclude('nftables.d/*.nft', '/w/x/main.nft', [], fs)).toHaveLength(2);
  });
  it('severity overrides', () => {
    const f = [{ code: 'SEM003', severity: 'warning' as const, message: '', file: '', span: { start: 0, end: 0 } }];
    expect(applyOverrides(f, { SEM003: 'off' })).toEqual([]);
    expect(applyOverrides(f, { SEM003: 'error' })[0].severity).toBe('error');
  });
  void cursor;
});
