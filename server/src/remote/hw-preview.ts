import type { FlowtableInfo } from './conntrack-parser';

/**
 * Hardware-acceleration preview: pure parsers for what a router prints (no I/O, never throw) and a
 * per-device prediction of the path a forwarded flow takes: hardware, software fast path, or slow
 * path, with reasons. Facts from /work/shared/reference/offload.md §1.5-1.6 and §2-3.
 */

export interface KernelVersion { major: number; minor: number; patch: number; raw: string }

/** `uname -r` text, e.g. "6.6.73", "5.15.167-openwrt", "6.1.0-26-amd64". */
export function parseKernelVersion(text: string): KernelVersion | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? { major: +m[1], minor: +m[2], patch: +(m[3] ?? 0), raw: text.trim() } : undefined;
}
const atLeast = (k: KernelVersion | undefined, major: number, minor: number) => !!k && (k.major > major || (k.major === major && k.minor >= minor));

export interface LinkInfo {
  ifindex: number;
  name: string;
  /** The `@parent` of `name@parent` (VLAN parent, DSA conduit, veth peer index). */
  parent?: string;
  master?: string;
  qdisc?: string;
  /** linkinfo kind: vlan, bridge, dsa, veth, ppp, wireguard, macvlan, ... */
  kind?: string;
  vlanProtocol?: string;
  vlanId?: number;
  /** DSA user port: the conduit (`dsa conduit eth0` / older `dsa master eth0`). */
  dsaConduit?: string;
  bridgePort: boolean;
}

const KINDS = new Set(['vlan', 'bridge', 'dsa', 'veth', 'ppp', 'pppoe', 'wireguard', 'macvlan', 'ipvlan', 'vxlan', 'gre', 'gretap', 'bond', 'tun', 'dummy', 'ifb']);

/** `ip -d link show` text. */
export function parseIpDetailLink(text: string): LinkInfo[] {
  const out: LinkInfo[] = [];
  let cur: LinkInfo | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\d+):\s+([^:@\s]+)(?:@([^:\s]+))?:\s+<[^>]*>(.*)$/.exec(line);
    if (head) {
      const rest = head[4];
      cur = { ifindex: +head[1], name: head[2], bridgePort: false };
      if (head[3] && head[3] !== 'NONE' && !/^if\d+$/.test(head[3])) cur.parent = head[3];
      const q = /\bqdisc (\S+)/.exec(rest);
      if (q) cur.qdisc = q[1];
      const ms = /\bmaster (\S+)/.exec(rest);
      if (ms) cur.master = ms[1];
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const words = line.trim().split(/\s+/);
    if (words[0] === 'bridge_slave') cur.bridgePort = true;
    else if (words[0] === 'vlan' && words[1] === 'protocol') {
      cur.kind = 'vlan';
      cur.vlanProtocol = words[2];
      const id = words.indexOf('id');
      if (id > 0) cur.vlanId = +words[id + 1];
    } else if (words[0] === 'dsa' && (words[1] === 'conduit' || words[1] === 'master')) {
      cur.kind = 'dsa';
      cur.dsaConduit = words[2];
    } else if (KINDS.has(words[0]) && cur.kind === undefined && !words[0].startsWith('link/')) cur.kind = words[0];
  }
  return out;
}

/** Lines "DEV DRIVER" (RouterCommands.driverNames: basename of /sys/class/net/DEV/device/driver). */
export function parseDriverNames(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [dev, drv] = line.trim().split(/\s+/);
    if (dev && drv) m.set(dev, drv);
  }
  return m;
}

export type HwTcState = 'on' | 'off' | 'off-fixed' | 'on-fixed';

/** `ethtool -k DEV` output (one or many, each starting "Features for DEV:"). */
export function parseEthtoolHwTc(text: string): Map<string, HwTcState> {
  const m = new Map<string, HwTcState>();
  let dev: string | undefined;
  for (const line of text.split('\n')) {
    const h = /^Features for (\S+?):/.exec(line.trim());
    if (h) { dev = h[1]; continue; }
    const f = /^hw-tc-offload:\s+(on|off)(\s+\[fixed\])?/.exec(line.trim());
    if (f && dev) m.set(dev, `${f[1]}${f[2] ? '-fixed' : ''}` as HwTcState);
  }
  return m;
}

export interface PpeEntry {
  index: number;
  state: 'UNB' | 'BND' | 'FIN';
  type: string;
  origSrc: string;
  origSport: number;
  origDst: string;
  origDport: number;
  packets?: number;
  bytes?: number;
}

/** Split "addr:port" at the last colon (IPv6 addresses are uncompressed in debugfs, §3.6). */
function splitAddrPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i), +s.slice(i + 1)];
}

/** MediaTek PPE debugfs `entries`/`bind` lines (mtk_ppe_debugfs.c mtk_ppe_debugfs_foe_show). */
export function parsePpeEntries(text: string): PpeEntry[] {
  const out: PpeEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{5})\s+(UNB|BND|FIN)\s+(.+?)\s+orig=(\S+)->(\S+)(.*)$/.exec(line.trim());
    if (!m) continue;
    const [src, sport] = splitAddrPort(m[4]);
    const [dst, dport] = splitAddrPort(m[5]);
    const pk = /\bpackets=(\d+)/.exec(m[6]);
    const by = /\bbytes=(\d+)/.exec(m[6]);
    out.push({ index: parseInt(m[1], 16), state: m[2] as PpeEntry['state'], type: m[3], origSrc: src, origSport: sport, origDst: dst, origDport: dport, packets: pk ? +pk[1] : undefined, bytes: by ? +by[1] : undefined });
  }
  return out;
}

/** Drivers that implement TC_SETUP_FT (offload.md §2.1, kernel 6.18). */
export const TC_SETUP_FT_DRIVERS = new Set(['mtk_soc_eth', 'mtk_eth_soc', 'mtk_wed', 'airoha_eth', 'mlx5_core']);
const SHAPING_QDISCS = new Set(['cake', 'htb', 'hfsc', 'tbf', 'cbq', 'drr', 'qfq']);

export type DevicePath = 'hardware' | 'software' | 'slow';
export interface PathReason { code: string; message: string }
export interface DevicePathPrediction { device: string; path: DevicePath; reasons: PathReason[] }

export interface PreviewInput {
  kernel?: KernelVersion;
  links: LinkInfo[];
  drivers: Map<string, string>;
  hwTc: Map<string, HwTcState>;
  flowtable: FlowtableInfo;
  /** PPE entries (bind or entries file) and table capacity per PPE (8192 on 5.15-6.6, 16384 in 6.18). */
  ppe?: { entries: PpeEntry[]; capacity: number };
}

/**
 * Predicts the path of flows entering through `device` (the L3 device a flow is routed from/to).
 * The kernel (≥ 5.13) records the lowest Ethernet device below VLAN/bridge/DSA as the flow's
 * device; it must be listed in the flowtable, or the flow falls back to the listed L3 device.
 */
export function predictDevicePath(device: string, input: PreviewInput): DevicePathPrediction {
  const reasons: PathReason[] = [];
  const byName = new Map(input.links.map((l) => [l.name, l]));
  const listed = new Set(input.flowtable.devices);
  const link = byName.get(device);
  const discovery = atLeast(input.kernel, 5, 13);

  // Walk down VLAN/DSA parents to the lowest device, counting VLAN layers.
  const chain: LinkInfo[] = [];
  let l = link;
  let vlans = 0;
  let qinq = false;
  while (l && chain.length < 8) {
    chain.push(l);
    if (l.kind === 'vlan') { vlans++; if (l.vlanProtocol === '802.1ad') qinq = true; }
    const next = l.kind === 'vlan' ? l.parent : undefined;
    l = next ? byName.get(next) : undefined;
  }
  const lowest = chain[chain.length - 1] ?? link;
  const lowestName = lowest?.name ?? device;

  let recorded: string | undefined;
  if (discovery && listed.has(lowestName)) recorded = lowestName;
  else if (listed.has(device)) recorded = device;
  else if (link?.master && listed.has(link.master)) {
    recorded = link.master;
    reasons.push({ code: 'bridge-port-not-in-flowtable', message: `${device} is a port of ${link.master}; only ${link.master} is listed in flowtable ${input.flowtable.name}, so flows use the bridge device (software only, and a qdisc on the port is skipped)` });
  }
  if (!recorded) {
    reasons.push({ code: 'not-in-flowtable', message: `neither ${device}${lowestName !== device ? ` nor ${lowestName}` : ''} is listed in flowtable ${input.flowtable.name}` });
    return { device, path: 'slow', reasons };
  }
  if (vlans >= 2) {
    reasons.push({ code: 'vlan-in-vlan', message: `${device} is VLAN in VLAN${qinq ? ' (802.1ad outer tag)' : ''}: the offload rule matches at most two tags and MediaTek's PPE only 802.1Q tags (offload.md §2.1-2.2)` });
  }
  if (link && link.kind === 'vlan' && vlans === 1 && link.master) {
    // nothing special: VLAN on a bridge port, covered by 5.13 discovery
  }
  const hwOk = (): boolean => {
    if (!input.flowtable.offload) return false;
    if (input.kernel && !atLeast(input.kernel, 5, 5)) {
      reasons.push({ code: 'kernel-too-old', message: `kernel ${input.kernel.raw} predates hardware flow offload (5.5)` });
      return false;
    }
    if (recorded === link?.master) return false;
    if (vlans >= 2 && (qinq || vlans > 2)) return false;
    const rec = byName.get(recorded!);
    const driverDev = rec?.kind === 'dsa' && rec.dsaConduit ? rec.dsaConduit : recorded!;
    const drv = input.drivers.get(driverDev);
    if (!drv || !TC_SETUP_FT_DRIVERS.has(drv)) {
      reasons.push({ code: 'driver-lacks-tc-setup-ft', message: `driver ${drv ?? '(none)'} of ${driverDev} does not implement TC_SETUP_FT; flows stay in the software fast path` });
      return false;
    }
    const tc = input.hwTc.get(driverDev) ?? input.hwTc.get(recorded!);
    if (tc === 'off' || tc === 'off-fixed') {
      reasons.push({ code: 'hw-tc-offload-off', message: `hw-tc-offload is ${tc === 'off' ? 'off (ethtool -K ' + driverDev + ' hw-tc-offload on)' : 'off [fixed]'} on ${driverDev}` });
      return false;
    }
    if (input.ppe && input.ppe.entries.length >= input.ppe.capacity) {
      reasons.push({ code: 'ppe-full', message: `the PPE table holds ${input.ppe.entries.length} of ${input.ppe.capacity} entries; new flows stay in software` });
      return false;
    }
    return true;
  };
  const path: DevicePath = hwOk() ? 'hardware' : 'software';
  const shaped = chain.find((c) => c.qdisc && SHAPING_QDISCS.has(c.qdisc));
  if (shaped && path === 'hardware') {
    reasons.push({ code: 'shaping-bypassed', message: `qdisc ${shaped.qdisc} on ${shaped.name} is bypassed by hardware-offloaded flows (offload.md §1.5 H06)` });
  }
  if (path === 'software' && link?.master && recorded === link.master) {
    const br = byName.get(link.master);
    if (br?.qdisc && SHAPING_QDISCS.has(br.qdisc)) reasons.push({ code: 'shaping-bypassed', message: `qdisc ${br.qdisc} on bridge ${br.name} is skipped on the direct xmit path (H06)` });
  }
  return { device, path, reasons };
}
