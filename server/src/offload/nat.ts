/**
 * Network address translation as the forwarded packets of one connection meet it. The rules of a
 * nat chain run for the first packet only (nf_nat_inet_fn consults them for new entries); the
 * translation they set up then applies to every packet of the connection at the same place:
 *
 * - Destination NAT (`dnat`, `redirect`) rewrites the original direction's destination in
 *   prerouting, at the nat chain's priority (`dstnat` is NF_IP_PRI_NAT_DST, -100). Forward and
 *   postrouting see the new destination. Replies leave the server with that address as their
 *   source and keep it until postrouting's source manipulation (NF_IP_PRI_NAT_SRC, 100) restores
 *   the address the client used (nf_nat_core.c nf_nat_packet, per direction and hook).
 * - Source NAT (`snat`, `masquerade`) rewrites in postrouting, after forward, and its reverse for
 *   replies happens in prerouting at -100: forward sees neither direction translated. Only
 *   `ct status snat` tells, once the first packet has set it up.
 *
 * NAT does not keep a flow off the fast path: the flowtable entry carries the translation
 * (nf_flow_table_core.c flow_offload_fill_dir; nf_flow_table_ip.c nf_flow_nat_ip). It changes what
 * the rules see, which decides whether `flow add` is reached at all (fw4's `ct status dnat accept`).
 */
import type * as A from '../syntax/ast';
import type { DnatState, FlowSpec, Packet } from './flow-model';
import { evalSelector, isOpenSet, matchValue, resolveVar, setElements, type EvalContext } from './match-expr';
import { numberValue } from './values';

/** NF_IP_PRI_NAT_DST: where the kernel translates destinations in prerouting (`priority dstnat`). */
export const NAT_DST_PRIORITY = -100;
/** NF_IP_PRI_NAT_SRC: where the kernel translates sources in postrouting (`priority srcnat`). */
export const NAT_SRC_PRIORITY = 100;

const MAX_DEPTH = 8;

export type NatOutcome =
  /** The statement set up a translation (or, outside prerouting, had no effect on forwarded packets). */
  | { applied: true; description: string }
  /** A map lookup found no element: the rule does not match and the chain goes on (NFT_BREAK). */
  | { applied: false; description: string };

/**
 * Runs one NAT statement for the first packet of a connection: records in `ctx.conn` what it sets up.
 * `priority` is the priority of the base chain the statement runs in.
 */
export function applyNatStatement(s: A.NatStmt, ctx: EvalContext, priority: number): NatOutcome {
  if (s.type === 'snat' || s.type === 'masquerade') {
    ctx.conn.snat = true;
    return { applied: true, description: `${s.type} (the source changes in postrouting, after forward)` };
  }
  // dnat and redirect belong to prerouting (and output, which forwarded packets never cross).
  if (ctx.hook !== 'prerouting') return { applied: true, description: s.type };
  if (s.type === 'redirect') {
    ctx.conn.dnat = { priority, local: true };
    return { applied: true, description: 'redirect to the router itself' };
  }
  const to = s.to ? targetOf(s.to, ctx, 0) : { miss: false as const };
  if (to.miss) return { applied: false, description: 'dnat map: no element matches' };
  let dport = to.dport;
  let dportUnknown = false;
  if (s.port) {
    dport = numberOf(s.port, ctx);
    dportUnknown = dport === undefined;
  }
  const dnat: DnatState = { daddr: to.daddr, priority, local: false };
  if (dport !== undefined) dnat.dport = dport;
  if (dportUnknown || to.dportUnknown) dnat.dportUnknown = true;
  ctx.conn.dnat = dnat;
  const port = dnat.dport !== undefined ? `:${dnat.dport}` : dnat.dportUnknown ? ':?' : '';
  return { applied: true, description: `dnat to ${dnat.daddr ?? '(an address the ruleset leaves open)'}${port}` };
}

interface Target {
  miss: false;
  daddr?: string;
  dport?: number;
  dportUnknown?: boolean;
}

/** The address (and port, for `ADDR . PORT` map data) a `dnat to` expression gives this packet. */
function targetOf(e: A.Expr, ctx: EvalContext, depth: number): Target | { miss: true } {
  if (depth > MAX_DEPTH) return { miss: false };
  switch (e.kind) {
    case 'Address':
      return { miss: false, daddr: plainAddress(e.text) };
    case 'Var': {
      const v = resolveVar(ctx.model, ctx.table, e.name.text);
      return v ? targetOf(v, ctx, depth + 1) : { miss: false };
    }
    case 'Concat': {
      const [addr, port] = e.parts;
      const a = addr ? targetOf(addr, ctx, depth + 1) : { miss: false as const };
      if (a.miss) return a;
      const p = port ? numberOf(port, ctx) : undefined;
      return { miss: false, daddr: a.daddr, dport: p, dportUnknown: port !== undefined && p === undefined };
    }
    case 'Map': {
      const named = e.map.kind === 'SetRef' ? ctx.table.sets.get(e.map.name.text) : undefined;
      const elements = setElements(e.map, ctx.table);
      if (!elements) return { miss: false };
      // Data such as `ipv4_addr . inet_service` (or `… . th dport` by typeof) carries the port as well.
      const carriesPort = named ? /\.|inet_service|dport/.test(named.dataType ?? '') : elements.some((el) => el.value?.kind === 'Concat');
      const open: Target = { miss: false, ...(carriesPort ? { dportUnknown: true } : {}) };
      const key = evalSelector(e.key, ctx);
      for (const el of elements) {
        const r = matchValue(key, undefined, el.key, ctx).result;
        if (r === 'unknown') return open;
        if (r === 'match') return el.value ? targetOf(el.value, ctx, depth + 1) : open;
      }
      // A map filled at run time may hold the key: the destination is open, not missing.
      return named && isOpenSet(named, ctx.model) ? open : { miss: true };
    }
    default:
      return { miss: false };
  }
}

function numberOf(e: A.Expr, ctx: EvalContext): number | undefined {
  return numberValue(e, (name) => resolveVar(ctx.model, ctx.table, name));
}

/** `[2001:db8::1]` → `2001:db8::1`; prefixes and ranges are not one address. */
function plainAddress(text: string): string | undefined {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return /[/-]/.test(t) ? undefined : t;
}

/**
 * The translation conntrack recorded for a live flow, as the walk applies it: at the kernel's
 * destination-NAT point in prerouting (the nat chain that did it may not be in this ruleset).
 */
export function observedDnat(flow: FlowSpec): DnatState | undefined {
  const d = flow.observedNat?.dnat;
  if (!d) return undefined;
  return { daddr: d.daddr, ...(d.dport !== undefined ? { dport: d.dport } : {}), priority: NAT_DST_PRIORITY, local: false, observed: true };
}

/** Whether the destination translation applies at this hook position, for a packet of this direction. */
function translatedAt(dir: Packet['dir'], dnat: DnatState, hook: string, priority: number): boolean {
  if (dir === 'original') return hook === 'forward' || hook === 'postrouting' || (hook === 'prerouting' && priority > dnat.priority);
  // Replies come from the new destination and get their source restored in postrouting at NAT_SRC.
  return hook !== 'postrouting' || priority < NAT_SRC_PRIORITY;
}

/** The packet as a base chain at (hook, priority) sees it, given the connection's destination NAT. */
export function packetSeenAt(packet: Packet, dnat: DnatState | undefined, hook: string, priority: number): Packet {
  if (!dnat || dnat.local || !translatedAt(packet.dir, dnat, hook, priority)) return packet;
  const port = (old: number | undefined) => (dnat.dportUnknown ? undefined : dnat.dport ?? old);
  return packet.dir === 'original'
    ? { ...packet, daddr: dnat.daddr, dport: port(packet.dport) }
    : { ...packet, saddr: dnat.daddr, sport: port(packet.sport) };
}

/** A `redirect`ed connection is delivered to the router from prerouting's NAT point on: it never reaches forward. */
export function deliveredLocally(dnat: DnatState | undefined): boolean {
  return !!dnat?.local;
}
