/**
 * Value helpers for the offload walk: addresses, ports, protocol numbers and
 * chain priorities as nft spells them. Pure and total: unknown spellings give
 * `undefined`, never a throw.
 */
import type * as A from '../syntax/ast';

/** IPv4 or IPv6 address as a bigint plus its width, so prefixes and ranges compare the same way. */
export interface IpValue {
  v6: boolean;
  n: bigint;
}

export function parseIp(text: string): IpValue | undefined {
  const t = text.replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const p = t.split('.').map(Number);
    if (p.some((x) => x > 255)) return undefined;
    return { v6: false, n: BigInt(((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]) };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let head = t;
  let tail4: number[] = [];
  const m = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (m) {
    const v4 = parseIp(m[2]);
    if (!v4) return undefined;
    head = m[1].endsWith('::') ? m[1] : m[1].slice(0, -1);
    tail4 = [Number(v4.n >> 16n), Number(v4.n & 0xffffn)];
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const left = part(dbl[0]);
  const right = dbl.length === 2 ? part(dbl[1]) : [];
  const groupsNeeded = 8 - tail4.length;
  const fill = dbl.length === 2 ? groupsNeeded - left.length - right.length : 0;
  if (fill < 0 || (dbl.length === 1 && left.length !== groupsNeeded)) return undefined;
  const groups = [...left, ...Array(fill).fill('0'), ...right];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let n = 0n;
  for (const g of [...groups.map((g) => parseInt(g, 16)), ...tail4]) n = (n << 16n) | BigInt(g);
  return { v6: true, n };
}

export function inPrefix(ip: IpValue, base: IpValue, len: number): boolean {
  if (ip.v6 !== base.v6) return false;
  const width = ip.v6 ? 128n : 32n;
  const shift = width - BigInt(len);
  return ip.n >> shift === base.n >> shift;
}

/** `/etc/services` names nft accepts for the ports people actually write. */
const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, tftp: 69, http: 80, www: 80, pop3: 110, ntp: 123,
  imap: 143, snmp: 161, ldap: 389, https: 443, isakmp: 500, submission: 587, imaps: 993, pop3s: 995,
  openvpn: 1194, pptp: 1723, sip: 5060, 'ipsec-nat-t': 4500, 'http-alt': 8080, irc: 6667, rtsp: 554,
};

export function parsePort(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES[text.toLowerCase()];
}

/** IP protocol numbers (`/etc/protocols` names nft accepts). */
export const PROTOCOLS: Record<string, number> = {
  icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, 'ipv6-icmp': 58, sctp: 132, udplite: 136, dccp: 33,
};

export function protoNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return PROTOCOLS[text.toLowerCase()];
}

export function protoName(n: number): string {
  for (const [k, v] of Object.entries(PROTOCOLS)) if (v === n && k !== 'ipv6-icmp') return k;
  return String(n);
}

/** Standard priority names (nft(8) "PRIORITY" table) for ip/ip6/inet/netdev; bridge differs. */
const PRIORITY_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE_PRIORITY_NAMES: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

export function numberValue(e: A.Expr | undefined, resolve?: (name: string) => A.Expr | undefined, names: Record<string, number> = {}, depth = 0): number | undefined {
  if (!e || depth > 8) return undefined;
  switch (e.kind) {
    case 'Number':
      return e.text.startsWith('0x') ? parseInt(e.text, 16) : Number(e.text);
    case 'Neg': {
      const v = numberValue(e.operand, resolve, names, depth + 1);
      return v === undefined ? undefined : -v;
    }
    case 'Word':
    case 'KeywordValue':
    case 'String':
      return names[e.text];
    case 'Var':
      return numberValue(resolve?.(e.name.text), resolve, names, depth + 1);
    case 'Binary': {
      // `name ± N` is Binary('+', name, ±N) (syntax/ast.ts BinaryOp): the right side carries its sign.
      const l = numberValue(e.left, resolve, names, depth + 1);
      const r = numberValue(e.right, resolve, names, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return l + r;
    }
    default:
      return undefined;
  }
}

export function priorityValue(e: A.Expr | undefined, family: string, resolve?: (name: string) => A.Expr | undefined): number | undefined {
  return numberValue(e, resolve, family === 'bridge' ? BRIDGE_PRIORITY_NAMES : PRIORITY_NAMES);
}

/** nft interface-name wildcard: a trailing `*` matches any suffix. */
export function ifnameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}
