import { OFFLOAD_RULES } from '../codes';
import { addFlowtableAndFlowAdd } from '../fixes';
import { allRules, finding, flowAddOf, forwardChains, interfaceNames, reachableChains, type OffloadRule } from '../offload-context';

/** OFF001: forward chains but no flowtable and no `flow add`: every forwarded packet takes the slow path (offload.md §0). */
export const forwardWithoutFlowtable: OffloadRule = {
  info: OFFLOAD_RULES.noFlowtable,
  check(ctx) {
    const m = ctx.model;
    const hasFt = [...m.tables.values()].some((t) => t.flowtables.size > 0);
    const hasFlowAdd = allRules(m).some((x) => flowAddOf(x.rule.rule));
    if (hasFt || hasFlowAdd) return [];
    return forwardChains(m).filter((c) => c.table.family !== 'ip6' || true).slice(0, 1).map((c) => {
      const names = [...new Set(interfaceNames(reachableChains(c), m).map((x) => x.name))].sort();
      const sym = m.symbols.find((s) => s.kind === 'chain' && s.name === c.name && s.container === c.table.key);
      const fix = addFlowtableAndFlowAdd(ctx.textOf(c.decl.file), c, sym?.fullSpan?.file === c.decl.file ? sym.fullSpan.span.start : undefined, names);
      return finding(this.info, `${c.table.family} ${c.table.name} ${c.name} forwards traffic, but the ruleset has no flowtable and no \`flow add\`: every packet takes the slow path.`, c.decl.file, c.hook!.loc.span, { fixes: fix ? [fix] : [] });
    });
  },
};
