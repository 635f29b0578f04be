import { OFFLOAD_RULES } from '../codes';
import { allRules, finding, flowAddOf, type OffloadRule } from '../offload-context';

/** OFF018: untracked packets have no conntrack entry, so `flow add` cannot offload them (offload.md S18, R03; measured in §7). */
export const notrackBlocksOffload: OffloadRule = {
  info: OFFLOAD_RULES.notrack,
  check(ctx) {
    const rules = allRules(ctx.model);
    if (!rules.some((x) => flowAddOf(x.rule.rule))) return [];
    return rules.flatMap(({ rule }) => rule.rule.statements.filter((s) => s.kind === 'Generic' && s.keyword === 'notrack').map((s) =>
      finding(this.info, `Traffic matched by \`${rule.text}\` is untracked and never offloaded; make sure only traffic you do not want offloaded matches it.`, rule.file, s.span)));
  },
};
