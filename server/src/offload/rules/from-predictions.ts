import type { Finding } from '../../core/finding';
import { OFFLOAD_RULES } from '../codes';
import { l4protoForBothFamilies, removeMatch, splitFlowAddVerdict } from '../fixes';
import { finding, flowAddOf, type OffloadRule } from '../offload-context';
import { allRules } from '../offload-context';

/** Lifts one reason code of the representative flows' predictions into ruleset findings, once per location. */
function lift(key: 'guardExcludes' | 'familyGap' | 'flowAddThenVerdict', verdicts: string[], fixFor?: (ctx: Parameters<OffloadRule['check']>[0], f: Finding) => Finding['fixes']): OffloadRule {
  return {
    info: OFFLOAD_RULES[key],
    check(ctx) {
      const out: Finding[] = [];
      for (const { prediction } of ctx.predictions) {
        if (!verdicts.includes(prediction.verdict)) continue;
        for (const r of prediction.reasons) {
          if (r.code !== this.info.code || out.some((f) => f.span.start === r.span.start && f.file === r.file)) continue;
          const f = finding(this.info, r.message, r.file, r.span, { related: r.related });
          const fixes = fixFor?.(ctx, f);
          out.push(fixes?.length ? { ...f, fixes } : f);
        }
      }
      return out;
    },
  };
}

/** OFF012: a guard in the `flow add` rule that no eligible packet passes (`ct state new`, `tcp flags syn`; offload.md S09, §7). */
export const flowAddGuardNeverEligible = lift('guardExcludes', ['slow'], (ctx, f) => {
  const fix = removeMatch(ctx.textOf(f.file), f.file, f.span);
  return fix ? [fix] : [];
});

/**
 * OFF013: traffic of one family never meets a `flow add` (a `table ip` flowtable never sees IPv6; offload.md
 * S05, §7), or a guard reads the other family's header (`ip protocol { tcp, udp } flow add` in an inet table).
 */
export const flowtableFamilyGap = lift('familyGap', ['slow'], (ctx, f) => {
  const fix = l4protoForBothFamilies(ctx.textOf(f.file), f.file, f.span);
  return fix ? [fix] : [];
});

/** OFF016: `… flow add @ft accept` then a drop: the verdict runs only when this packet offloads the flow (offload.md S10, §7). */
export const flowAddVerdictSkipped = lift('flowAddThenVerdict', ['dropped'], (ctx, f) => {
  for (const { rule, chain } of allRules(ctx.model)) {
    if (rule.rule.span.start !== f.span.start || rule.file !== f.file) continue;
    const fa = flowAddOf(rule.rule)!;
    const fix = splitFlowAddVerdict(ctx.textOf(f.file), { file: rule.file, span: rule.rule.span, text: rule.text, chain: chain.name }, fa.span.end);
    return fix ? [fix] : [];
  }
  return [];
});
