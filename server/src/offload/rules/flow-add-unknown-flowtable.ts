import { OFFLOAD_RULES } from '../codes';
import { allRules, finding, flowAddOf, type OffloadRule } from '../offload-context';

/** OFF020: nft_flow_offload_init looks the flowtable up in the rule's own table only (offload.md S01). */
export const flowAddUnknownFlowtable: OffloadRule = {
  info: OFFLOAD_RULES.unknownFlowtable,
  check(ctx) {
    return allRules(ctx.model).flatMap(({ table, rule }) => {
      const fa = flowAddOf(rule.rule);
      if (!fa?.flowtable || table.flowtables.has(fa.flowtable.text)) return [];
      const elsewhere = [...ctx.model.tables.values()].find((t) => t.flowtables.has(fa.flowtable!.text));
      return [finding(this.info, `Table ${table.family} ${table.name} has no flowtable ${fa.flowtable.text}${elsewhere ? ` (it is in table ${elsewhere.family} ${elsewhere.name}; a flowtable is only visible in its own table)` : ''}: the kernel refuses this rule (No such file or directory).`, rule.file, fa.flowtable.span)];
    });
  },
};
