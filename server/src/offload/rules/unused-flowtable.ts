import { OFFLOAD_RULES } from '../codes';
import { addFlowAddRule } from '../fixes';
import { allRules, finding, flowAddOf, forwardChains, INET_FAMILIES, type OffloadRule } from '../offload-context';

/** OFF009: a flowtable only fills through `flow add` in its own table (nft_flow_offload_init looks there only, offload.md S01). */
export const unusedFlowtable: OffloadRule = {
  info: OFFLOAD_RULES.unusedFlowtable,
  check(ctx) {
    const rules = allRules(ctx.model);
    const out = [];
    for (const t of ctx.model.tables.values()) {
      if (!INET_FAMILIES.includes(t.family)) continue;
      for (const ft of t.flowtables.values()) {
        if (rules.some((x) => x.table === t && flowAddOf(x.rule.rule)?.flowtable?.text === ft.name)) continue;
        const fwd = forwardChains(ctx.model).find((c) => c.table === t);
        const fix = fwd ? addFlowAddRule(ctx.textOf(fwd.rules[0]?.file ?? fwd.decl.file), fwd, ft.name) : undefined;
        out.push(finding(this.info, `Flowtable ${ft.name} is never used: no \`flow add @${ft.name}\` in table ${t.family} ${t.name}, so nothing is offloaded into it.`, ft.decl.file, ft.decl.span, { fixes: fix ? [fix] : [] }));
      }
    }
    return out;
  },
};
