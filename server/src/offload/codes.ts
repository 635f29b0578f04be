import type { RuleInfo } from '../core/catalogue';

/**
 * Findings of the offload layer. Codes are stable: never renumber or reuse one.
 * Some codes appear only as reasons in `explain` (OFF014, OFF015, OFF017, OFF021, OFF022);
 * they are listed here so users can look every reason up.
 */
export const OFFLOAD_RULES = {
  noFlowtable: { code: 'OFF001', name: 'forward-without-flowtable', severity: 'warning', summary: 'The ruleset forwards traffic but has no flowtable and no `flow add`, so nothing is offloaded.' },
  flowAddAfterAccept: { code: 'OFF002', name: 'flow-add-after-verdict', severity: 'warning', summary: 'An earlier rule ends the chain for established packets, so `flow add` never sees a packet it could offload.' },
  missingDevices: { code: 'OFF003', name: 'flowtable-missing-devices', severity: 'warning', summary: 'The flowtable does not list an interface that forwarded traffic enters through, so that direction stays on the slow path.' },
  unsupportedProtocol: { code: 'OFF004', name: 'flow-add-unsupported-protocol', severity: 'information', summary: '`flow add` is reached by protocols the kernel never offloads (only TCP, UDP and GRE v0 are).' },
  helper: { code: 'OFF005', name: 'helper-blocks-offload', severity: 'warning', summary: 'Connections that get a conntrack helper are never offloaded.' },
  bypassed: { code: 'OFF006', name: 'bypassed-when-offloaded', severity: 'information', summary: 'A statement that offloaded packets skip: counters freeze, limits, quotas, logs and marks stop applying.' },
  hardware: { code: 'OFF007', name: 'hardware-offload-limits', severity: 'information', summary: '`flags offload` needs driver support on every listed device and has limits the software path does not.' },
  invalidHook: { code: 'OFF008', name: 'flow-add-invalid-hook', severity: 'error', summary: '`flow add` or a flowtable where the kernel refuses it: outside a forward chain, or outside ip/ip6/inet tables.' },
  unusedFlowtable: { code: 'OFF009', name: 'unused-flowtable', severity: 'warning', summary: 'A flowtable that no `flow add` uses: nothing is ever offloaded into it.' },
  noCounter: { code: 'OFF010', name: 'flowtable-without-counter', severity: 'warning', summary: 'The ruleset counts traffic but the flowtable has no `counter`, so conntrack byte counts freeze once flows are offloaded.' },
  fw4: { code: 'OFF011', name: 'fw4-managed-ruleset', severity: 'information', summary: 'OpenWrt firewall4 generates this table; user rules belong in include files, not here.' },
  guardExcludes: { code: 'OFF012', name: 'flow-add-guard-never-eligible', severity: 'warning', summary: 'A match in the `flow add` rule excludes every packet that could be offloaded (e.g. `ct state new`).' },
  familyGap: { code: 'OFF013', name: 'flowtable-family-gap', severity: 'warning', summary: 'Forwarded traffic of one IP family reaches no `flow add` (e.g. the flowtable is in a `table ip`).' },
  offloaded: { code: 'OFF014', name: 'flow-offloaded', severity: 'information', summary: 'Explain: the rule whose `flow add` offloads the flow.' },
  openFacts: { code: 'OFF015', name: 'depends-on-open-facts', severity: 'information', summary: 'Explain: the verdict depends on facts the ruleset leaves open (run-time sets, routes, unspecified interfaces).' },
  flowAddThenVerdict: { code: 'OFF016', name: 'flow-add-verdict-skipped', severity: 'warning', summary: 'The verdict after `flow add` runs only when this packet offloads the flow; other packets fall through to a later drop.' },
  dropped: { code: 'OFF017', name: 'flow-dropped', severity: 'information', summary: 'Explain: the rule or policy that drops a packet of the flow before it is offloaded.' },
  notrack: { code: 'OFF018', name: 'notrack-blocks-offload', severity: 'warning', summary: 'Untracked (`notrack`) traffic has no conntrack entry and is never offloaded.' },
  ipsec: { code: 'OFF019', name: 'ipsec-input-not-offloaded', severity: 'information', summary: 'Packets decrypted by IPsec carry a secpath and never create a flowtable entry.' },
  unknownFlowtable: { code: 'OFF020', name: 'flow-add-unknown-flowtable', severity: 'error', summary: '`flow add @name` must name a flowtable of the same table; the kernel looks nowhere else.' },
  udpTiming: { code: 'OFF021', name: 'udp-offload-depends-on-timing', severity: 'information', summary: 'A UDP flow offloads only if the client sends a second datagram before the first reply.' },
  notForwarded: { code: 'OFF022', name: 'flow-not-forwarded', severity: 'information', summary: 'Explain: a `redirect` sends the flow to the router itself, so it is delivered locally, not forwarded, and never offloaded.' },
} as const satisfies Record<string, RuleInfo>;

export type OffloadRuleKey = keyof typeof OFFLOAD_RULES;

export const OFFLOAD_RULES_BY_CODE: Record<string, RuleInfo> = Object.fromEntries(Object.values(OFFLOAD_RULES).map((r) => [r.code, r]));
