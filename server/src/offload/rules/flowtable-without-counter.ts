import { OFFLOAD_RULES } from '../codes';
import { addFlowtableCounter } from '../fixes';
import { allRules, finding, flowAddOf, INET_FAMILIES, type OffloadRule } from '../offload-context';

/**
 * OFF010: without `counter` on the flowtable, conntrack's packets=/bytes= freeze at the offload moment
 * (offload.md H01, §3.8; fw4 enabled it in 04a06bd for openwrt/openwrt#10399; measured in §7). Reported
 * when the ruleset shows that someone counts traffic (counter statements or named counters).
 */
export const flowtableWithoutCounter: OffloadRule = {
  info: OFFLOAD_RULES.noCounter,
  check(ctx) {
    const rules = allRules(ctx.model);
    const counting = rules.some((x) => x.rule.rule.statements.some((s) => s.kind === 'Counter')) || [...ctx.model.tables.values()].some((t) => [...t.objects.values()].some((o) => o.type === 'counter'));
    if (!counting) return [];
    const out = [];
    for (const t of ctx.model.tables.values()) {
      if (!INET_FAMILIES.includes(t.family)) continue;
      for (const ft of t.flowtables.values()) {
        if (ft.counter) continue;
        if (!rules.some((x) => x.table === t && flowAddOf(x.rule.rule)?.flowtable?.text === ft.name)) continue;
        const fix = addFlowtableCounter(ctx.textOf(ft.decl.file), ft);
        out.push(finding(this.info, `Flowtable ${ft.name} has no \`counter\`: once flows are offloaded, conntrack byte and packet counts stop growing, while this ruleset counts traffic.`, ft.decl.file, ft.decl.span, { fixes: fix ? [fix] : [] }));
      }
    }
    return out;
  },
};
