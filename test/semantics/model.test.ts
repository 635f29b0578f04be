// The model's content (priorities, rule order, flowtables) and the LSP helpers.
import { describe, expect, it } from 'vitest';
import { buildRulesetModel, NO_INCLUDES, resolveDefine, symbolAt, visibleDefines } from '../../server/src/semantics/index';

const text = `define p = -5
define devs = { "lan1", $wan }
define wan = "eth0"
table inet t {
	flowtable ft { hook ingress priority filter + 10; devices = { eth9, $wan }; counter; flags offload; }
	chain a { type filter hook prerouting priority dstnat - 5; policy drop; accept; }
	chain b { type nat hook postrouting priority srcnat; }
	chain c { type filter hook input priority $p; }
	chain d { counter; }
	redefine p = 7
	chain e { type filter hook output priority raw + 1; }
}
table bridge br { chain o { type filter hook output priority out; } }
add rule inet t d drop
insert rule inet t d accept
add rule inet t d return
`;

describe('ruleset model', () => {
  const m = buildRulesetModel({ path: 'm.nft', text }, NO_INCLUDES);
  const t = m.tables.get('inet t')!;

  it('resolves named and computed priorities', () => {
    const prio = (c: string) => t.chains.get(c)?.hook?.priority;
    expect([prio('a'), prio('b'), prio('c'), prio('e')]).toEqual([-105, 100, -5, -299]);
    expect(m.tables.get('bridge br')!.chains.get('o')!.hook!.priority).toBe(100);
    expect(t.chains.get('a')!.policy).toBe('drop');
  });

  it('orders rules: block rules, then add appends and insert prepends', () => {
    expect(t.chains.get('d')!.rules.map((r) => r.text)).toEqual(['accept', 'counter', 'drop', 'return']);
  });

  it('fills flowtables with resolved devices', () => {
    const ft = t.flowtables.get('ft')!;
    expect(ft).toMatchObject({ hook: 'ingress', priority: 10, devices: ['eth9', 'eth0'], counter: true, flags: ['offload'], devicesOpen: false });
  });

  it('reports the use of a define before its definition', () => {
    expect(m.findings.map((f) => `${f.code} ${f.message}`)).toEqual(["SEM001 unknown identifier 'wan'"]);
  });

  it('finds the symbol under an offset', () => {
    const at = text.indexOf('$p;') + 1;
    expect(symbolAt(m, 'm.nft', at)).toMatchObject({ kind: 'define', name: 'p' });
    expect(symbolAt(m, 'm.nft', text.indexOf('chain d') + 6)).toMatchObject({ kind: 'chain', name: 'd', container: 'inet t' });
    expect(symbolAt(m, 'm.nft', text.indexOf('inet t d drop') + 7)?.references.length).toBe(3);
  });

  it('resolves a define by scope and position', () => {
    expect(resolveDefine(m, 'p', 'm.nft', text.indexOf('chain c'))?.valueText).toBe('-5');
    expect(resolveDefine(m, 'p', 'm.nft', text.indexOf('chain e'))?.valueText).toBe('7');
    expect(resolveDefine(m, 'p', 'm.nft', text.indexOf('table bridge'))?.valueText).toBe('-5');
    expect(resolveDefine(m, 'wan', 'm.nft', 0)).toBeUndefined();
    expect(visibleDefines(m, 'm.nft', text.length).map((d) => d.name).sort()).toEqual(['devs', 'p', 'wan']);
  });
});
