/**
 * Pure parsers for live conntrack state, formats from /work/shared/reference/offload.md §3.1-3.2
 * (`conntrack -L`, libnetfilter_conntrack snprintf_default.c; /proc/net/nf_conntrack,
 * nf_conntrack_standalone.c ct_seq_show). Invariants: never throws; timeout and state are optional
 * (absent on offloaded entries); the status tag is one of HW_OFFLOAD > OFFLOAD > ASSURED.
 */
export type ActualPath = 'hw-offload' | 'sw-offload' | 'slow';

export interface ConntrackTuple {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  packets?: number;
  bytes?: number;
}

export interface ConntrackEntry {
  l3?: 'ipv4' | 'ipv6';
  proto: string;
  protoNum: number;
  timeout?: number;
  state?: string;
  orig: ConntrackTuple;
  reply?: ConntrackTuple;
  unreplied: boolean;
  actual: ActualPath;
  assured: boolean;
  mark?: number;
  zone?: number;
}

/** RFC 5952 text for an IPv6 address given in any valid form; other strings are returned as-is. */
export function normalizeIpv6(addr: string): string {
  if (!addr.includes(':')) return addr;
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (addr.includes('::') ? missing < 1 : missing !== 0) return addr;
  const groups = [...h, ...Array(addr.includes('::') ? missing : 0).fill('0'), ...t].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return addr;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return hex.slice(0, best).join(':') + '::' + hex.slice(best + bestLen).join(':');
}

export function parseConntrackLine(line: string): ConntrackEntry | undefined {
  const words = line.trim().split(/\s+/);
  if (words.length < 4) return undefined;
  let i = 0;
  if (words[i] === '[NEW]' || words[i] === '[UPDATE]' || words[i] === '[DESTROY]') i++;
  let l3: ConntrackEntry['l3'];
  if (words[i] === 'ipv4' || words[i] === 'ipv6') {
    l3 = words[i] as 'ipv4' | 'ipv6';
    i += 2;
  }
  const proto = words[i++];
  const protoNum = Number(words[i++]);
  if (!proto || !/^[a-z0-9-]+$/.test(proto) || !Number.isInteger(protoNum)) return undefined;
  let timeout: number | undefined;
  if (/^\d+$/.test(words[i] ?? '')) timeout = Number(words[i++]);
  let state: string | undefined;
  if (/^[A-Z_]+$/.test(words[i] ?? '')) state = words[i++];
  const tuples: ConntrackTuple[] = [];
  let unreplied = false;
  let tag: string | undefined;
  let assured = false;
  let mark: number | undefined;
  let zone: number | undefined;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '[UNREPLIED]') { unreplied = true; continue; }
    if (w === '[HW_OFFLOAD]' || w === '[OFFLOAD]') { tag = tag === 'HW_OFFLOAD' ? tag : w.slice(1, -1); continue; }
    if (w === '[ASSURED]') { assured = true; continue; }
    const eq = w.indexOf('=');
    if (eq < 0) continue;
    const k = w.slice(0, eq);
    const v = w.slice(eq + 1);
    if (k === 'src') tuples.push({ src: normalizeIpv6(v), dst: '' });
    const cur = tuples[tuples.length - 1];
    if (k === 'dst' && cur) cur.dst = normalizeIpv6(v);
    else if (k === 'sport' && cur) cur.sport = Number(v);
    else if (k === 'dport' && cur) cur.dport = Number(v);
    else if (k === 'packets' && cur) cur.packets = Number(v);
    else if (k === 'bytes' && cur) cur.bytes = Number(v);
    else if (k === 'mark') mark = Number(v);
    else if (k === 'zone') zone = Number(v);
  }
  if (tuples.length === 0 || tuples[0].dst === '') return undefined;
  const actual: ActualPath = tag === 'HW_OFFLOAD' ? 'hw-offload' : tag === 'OFFLOAD' ? 'sw-offload' : 'slow';
  return { l3, proto, protoNum, timeout, state, orig: tuples[0], reply: tuples[1], unreplied, actual, assured, mark, zone };
}

/** Parses a whole listing; summary lines ("N flow entries have been shown.") are skipped. */
export function parseConntrackListing(text: string): ConntrackEntry[] {
  const out: ConntrackEntry[] = [];
  for (const line of text.split('\n')) {
    const e = parseConntrackLine(line);
    if (e) out.push(e);
  }
  return out;
}

// ---- nft list flowtables (offload.md §3.3) ----

export interface FlowtableInfo {
  family: string;
  table: string;
  name: string;
  hook?: string;
  priority?: string;
  devices: string[];
  offload: boolean;
  counter: boolean;
}

export function parseFlowtableListing(text: string): FlowtableInfo[] {
  const out: FlowtableInfo[] = [];
  let table: { family: string; name: string } | undefined;
  let cur: FlowtableInfo | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/;$/, '');
    let m: RegExpExecArray | null;
    if ((m = /^table (\S+) (\S+) \{$/.exec(line))) table = { family: m[1], name: m[2] };
    else if ((m = /^flowtable (\S+) \{$/.exec(line)) && table) {
      cur = { family: table.family, table: table.name, name: m[1], devices: [], offload: false, counter: false };
      out.push(cur);
    } else if (cur && (m = /^hook (\S+) priority (.+)$/.exec(line))) { cur.hook = m[1]; cur.priority = m[2]; }
    else if (cur && (m = /^devices = \{(.*)\}$/.exec(line))) cur.devices = m[1].split(',').map((d) => d.trim().replace(/^"|"$/g, '')).filter(Boolean);
    else if (cur && line === 'flags offload') cur.offload = true;
    else if (cur && line === 'counter') cur.counter = true;
    else if (line === '}' && cur) cur = undefined;
    else if (line === '}') table = undefined;
  }
  return out;
}
