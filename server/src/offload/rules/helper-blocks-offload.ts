import type { Finding } from '../../core/finding';
import type * as A from '../../syntax/ast';
import type { ChainModel } from '../../semantics/model';
import { OFFLOAD_RULES } from '../codes';
import { allRules, finding, flowAddOf, INET_FAMILIES, type OffloadRule } from '../offload-context';
import { pathText } from '../../syntax/node-builders';

/**
 * OFF005: `ct helper set` (and synproxy) keeps the connection out of the flowtable: nft_flow_offload_eval
 * refuses entries with a helper extension or SEQ_ADJUST (offload.md S19, S20, R06; measured for ftp in §7).
 * Several helper rules in one chain (firewall4's `helper_lan` has a dozen) make one finding, on the first,
 * with the others as related locations: the fact is the same for all of them.
 */
export const helperBlocksOffload: OffloadRule = {
  info: OFFLOAD_RULES.helper,
  check(ctx) {
    const rules = allRules(ctx.model);
    if (!rules.some((x) => flowAddOf(x.rule.rule))) return [];
    const out: Finding[] = [];
    const helpersByChain = new Map<ChainModel, { rule: (typeof rules)[number]['rule']; stmt: A.SetStmt }[]>();
    for (const { table, chain, rule } of rules) {
      if (!INET_FAMILIES.includes(table.family)) continue;
      for (const s of rule.rule.statements) {
        if (s.kind === 'Set' && pathText(s.target.path) === 'ct helper') {
          const list = helpersByChain.get(chain) ?? [];
          list.push({ rule, stmt: s });
          helpersByChain.set(chain, list);
        } else if (s.kind === 'Generic' && s.keyword === 'synproxy') {
          out.push(finding(this.info, `\`${rule.text}\`: SYNPROXY connections need sequence adjustment and are never offloaded.`, rule.file, s.span));
        }
      }
    }
    for (const [chain, list] of helpersByChain) {
      const [first] = list;
      if (list.length === 1) {
        out.push(finding(this.info, `Connections matched by \`${first.rule.text}\` get a conntrack helper and are never offloaded; that is usually intended (FTP, SIP … need the helper to see every packet).`, first.rule.file, first.stmt.span));
        continue;
      }
      const names = [...new Set(list.map((h) => helperName(h.stmt.value)))];
      out.push(finding(this.info, `${list.length} rules of chain ${chain.name} give connections a conntrack helper (${names.join(', ')}); those connections are never offloaded. That is usually intended: the helper must see every packet.`, first.rule.file, first.stmt.span, {
        related: list.slice(1).map((h) => ({ location: { file: h.rule.file, span: h.stmt.span }, message: `\`${h.rule.text}\`` })),
      }));
    }
    return out;
  },
};

function helperName(e: A.Expr): string {
  return e.kind === 'String' || e.kind === 'Word' ? e.text : 'a helper';
}
