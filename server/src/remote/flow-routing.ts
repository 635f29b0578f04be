import { isIP } from 'node:net';
import { RouterCommands } from './router-commands';
import type { RouterSession } from './ssh-transport';

/**
 * Which interfaces a live flow crosses on the router. Conntrack records no interfaces, so the flows
 * view asks the router's own tables over the same SSH session: `ip -o addr show` (its addresses)
 * and `ip -o route get` for every flow endpoint (addresses go on stdin, one per line; the command is
 * a constant, router-commands.ts). The input interface is the device of the route back to the
 * source: this assumes symmetric routing, as reverse-path filtering does.
 * Parsers are pure and never throw; unknown answers leave the interface undefined (open).
 */
export interface LocalAddress {
  dev: string;
  addr: string;
  prefix: number;
}

export interface RouteAnswer {
  dev?: string;
  /** The kernel routes this address to the router itself (`local …`). */
  local: boolean;
  error?: string;
}

export interface FlowRouting {
  addrs: LocalAddress[];
  routes: Map<string, RouteAnswer>;
}

export interface FlowInterfaces {
  iif?: string;
  oif?: string;
  /** Set when the router itself is an endpoint: such traffic is not forwarded, so never offloaded. */
  local?: 'to-router' | 'from-router';
}

/** Endpoints of a conntrack entry: original source and destination, and the reply's source (the real destination after DNAT). */
export interface FlowEndpoints {
  src: string;
  dst: string;
  replySrc?: string;
}

/** `3: rlan    inet 10.10.1.1/24 scope global rlan\ …` (`ip -o addr show`, iproute2 ipaddress.c). */
export function parseIpAddrShow(text: string): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet6?\s+([0-9A-Fa-f:.]+)\/(\d+)/.exec(line);
    if (m) out.push({ dev: m[1].replace(/@.*$/, ''), addr: m[2].toLowerCase(), prefix: Number(m[3]) });
  }
  return out;
}

/**
 * Output of RouterCommands.routeGet: `= ADDR` then what `ip -o route get ADDR` printed, e.g.
 * `10.10.2.2 dev rwan src 10.10.2.1 uid 0 \    cache`, `local 10.10.1.1 dev lo table local …`, or an
 * error (`RTNETLINK answers: Network is unreachable`).
 */
export function parseRouteGet(text: string): Map<string, RouteAnswer> {
  const out = new Map<string, RouteAnswer>();
  let cur: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('= ')) {
      cur = line.slice(2).trim().toLowerCase();
      out.set(cur, { local: false });
      continue;
    }
    if (!cur || !line) continue;
    const a = out.get(cur)!;
    if (a.dev || a.local || a.error) continue;
    const dev = /\bdev (\S+)/.exec(line);
    if (/^local\s/.test(line)) {
      a.local = true;
      a.dev = dev?.[1];
    } else if (/^(unreachable|prohibit|blackhole|throw)\s/.test(line) || /^RTNETLINK|^Error/.test(line)) a.error = line;
    else if (dev) a.dev = dev[1];
  }
  return out;
}

function toBits(addr: string): bigint | undefined {
  const v = isIP(addr);
  if (v === 4) return addr.split('.').reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
  if (v !== 6 || addr.includes('.')) return undefined;
  const [h, t] = addr.split('::');
  const hs = h ? h.split(':') : [];
  const ts = t !== undefined && t !== '' ? t.split(':') : [];
  const groups = [...hs, ...Array(addr.includes('::') ? 8 - hs.length - ts.length : 0).fill('0'), ...ts];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Longest-prefix match against the router's connected networks (used when `ip route get` gave nothing). */
export function connectedDevice(addrs: LocalAddress[], addr: string): string | undefined {
  const a = toBits(addr);
  if (a === undefined) return undefined;
  const width = isIP(addr) === 4 ? 32 : 128;
  let best: LocalAddress | undefined;
  for (const l of addrs) {
    if (isIP(l.addr) !== isIP(addr) || l.dev === 'lo') continue;
    const b = toBits(l.addr);
    if (b === undefined) continue;
    const shift = BigInt(width - l.prefix);
    if (a >> shift === b >> shift && (!best || l.prefix > best.prefix)) best = l;
  }
  return best?.dev;
}

/** Pure: the interfaces of one flow, given the router's answers. */
export function interfacesFor(flow: FlowEndpoints, routing: FlowRouting): FlowInterfaces {
  const key = (a: string) => a.toLowerCase();
  const isLocal = (a: string) => routing.addrs.some((l) => l.addr === key(a)) || routing.routes.get(key(a))?.local === true;
  const devOf = (a: string) => {
    const r = routing.routes.get(key(a));
    return r && !r.local && !r.error && r.dev ? r.dev : connectedDevice(routing.addrs, a);
  };
  // After DNAT the packet goes to the reply's source, not the original destination.
  const realDst = flow.replySrc ?? flow.dst;
  if (isLocal(flow.src)) return { local: 'from-router' };
  if (isLocal(realDst)) return { local: 'to-router' };
  return { iif: devOf(flow.src), oif: devOf(realDst) };
}

/** Reads the routing facts for these endpoints over the session (two fixed commands). */
export async function readFlowRouting(session: RouterSession, addresses: Iterable<string>): Promise<FlowRouting> {
  const wanted = [...new Set([...addresses].map((a) => a.toLowerCase()))].filter((a) => isIP(a) !== 0);
  const [addr, routes] = await Promise.all([
    session.exec(RouterCommands.ipAddrs),
    wanted.length ? session.exec(RouterCommands.routeGet, wanted.join('\n') + '\n') : undefined,
  ]);
  return {
    addrs: addr.code === 0 ? parseIpAddrShow(addr.stdout) : [],
    routes: routes && routes.code === 0 ? parseRouteGet(routes.stdout) : new Map(),
  };
}
