/**
 * Parses `family=ip l4proto=tcp iif=lan0 oif=wan0 saddr=… daddr=… sport=… dport=…`.
 * Errors name the key and say what is accepted; nothing throws.
 */
import type { FlowSpec } from './flow-model';
import { parseIp, parsePort, protoNumber } from './values';

export type FlowSpecResult = { ok: true; flow: FlowSpec } | { ok: false; errors: string[] };

const KEYS = ['family', 'l4proto', 'proto', 'iif', 'oif', 'saddr', 'daddr', 'sport', 'dport', 'mark', 'helper', 'ipsec', 'udp'];

export function parseFlowSpec(text: string): FlowSpecResult {
  const errors: string[] = [];
  const fields = new Map<string, string>();
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = tok.indexOf('=');
    if (eq <= 0) {
      errors.push(`\`${tok}\` is not key=value (keys: ${KEYS.join(', ')})`);
      continue;
    }
    const k = tok.slice(0, eq).toLowerCase();
    const v = tok.slice(eq + 1);
    if (!KEYS.includes(k)) errors.push(`unknown key \`${k}\` (keys: ${KEYS.join(', ')})`);
    else if (fields.has(k)) errors.push(`\`${k}\` is given twice`);
    else fields.set(k === 'proto' ? 'l4proto' : k, v);
  }
  const famText = fields.get('family');
  let family: 'ip' | 'ip6' | undefined;
  if (famText === 'ip' || famText === 'ipv4') family = 'ip';
  else if (famText === 'ip6' || famText === 'ipv6') family = 'ip6';
  else if (famText !== undefined) errors.push(`family=${famText}: a packet is \`ip\` (IPv4) or \`ip6\` (IPv6)`);
  for (const k of ['saddr', 'daddr'] as const) {
    const v = fields.get(k);
    if (v === undefined) continue;
    const ip = parseIp(v);
    if (!ip) errors.push(`${k}=${v} is not an IPv4 or IPv6 address`);
    else if (family === undefined) family = ip.v6 ? 'ip6' : 'ip';
    else if (ip.v6 !== (family === 'ip6')) errors.push(`${k}=${v} is not an ${family === 'ip' ? 'IPv4' : 'IPv6'} address, but family=${family}`);
  }
  if (!family && !errors.length) errors.push('family is missing: give family=ip or family=ip6 (or an address)');
  const protoText = fields.get('l4proto');
  const l4proto = protoText === undefined ? undefined : protoNumber(protoText);
  if (protoText === undefined) errors.push('l4proto is missing: give l4proto=tcp, udp, gre, icmp … or a number');
  else if (l4proto === undefined || l4proto > 255) errors.push(`l4proto=${protoText} is not a protocol name or number 0-255`);
  const port = (k: 'sport' | 'dport') => {
    const v = fields.get(k);
    if (v === undefined) return undefined;
    const p = parsePort(v);
    if (p === undefined) errors.push(`${k}=${v} is not a port number 0-65535 or service name`);
    else if (l4proto !== undefined && ![6, 17, 132, 136, 33].includes(l4proto)) errors.push(`${k} only applies to protocols with ports (tcp, udp, sctp …)`);
    return p;
  };
  const sport = port('sport');
  const dport = port('dport');
  let mark: number | undefined;
  const mt = fields.get('mark');
  if (mt !== undefined) {
    mark = /^0x[0-9a-f]+$/i.test(mt) ? parseInt(mt, 16) : /^\d+$/.test(mt) ? Number(mt) : undefined;
    if (mark === undefined) errors.push(`mark=${mt} is not a number`);
  }
  const ipsecText = fields.get('ipsec');
  if (ipsecText !== undefined && !['yes', 'no', 'in', '1', '0', 'true', 'false'].includes(ipsecText)) errors.push(`ipsec=${ipsecText}: use ipsec=yes or ipsec=no`);
  const udp = fields.get('udp');
  if (udp !== undefined && udp !== 'reply' && udp !== 'stream') errors.push(`udp=${udp}: use udp=reply (request/response, the default) or udp=stream (client sends again before the first reply)`);
  if (errors.length || !family || l4proto === undefined) return { ok: false, errors };
  const flow: FlowSpec = { family, l4proto };
  if (fields.has('iif')) flow.iif = fields.get('iif');
  if (fields.has('oif')) flow.oif = fields.get('oif');
  if (fields.has('saddr')) flow.saddr = fields.get('saddr');
  if (fields.has('daddr')) flow.daddr = fields.get('daddr');
  if (sport !== undefined) flow.sport = sport;
  if (dport !== undefined) flow.dport = dport;
  if (mark !== undefined) flow.mark = mark;
  if (fields.has('helper')) flow.helper = fields.get('helper');
  if (ipsecText !== undefined) flow.ipsec = ['yes', 'in', '1', 'true'].includes(ipsecText);
  if (udp) flow.udpTiming = udp as 'reply' | 'stream';
  return { ok: true, flow };
}

export function formatFlowSpec(f: FlowSpec): string {
  const parts = [`family=${f.family}`, `l4proto=${protoLabel(f.l4proto)}`];
  for (const k of ['iif', 'oif', 'saddr', 'daddr', 'sport', 'dport', 'mark', 'helper'] as const) if (f[k] !== undefined) parts.push(`${k}=${f[k]}`);
  if (f.ipsec) parts.push('ipsec=yes');
  if (f.udpTiming) parts.push(`udp=${f.udpTiming}`);
  return parts.join(' ');
}

function protoLabel(n: number): string {
  return ({ 6: 'tcp', 17: 'udp', 47: 'gre', 1: 'icmp', 58: 'icmpv6', 132: 'sctp', 50: 'esp' } as Record<number, string>)[n] ?? String(n);
}
