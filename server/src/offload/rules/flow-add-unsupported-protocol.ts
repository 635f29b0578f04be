import type { Finding } from '../../core/finding';
import type * as A from '../../syntax/ast';
import { OFFLOAD_RULES } from '../codes';
import { limitFlowAddToTcpUdp } from '../fixes';
import { allRules, finding, INET_FAMILIES, type OffloadRule } from '../offload-context';

const PROTO_SELECTORS = /^(meta l4proto|ip protocol|ip6 nexthdr|tcp |udp |th |ct protocol)/;

/**
 * OFF004: `flow add` with no protocol guard is also reached by ICMP, SCTP, ESP … which the kernel
 * never offloads (nft_flow_offload_eval only takes TCP, UDP and GRE v0; offload.md R04, §7).
 */
export const flowAddUnsupportedProtocol: OffloadRule = {
  info: OFFLOAD_RULES.unsupportedProtocol,
  check(ctx) {
    const out: Finding[] = [];
    for (const { table, rule } of allRules(ctx.model)) {
      if (!INET_FAMILIES.includes(table.family)) continue;
      const idx = rule.rule.statements.findIndex((s) => s.kind === 'FlowOffload');
      if (idx < 0) continue;
      const before = rule.rule.statements.slice(0, idx);
      const guarded = before.some((s) => s.kind === 'Match' && (s.left.kind === 'Selector' || s.left.kind === 'Concat') && PROTO_SELECTORS.test(selText(s.left)));
      if (guarded) continue;
      const stmt = rule.rule.statements[idx];
      const after = rule.rule.statements.length > idx + 1;
      out.push(finding(this.info, `\`${rule.text}\` is also reached by ICMP and other protocols the kernel never offloads; they take the slow path${after ? ', and the statements after `flow add` do not run for them' : ''}.`, rule.file, stmt.span, { fixes: [limitFlowAddToTcpUdp(stmt.span, rule.file, !after)] }));
    }
    return out;
  },
};

function selText(e: A.Expr): string {
  if (e.kind === 'Selector') return e.path.join(' ') + ' ';
  if (e.kind === 'Concat') return e.parts.map(selText).join('');
  return '';
}
