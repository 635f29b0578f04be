import { OFFLOAD_RULES } from '../codes';
import { allRules, finding, flowAddOf, INET_FAMILIES, type OffloadRule } from '../offload-context';

/**
 * OFF005: `ct helper set` (and synproxy) keeps the connection out of the flowtable: nft_flow_offload_eval
 * refuses entries with a helper extension or SEQ_ADJUST (offload.md S19, S20, R06; measured for ftp in §7).
 */
export const helperBlocksOffload: OffloadRule = {
  info: OFFLOAD_RULES.helper,
  check(ctx) {
    const rules = allRules(ctx.model);
    if (!rules.some((x) => flowAddOf(x.rule.rule))) return [];
    return rules.flatMap(({ table, rule }) => {
      if (!INET_FAMILIES.includes(table.family)) return [];
      return rule.rule.statements.flatMap((s) => {
        if (s.kind === 'Set' && s.target.path.join(' ') === 'ct helper')
          return [finding(this.info, `Connections matched by \`${rule.text}\` get a conntrack helper and are never offloaded; that is usually intended (FTP, SIP … need the helper to see every packet).`, rule.file, s.span)];
        if (s.kind === 'Generic' && s.keyword === 'synproxy')
          return [finding(this.info, `\`${rule.text}\`: SYNPROXY connections need sequence adjustment and are never offloaded.`, rule.file, s.span)];
        return [];
      });
    });
  },
};
