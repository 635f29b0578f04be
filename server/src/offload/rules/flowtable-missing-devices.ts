import type { Finding } from '../../core/finding';
import { OFFLOAD_RULES } from '../codes';
import { addFlowtableDevices } from '../fixes';
import { allRules, finding, flowAddOf, forwardChains, interfaceNames, reachableChains, type OffloadRule } from '../offload-context';
import { ifnameMatches } from '../values';
import { coverageBelow } from '../device-stack';

/**
 * OFF003: an interface that forward rules match on is not in the flowtable's devices. The flowtable's
 * netdev hook exists only on listed devices, so packets entering elsewhere miss the fast path even though
 * conntrack shows [OFFLOAD] (offload.md M01/M02, measured in §7). A bridge, VLAN or PPPoE device is not
 * reported when the flowtable lists other devices it may sit on (device-stack.ts).
 */
export const flowtableMissingDevices: OffloadRule = {
  info: OFFLOAD_RULES.missingDevices,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.model.tables.values()) {
      for (const ft of t.flowtables.values()) {
        const used = allRules(ctx.model).some((x) => x.table === t && flowAddOf(x.rule.rule)?.flowtable?.text === ft.name);
        if (!used || ft.devicesOpen) continue;
        const chains = forwardChains(ctx.model).filter((c) => c.table === t).flatMap((c) => [...reachableChains(c)]);
        const names = interfaceNames(chains, ctx.model);
        // A bridge or PPPoE device may sit on a listed port (firewall4 lists the ports): since 5.13 that
        // covers it, and only the router knows (`remote flows` asks it). Not reported as missing.
        const missing = [...new Set(names.map((n) => n.name))]
          .filter((n) => !ft.devices.some((d) => ifnameMatches(d, n)) && coverageBelow(ft, n, undefined).result === 'no-match')
          .sort();
        if (!missing.length) continue;
        const fix = addFlowtableDevices(ctx.textOf(ft.decl.file), ft, missing);
        out.push(finding(this.info, `Flowtable ${ft.name} does not list ${missing.map((m) => `\`${m}\``).join(', ')}, which forward rules match on: packets entering there stay on the slow path even for offloaded flows.`, ft.decl.file, ft.decl.span, {
          related: names.filter((n) => missing.includes(n.name)).slice(0, 4).map((n) => ({ location: { file: n.file, span: n.span }, message: `\`${n.name}\` used here` })),
          fixes: fix ? [fix] : [],
        }));
      }
    }
    return out;
  },
};
