import type { Finding } from '../../core/finding';
import { OFFLOAD_RULES } from '../codes';
import { moveFlowAddAbove } from '../fixes';
import { finding, type OffloadRule } from '../offload-context';

/**
 * OFF002: an earlier rule ends the base chain for established packets before `flow add`
 * (offload.md S07, measured in §7). Found by walking representative flows, so a one-direction
 * accept, which the reply packets pass, is not reported.
 */
export const flowAddAfterVerdict: OffloadRule = {
  info: OFFLOAD_RULES.flowAddAfterAccept,
  check(ctx) {
    const out: Finding[] = [];
    for (const { flow, prediction } of ctx.predictions) {
      if (prediction.verdict !== 'slow') continue;
      for (const r of prediction.reasons) {
        if (r.code !== this.info.code || !r.related?.length) continue;
        if (out.some((f) => f.span.start === r.span.start && f.file === r.file)) continue;
        const fa = r.related[0].location;
        const text = ctx.textOf(r.file);
        const blockingText = text?.slice(r.span.start, r.span.end) ?? '';
        const faText = text?.slice(fa.span.start, fa.span.end) ?? '';
        const chain = /ends (\S+ \S+ \S+)/.exec(r.message)?.[1] ?? '';
        const fix = moveFlowAddAbove(text, { file: fa.file || r.file, span: fa.span, text: faText, chain }, { file: r.file, span: r.span, text: blockingText, chain });
        const proto = flow.l4proto === 6 ? 'TCP' : 'UDP';
        out.push(finding(this.info, `\`${blockingText}\` ends the chain for established packets, so \`${faText}\` never offloads them (e.g. ${proto} ${flow.iif ?? '?'} → ${flow.oif ?? '?'}).${flow.l4proto === 17 ? '' : ' Streaming UDP may still be offloaded by its second datagram.'}`, r.file, r.span, {
          related: [{ location: { file: fa.file || r.file, span: fa.span }, message: '`flow add` is never reached by established packets' }],
          fixes: fix ? [fix] : [],
        }));
      }
    }
    return out;
  },
};
