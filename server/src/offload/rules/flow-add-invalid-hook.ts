import type { Finding } from '../../core/finding';
import { OFFLOAD_RULES } from '../codes';
import { finding, flowAddOf, INET_FAMILIES, reachableChains, type OffloadRule } from '../offload-context';

/**
 * OFF008: nft_flow_offload_validate allows the statement only in chains reached from forward base chains
 * (commit fails with EOPNOTSUPP otherwise, offload.md S02, measured in §7), and flowtables exist only in
 * ip/ip6/inet tables (S04; on 6.1 a netdev/bridge flowtable fails with ENOENT, §7).
 */
export const flowAddInvalidHook: OffloadRule = {
  info: OFFLOAD_RULES.invalidHook,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.model.tables.values()) {
      if (!INET_FAMILIES.includes(t.family)) {
        for (const ft of t.flowtables.values()) out.push(finding(this.info, `Flowtables exist only in ip, ip6 and inet tables; the kernel refuses flowtable ${ft.name} in a ${t.family} table.`, ft.decl.file, ft.decl.span));
      }
      for (const base of t.chains.values()) {
        if (!base.hook) continue;
        const wrongHook = base.hook.hook !== 'forward' || !INET_FAMILIES.includes(t.family);
        if (!wrongHook) continue;
        for (const c of reachableChains(base)) {
          for (const r of c.rules) {
            const fa = flowAddOf(r.rule);
            if (!fa) continue;
            const via = c === base ? '' : ` (reached from base chain ${base.name})`;
            const msg = !INET_FAMILIES.includes(t.family)
              ? `\`flow add\` is not supported in ${t.family} tables; the kernel refuses this rule (Operation not supported).`
              : `\`flow add\` runs only in forward chains; in a ${base.hook.hook} chain${via} the kernel refuses the ruleset (Operation not supported).`;
            if (!out.some((f) => f.span.start === fa.span.start && f.file === r.file)) out.push(finding(this.info, msg, r.file, fa.span));
          }
        }
      }
    }
    return out;
  },
};
