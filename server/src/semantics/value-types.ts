import type * as A from '../syntax/ast';
import type { Span } from '../core/span';
import { CT_STATES, PROTOCOL_NAMES, SERVICE_NAMES } from './well-known-names';
import type { SemanticRuleKey } from './codes';
import { pathText } from '../syntax/node-builders';

/**
 * The few datatypes we check values against, named as nft names them (`nft describe`).
 * Everything else is left to nft: being wrong here means a false error on a valid
 * ruleset, so each check only fires on a value that cannot be of the type.
 */
export type CheckedType = 'ipv4_addr' | 'ipv6_addr' | 'ether_addr' | 'inet_service' | 'inet_proto' | 'ct_state' | 'classid';

const CHECKED: readonly string[] = ['ipv4_addr', 'ipv6_addr', 'ether_addr', 'inet_service', 'inet_proto', 'ct_state', 'classid'];

export function asCheckedType(name: string | undefined): CheckedType | undefined {
  return name && CHECKED.includes(name) ? (name as CheckedType) : undefined;
}

const PORT_PROTOS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'th']);

/** The datatype of a selector path, for the selectors we check (nft `src/proto.c` templates). */
export function selectorType(path: readonly string[]): CheckedType | undefined {
  const p = pathText(path);
  if (p === 'ip saddr' || p === 'ip daddr' || p === 'arp saddr ip' || p === 'arp daddr ip') return 'ipv4_addr';
  if (p === 'ip6 saddr' || p === 'ip6 daddr') return 'ipv6_addr';
  if (p === 'ether saddr' || p === 'ether daddr' || p === 'arp saddr ether' || p === 'arp daddr ether') return 'ether_addr';
  if (path.length === 4 && path[0] === 'ct' && (path[3] === 'saddr' || path[3] === 'daddr')) {
    if (path[2] === 'ip') return 'ipv4_addr';
    if (path[2] === 'ip6') return 'ipv6_addr';
  }
  if (path.length === 2 && PORT_PROTOS.has(path[0]) && (path[1] === 'sport' || path[1] === 'dport')) return 'inet_service';
  if (p === 'ct state') return 'ct_state';
  if (p === 'meta l4proto' || p === 'ip protocol' || p === 'ip6 nexthdr') return 'inet_proto';
  return undefined;
}

export type AddressShape = 'ipv4' | 'ipv6' | 'mac' | 'other';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

export function addressShape(text: string): AddressShape {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (IPV4.test(t)) return 'ipv4';
  if (MAC.test(t)) return 'mac';
  // An IPv6 address has ':' and only hex digits, ':' and a trailing dotted quad.
  if (t.includes(':') && /^[0-9a-f:.]+$/i.test(t) && (t.includes('::') || t.split(':').length === 8)) return 'ipv6';
  return 'other';
}

export interface ValueProblem {
  rule: SemanticRuleKey;
  span: Span;
  message: string;
}

const SHAPE_NAME: Record<AddressShape, string> = { ipv4: 'an IPv4 address', ipv6: 'an IPv6 address', mac: 'a MAC address', other: 'an address' };

/**
 * Checks one value (a leaf: no set literal or list) against a type. `expand` replaces
 * a `$var` by its define's value; problems are reported at `at` when given (the
 * `$var` use) so they land in the file the user is looking at.
 */
export function checkLeaf(type: CheckedType, e: A.Expr, at?: Span): ValueProblem | undefined {
  // The span is read only for a problem: a packed element's leaf makes a new one on each read.
  // Shifts apply to integers (nft `expr_evaluate_shift`); an address or port cannot be `x << n`.
  if (e.kind === 'Binary' && (e.op === '<<' || e.op === '>>') && type !== 'inet_service' && type !== 'inet_proto')
    return { rule: 'valueTypeMismatch', span: at ?? e.span, message: `a shift expression is not a value of type ${type}` };
  if (type === 'classid') {
    // tc handles are `major:minor` in hex, `root`, `none` or a number (nft `src/meta.c` `tchandle_type_parse`).
    if (e.kind === 'Address' && addressShape(e.text) !== 'other')
      return { rule: 'valueTypeMismatch', span: at ?? e.span, message: `\`${e.text}\` is ${SHAPE_NAME[addressShape(e.text)]}, not a tc class id (major:minor)` };
    return undefined;
  }
  if (e.kind === 'Address') {
    const shape = addressShape(e.text);
    const bad =
      (type === 'ipv4_addr' && (shape === 'ipv6' || shape === 'mac')) ||
      (type === 'ipv6_addr' && (shape === 'ipv4' || shape === 'mac')) ||
      (type === 'ether_addr' && (shape === 'ipv4' || (shape === 'ipv6' && e.text.includes('::')))) ||
      ((type === 'inet_service' || type === 'inet_proto' || type === 'ct_state') && shape !== 'other');
    if (bad) return { rule: 'valueTypeMismatch', span: at ?? e.span, message: `\`${e.text}\` is ${SHAPE_NAME[shape]}, not a value of type ${type}` };
    return undefined;
  }
  if (e.kind === 'Number') {
    const n = Number(e.text);
    if (!Number.isFinite(n)) return undefined;
    if (type === 'inet_service' && n > 65535) return { rule: 'valueTypeMismatch', span: at ?? e.span, message: `port ${e.text} exceeds the valid range 0-65535` };
    if (type === 'inet_proto' && n > 255) return { rule: 'valueTypeMismatch', span: at ?? e.span, message: `protocol number ${e.text} exceeds the valid range 0-255` };
    return undefined;
  }
  if (e.kind === 'Word' || e.kind === 'KeywordValue') {
    const w = e.text;
    if (type === 'inet_service' && !SERVICE_NAMES.has(w) && !/^\d+$/.test(w))
      return { rule: 'unknownService', span: at ?? e.span, message: `\`${w}\` is not a known service name (/etc/services)` };
    if (type === 'inet_proto' && !PROTOCOL_NAMES.has(w.toLowerCase()))
      return { rule: 'unknownProtocol', span: at ?? e.span, message: `\`${w}\` is not a known protocol name (/etc/protocols)` };
    if (type === 'ct_state' && !CT_STATES.has(w))
      return { rule: 'unknownCtState', span: at ?? e.span, message: `\`${w}\` is not a ct state (new, established, related, invalid, untracked)` };
  }
  return undefined;
}

/** Is `e` a prefix or a range (which a named set only takes with `flags interval`)? */
export function isIntervalValue(e: A.Expr): boolean {
  if (e.kind === 'Prefix' || e.kind === 'Range') return true;
  if (e.kind === 'Concat') return e.parts.some(isIntervalValue);
  return false;
}
