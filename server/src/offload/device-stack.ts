/**
 * Which device a flow's packets enter the flowtable through. A flowtable hooks the ingress of its
 * listed devices only, and a hit also needs the flow's recorded input device to be that device.
 * Since Linux 5.13 the kernel records the lowest Ethernet device below bridges, VLANs, PPPoE and DSA
 * ports (nft_flow_route → nft_dev_forward_path → dev_fill_forward_path), but only if that device is
 * listed; otherwise it keeps the routing device (`br-lan`, `pppoe-wan`, `eth0.2`) (offload.md §1.2,
 * M01). So a flowtable that lists the physical ports covers flows routed through the bridge or the
 * PPPoE device above them: OpenWrt's firewall4 writes its flowtable that way.
 *
 * Which devices sit below which is a fact of the router, not of the ruleset: the flows view reads it
 * (`ip -d link`, /proc/net/pppoe); without it, a routing device that looks like an upper device and a
 * flowtable listing other devices leave the question open.
 */
import type { FlowtableModel } from '../semantics/model';
import type { Tri } from './match-expr';
import { ifnameMatches } from './values';

/** The router's device stack. */
export interface DeviceStack {
  /**
   * Devices one level below `dev`: a bridge's ports, a VLAN's parent, the Ethernet device of a PPPoE
   * session. Empty: `dev` has nothing below it. Undefined: the router did not say.
   */
  below(dev: string): readonly string[] | undefined;
}

/** Bridge + port + VLAN + PPPoE is already deeper than the kernel walks (NF_FLOW_TABLE_ENCAP_MAX is 2). */
const MAX_DEPTH = 6;

/** Names routers give bridges, VLANs, PPPoE sessions, bonds and other upper devices (not physical ports). */
const UPPER_DEVICE = /^(br[-_.]?|bridge|pppoe-|ppp\d|bond|team|vlan|macvlan|lag)|\.\d+$/;

export function looksLikeUpperDevice(dev: string): boolean {
  return UPPER_DEVICE.test(dev);
}

const listed = (ft: FlowtableModel, dev: string) => ft.devices.some((d) => ifnameMatches(d, dev));

/** The lowest devices a flow routed through `dev` can enter by (one per bridge port), or undefined if unknown. */
function lowestDevices(dev: string, stack: DeviceStack, depth = 0): string[] | undefined {
  const below = stack.below(dev);
  if (below === undefined) return undefined;
  if (below.length === 0 || depth >= MAX_DEPTH) return [dev];
  const out: string[] = [];
  for (const b of below) {
    const l = lowestDevices(b, stack, depth + 1);
    if (l === undefined) return undefined;
    out.push(...l);
  }
  return out;
}

export interface LowerCoverage {
  result: Tri;
  /** For `unknown`: what would decide it, in words. */
  question?: string;
  /**
   * For `unknown`: the answer to take until someone knows. Where the router said nothing about the
   * device, the firewall4 layout (the listed ports are below it); for a bridge with listed and
   * unlisted ports, that the client is on an unlisted one.
   */
  assumed?: boolean;
}

/**
 * Whether flowtable `ft` catches packets routed through `dev`, which the flowtable does not list
 * itself: through the device the kernel records below it.
 */
export function coverageBelow(ft: FlowtableModel, dev: string, stack: DeviceStack | undefined): LowerCoverage {
  const lowest = stack ? lowestDevices(dev, stack) : undefined;
  if (lowest) {
    const hit = lowest.filter((d) => listed(ft, d));
    if (hit.length === 0) return { result: 'no-match' };
    if (hit.length === lowest.length) return { result: 'match' };
    const miss = lowest.filter((d) => !listed(ft, d));
    return { result: 'unknown', assumed: false, question: `whether the client behind \`${dev}\` uses ${hit.map((d) => `\`${d}\``).join(', ')} (listed in flowtable ${ft.name}) rather than ${miss.map((d) => `\`${d}\``).join(', ')} (not listed)` };
  }
  // Unknown stack: a flowtable listing devices the rules never name (physical ports, as firewall4
  // writes it) may well list the device below `dev`.
  const others = ft.devices.filter((d) => !looksLikeUpperDevice(d) && !d.includes('*'));
  if (!looksLikeUpperDevice(dev) || others.length === 0) return { result: 'no-match' };
  return {
    result: 'unknown',
    assumed: true,
    question: `\`${dev}\` sits on a device flowtable ${ft.name} lists (${others.map((d) => `\`${d}\``).join(', ')}), where its flows enter since Linux 5.13`,
  };
}
