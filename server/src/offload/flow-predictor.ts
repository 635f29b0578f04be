/**
 * Adapter for the remote `flows` view: turns a live conntrack flow into a FlowSpec and
 * predicts it. Matches remote/flows.ts `FlowPredictor` structurally; offload does not
 * import remote (layering). Conntrack does not say which interfaces a flow uses, so
 * those facts stay open and the answer is `unknown` whenever they would change it.
 */
import type { RulesetModel } from '../semantics/model';
import type { FlowSpec } from './flow-model';
import type { DeviceStack } from './device-stack';
import { predictFlow } from './predict-flow';
import { parseIp, protoNumber } from './values';

export interface LiveFlowLike {
  proto: string;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** The conntrack entry: its reply tuple tells the NAT the kernel applied. */
  entry?: { reply?: { src: string; dst: string; sport?: number; dport?: number } };
}

export interface FlowPredictionLike {
  verdict: 'fast' | 'slow' | 'dropped' | 'unknown';
  hardware?: boolean;
  /**
   * The conntrack entry enters a flowtable (conntrack shows [OFFLOAD]), whether or not every direction
   * then takes the fast path: with `slow`, a flowtable lacking a device leaves a direction slow (OFF003).
   */
  offloaded?: boolean;
  reasons: { code: string; message: string }[];
}

export function makeFlowPredictor(model: RulesetModel, interfaces?: { iif?: string; oif?: string }, deviceStack?: DeviceStack): (flow: LiveFlowLike) => FlowPredictionLike {
  return (live) => {
    const ip = parseIp(live.src);
    const l4proto = protoNumber(live.proto);
    if (!ip || l4proto === undefined) return { verdict: 'unknown', reasons: [{ code: 'OFF015', message: `cannot read the flow (${live.proto} ${live.src})` }] };
    const observedNat = natOf(live);
    const spec: FlowSpec = {
      family: ip.v6 ? 'ip6' : 'ip', l4proto, saddr: live.src, daddr: live.dst, sport: live.sport, dport: live.dport, ...interfaces,
      ...(observedNat ? { observedNat } : {}),
      ...(deviceStack ? { deviceStack } : {}),
    };
    const p = predictFlow(model, spec);
    return {
      verdict: p.certain ? p.verdict : 'unknown',
      hardware: p.hardware,
      ...(p.certain && p.flowtable !== null ? { offloaded: true } : {}),
      reasons: p.reasons.map((r) => ({ code: r.code, message: r.message })),
    };
  };
}

const sameAddr = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The NAT a conntrack entry shows. Without NAT the reply tuple mirrors the original one; after DNAT
 * the reply comes from the new destination, after SNAT it goes to the new source (conntrack(8)).
 */
export function natOf(live: LiveFlowLike): FlowSpec['observedNat'] | undefined {
  const r = live.entry?.reply;
  if (!r) return undefined;
  const dnat = !sameAddr(r.src, live.dst) || (r.sport !== undefined && live.dport !== undefined && r.sport !== live.dport);
  const snat = !sameAddr(r.dst, live.src) || (r.dport !== undefined && live.sport !== undefined && r.dport !== live.sport);
  if (!dnat && !snat) return undefined;
  return { ...(dnat ? { dnat: { daddr: r.src, ...(r.sport !== undefined ? { dport: r.sport } : {}) } } : {}), ...(snat ? { snat: true } : {}) };
}
