import type * as A from '../syntax/ast';
import type { Span } from '../core/span';
import type { SemanticRuleKey } from './codes';
import { pathText } from '../syntax/node-builders';

/**
 * Checks on one rule that nft makes while evaluating it (nft `src/evaluate.c`), for
 * things our grammar accepts but nft refuses before anything reaches the kernel.
 * Each check fires only on a shape that cannot be valid, so a valid rule never gets
 * one of these errors (the corpus and the tests/py `;ok` lines are the guard).
 */
export interface RuleCheckHost {
  report(rule: SemanticRuleKey, span: Span, message: string): void;
  /** The expression a `$var` stands for (following define chains). */
  deref(e: A.Expr | undefined): A.Expr | undefined;
  /** Source text of the file the rule is in. */
  text: string;
  /** A name in an anonymous object map's data must be a declared object of this type. */
  objectRef(e: A.Expr, type: A.ObjectType): void;
  /** `map @s` / `vmap @s` / `add @s { k : v }` need `s` to be a map (checked once all sets are known). */
  needsMap(ref: A.Ident, why: string): void;
  /** The value of `$name` where the rule is written. */
  varValue(name: string): A.Expr | undefined;
}

/** nft `include/linux/netfilter/nf_tables.h`: NFT_REG32_COUNT (16) × 4 bytes (`NFT_MAX_EXPR_LEN_BITS`, nft `include/expression.h`). */
export const MAX_EXPR_LEN_BITS = 16 * 4 * 8;
/** NFT_REG_SIZE (16 bytes): a bitfield match masks one 128-bit register (`expr_evaluate_bits`). */
export const REG_SIZE_BITS = 16 * 8;

/** Bit widths of common selectors (nft `src/proto.c`, `src/meta.c`, `src/ct.c` templates), for concatenation sizes. */
const WIDTHS: Record<string, number> = {
  'ip saddr': 32, 'ip daddr': 32, 'ip6 saddr': 128, 'ip6 daddr': 128, 'ip protocol': 8, 'ip6 nexthdr': 8,
  'meta l4proto': 8, 'meta mark': 32, 'ct mark': 32, 'meta iifname': 128, 'meta oifname': 128, 'iifname': 128, 'oifname': 128,
  'meta iif': 32, 'meta oif': 32, 'iif': 32, 'oif': 32, 'ether saddr': 48, 'ether daddr': 48, 'udp length': 16,
  'meta length': 32, 'ct state': 32, 'meta nfproto': 8,
};
const STRING_SELECTORS = new Set(['iifname', 'oifname', 'ibrname', 'obrname', 'ibriport', 'obriport', 'sdifname']);
const PORT_PROTOS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'th']);

function selectorWidth(e: A.Expr): number | undefined {
  if (e.kind === 'RawPayload') return rawLength(e);
  if (e.kind !== 'Selector') return undefined;
  const p = pathText(e.path);
  if (WIDTHS[p] !== undefined) return WIDTHS[p];
  if (e.path.length === 2 && PORT_PROTOS.has(e.path[0]) && (e.path[1] === 'sport' || e.path[1] === 'dport')) return 16;
  return undefined;
}

function num(e: A.Expr | undefined): bigint | undefined {
  if (!e || e.kind !== 'Number') return undefined;
  try {
    return BigInt(e.text);
  } catch {
    return undefined;
  }
}

function rawLength(e: A.RawPayloadExpr): number | undefined {
  const n = num(e.length);
  return n === undefined ? undefined : Number(n);
}

/** Protocol numbers of the names a rule may match before a transport header (nft `src/proto.c`, /etc/protocols). */
const L4_NUMBERS: Record<string, number> = {
  icmp: 1, tcp: 6, udp: 17, dccp: 33, esp: 50, ah: 51, icmpv6: 58, 'ipv6-icmp': 58, comp: 108, ipcomp: 108, sctp: 132, udplite: 136,
};
/** Headers that imply a transport protocol (`udp dport` needs l4proto 17). */
const HEADER_PROTO: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, dccp: 33, esp: 50, ah: 51, icmpv6: 58, comp: 108, sctp: 132, udplite: 136 };
const PROTO_MATCH = new Set(['ip protocol', 'ip6 nexthdr', 'meta l4proto']);

const L4_WORDS = /\b(tcp|udp|udplite|sctp|dccp|th|l4proto|protocol|nexthdr)\b/;

export function checkRule(rule: A.Rule, host: RuleCheckHost): void {
  let sawTransport = false;
  let proto: { name: string; num: number } | undefined;
  for (const s of rule.statements ?? []) {
    if (!s) continue;
    switch (s.kind) {
      case 'Match':
        proto = checkMatch(s, host, proto);
        break;
      case 'Set':
        checkSetStmt(s, host);
        break;
      case 'Nat':
        checkNat(s, host, sawTransport);
        break;
      case 'Generic':
        checkGeneric(s, host);
        break;
      case 'Counter':
      case 'Limit':
      case 'Quota':
        if (s.ref) checkObjectMap(s.ref, s.kind.toLowerCase() as A.ObjectType, host);
        if (s.ref) walkExpr(s.ref, host, false);
        break;
      case 'SetUpdate':
        if (s.set && s.element && hasData(s, host)) host.needsMap(s.set, `\`${s.op} @${s.set.text}\` gives an element with data`);
        break;
      case 'Verdict':
        if (s.map) walkExpr(s.map, host, false);
        if (s.target?.kind === 'AnonChain') for (const r of s.target.rules ?? []) if (r) checkRule(r, host);
        break;
    }
    if (s.kind !== 'Nat' && L4_WORDS.test(host.text.slice(s.span.start, s.span.end))) sawTransport = true;
  }
}

/** Does `add @s { key : data }` give data? The tree keeps only the key, so look at the text between the braces. */
function hasData(s: A.SetUpdateStmt, host: RuleCheckHost): boolean {
  const d = host.deref(s.element);
  if (d && d.kind === 'SetLiteral' && d.elements.some((el) => el?.value)) return true;
  const t = host.text.slice(s.span.start, s.span.end);
  const open = t.indexOf('{');
  const close = t.lastIndexOf('}');
  if (open < 0 || close < open) return false;
  // A data colon has blanks around it; colons inside IPv6/MAC addresses do not.
  return /\s:|:\s/.test(t.slice(open + 1, close));
}

// ------------------------------------------------------------------ matches

function checkMatch(m: A.MatchStmt, host: RuleCheckHost, proto: { name: string; num: number } | undefined): { name: string; num: number } | undefined {
  const left = m.left;
  if (!left) return proto;
  walkExpr(left, host, true);
  if (m.right) walkExpr(m.right, host, false);
  if (left.kind === 'Concat') {
    // nft: a constant inside a selector concatenation cannot be evaluated
    // ("Can't parse symbolic invalid expressions", evaluate.c `expr_evaluate_concat`).
    for (const p of left.parts) {
      const d = host.deref(p);
      if (d && (d.kind === 'Word' || d.kind === 'Number' || d.kind === 'String' || d.kind === 'Address' || d.kind === 'KeywordValue'))
        host.report('concatArity', p.span, `\`${host.text.slice(p.span.start, p.span.end)}\` is a constant; the left side of a concatenation match must be selectors only`);
    }
    if (m.right) checkElementArity(left.parts.length, m.right, host);
  }
  // Conflicting protocols: `ip protocol tcp udp dport 53` (evaluate.c `resolve_protocol_conflict`).
  if (left.kind === 'Selector') {
    const p = pathText(left.path);
    if (PROTO_MATCH.has(p) && (m.op === undefined || m.op === '==')) {
      const v = host.deref(m.right);
      if (v && (v.kind === 'Word' || v.kind === 'KeywordValue') && L4_NUMBERS[v.text] !== undefined) return { name: v.text, num: L4_NUMBERS[v.text] };
      if (v && v.kind === 'Number' && Number(v.text) <= 255) return { name: v.text, num: Number(v.text) };
      return proto;
    }
    const want = HEADER_PROTO[left.path[0]];
    if (proto && want !== undefined && left.path.length > 1 && want !== proto.num) {
      host.report('conflictingProtocols', left.span, `conflicting protocols specified: ${proto.name} vs. ${left.path[0]}`);
    }
  }
  return proto;
}

/** Elements of a set or map literal compared with an N-part concatenation key. */
function checkElementArity(parts: number, right: A.Expr, host: RuleCheckHost): void {
  const d = host.deref(right);
  if (!d || d.kind !== 'SetLiteral' || parts < 2) return;
  for (const el of d.elements) {
    const k = el?.key;
    if (!k) continue;
    const kd = host.deref(k);
    if (!kd || kd.kind === 'Concat' || kd.kind === 'Wildcard' || kd.kind === 'SetLiteral' || kd.kind === 'Var' || kd.kind === 'Error') continue;
    host.report('concatArity', k.span, `\`${host.text.slice(k.span.start, k.span.end)}\` is one value, but the key is a concatenation of ${parts}`);
  }
}

/** Size checks on every sub-expression (raw payloads, shifts, concatenations, maps). */
function walkExpr(e: A.Expr, host: RuleCheckHost, lhs: boolean): void {
  switch (e.kind) {
    case 'RawPayload': {
      const len = rawLength(e);
      const off = num(e.offset);
      if (len === undefined) return;
      if (len === 0) host.report('payloadTooLarge', e.span, 'raw payload length must be greater than 0');
      else if (len > MAX_EXPR_LEN_BITS) host.report('payloadTooLarge', e.span, `raw payload of ${len} bits exceeds the maximum of ${MAX_EXPR_LEN_BITS} bits`);
      else if (lhs && off !== undefined && (len % 8 !== 0 || off % 8n !== 0n) && len + Number(off % 8n) > REG_SIZE_BITS)
        host.report('payloadTooLarge', e.span, `mask length ${len + Number(off % 8n)} exceeds allowed maximum of ${REG_SIZE_BITS}`);
      return;
    }
    case 'Concat': {
      // Each part takes whole 32-bit registers (netlink_padded_len); the key must fit in 16 of them.
      let bits = 0;
      for (const p of e.parts) {
        walkExpr(p, host, lhs);
        const w = selectorWidth(p);
        if (w !== undefined) bits += Math.ceil(w / 32) * 32;
      }
      if (bits > MAX_EXPR_LEN_BITS) host.report('payloadTooLarge', e.span, `Concatenation of size ${bits} exceeds maximum size of ${MAX_EXPR_LEN_BITS}`);
      return;
    }
    case 'Binary': {
      walkExpr(e.left, host, lhs);
      walkExpr(e.right, host, lhs);
      // nft `expr_evaluate_binop`: "both sides must be of integer base type"; interface names are strings.
      if ((e.op === '&' || e.op === '|' || e.op === '^') && e.left.kind === 'Selector' && STRING_SELECTORS.has(e.left.path[e.left.path.length - 1]))
        host.report('binopType', e.span, `Binary operation (${e.op}) is undefined for ${e.left.path.join(' ')}, a string; bitwise operations need integer types`);
      if (e.op === '<<' || e.op === '>>') {
        const n = num(host.deref(e.right));
        if (n === undefined) return;
        const w = selectorWidth(e.left);
        if (n > 0xffffffffn) host.report('shiftTooLarge', e.right.span, `shifts exceeding ${0xffffffff} bits are not supported`);
        else if (w !== undefined && n >= BigInt(w))
          host.report('shiftTooLarge', e.right.span, `${e.op === '<<' ? 'Left' : 'Right'} shift of ${n} bits is undefined for type of ${w} bits width`);
      }
      return;
    }
    case 'Map': {
      walkExpr(e.key, host, true);
      const m = host.deref(e.map);
      if (e.key.kind === 'Concat') checkElementArity(e.key.parts.length, e.map, host);
      if (m?.kind === 'SetLiteral') {
        for (const el of m.elements) {
          if (el?.key && !el.value && el.key.kind !== 'Var') host.report('mapElementWithoutData', el.key.span, 'map element without data (`key : value`)');
        }
      }
      if (e.map.kind === 'SetRef' && e.map.name) host.needsMap(e.map.name, `\`${e.verdictMap ? 'vmap' : 'map'} @${e.map.name.text}\``);
      return;
    }
    case 'Prefix':
      walkExpr(e.base, host, lhs);
      return;
    case 'Range':
      walkExpr(e.from, host, lhs);
      walkExpr(e.to, host, lhs);
      return;
  }
}

// ------------------------------------------------------------------ statements

function isRangeLike(e: A.Expr | undefined): e is A.RangeExpr | A.PrefixExpr {
  return !!e && (e.kind === 'Range' || e.kind === 'Prefix');
}

function rangeWord(e: A.RangeExpr | A.PrefixExpr): string {
  return e.kind === 'Range' ? 'a range' : 'a prefix';
}

function checkSetStmt(s: A.SetStmt, host: RuleCheckHost): void {
  if (!s.value) return;
  walkExpr(s.value, host, false);
  const v = host.deref(s.value);
  const what = s.target?.path?.join(' ') ?? 'the value';
  if (isRangeLike(v)) {
    host.report('rangeNotAllowed', s.value.span, `${rangeWord(v)} cannot be assigned: \`${what} set\` takes a single value`);
    return;
  }
  if (v?.kind === 'Map') {
    const m = host.deref(v.map);
    if (m?.kind === 'SetLiteral') {
      for (const el of m.elements) {
        const d = host.deref(el?.value);
        if (d && isRangeLike(d)) host.report('rangeNotAllowed', el.value!.span, `${rangeWord(d)} cannot be map data here: \`${what} set\` takes a single value`);
      }
    }
    const objType: A.ObjectType | undefined = what === 'ct helper' ? 'ct helper' : what === 'ct timeout' ? 'ct timeout' : what === 'ct expectation' ? 'ct expectation' : undefined;
    if (objType) checkObjectMap(v, objType, host);
  }
}

/** `counter name ip saddr map { … : "c1" }`: each data value names an object. */
function checkObjectMap(e: A.Expr, type: A.ObjectType, host: RuleCheckHost): void {
  const d = host.deref(e);
  if (!d || d.kind !== 'Map') return;
  const m = host.deref(d.map);
  if (m?.kind !== 'SetLiteral') return;
  for (const el of m.elements) {
    const v = el?.value;
    if (v && (v.kind === 'String' || v.kind === 'Word' || v.kind === 'Var')) host.objectRef(v, type);
  }
}

function checkGeneric(s: A.GenericStmt, host: RuleCheckHost): void {
  for (const a of s.args ?? []) if (a) walkExpr(a, host, false);
  if (s.keyword === 'dup' || s.keyword === 'fwd' || s.keyword === 'tproxy') {
    for (const a of s.args ?? []) {
      const d = host.deref(a);
      if (a.kind !== 'Var' && isRangeLike(d)) host.report('rangeNotAllowed', a.span, `${rangeWord(d)} is not allowed in \`${s.keyword}\`: it needs a single ${s.keyword === 'tproxy' ? 'address and port' : 'address or device'}`);
    }
    // `tproxy to 1.2.3.4:$range`, `dup to 1-2 device $dev`: the tree does not keep every `$var`, the text does.
    const t = host.text.slice(s.span.start, s.span.end);
    for (const m of t.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const d = host.deref(host.varValue(m[1]));
      const at = s.span.start + (m.index ?? 0);
      if (isRangeLike(d)) host.report('rangeNotAllowed', { start: at, end: at + m[0].length }, `\`$${m[1]}\` is ${rangeWord(d)}, which is not allowed in \`${s.keyword}\``);
    }
  }
  if (s.keyword === 'synproxy' && s.words?.includes('name')) for (const a of s.args ?? []) if (a) checkObjectMap(a, 'synproxy', host);
}

function checkNat(s: A.NatStmt, host: RuleCheckHost, sawTransport: boolean): void {
  const to = s.to;
  if (!to) return;
  walkExpr(to, host, false);
  const text = host.text.slice(s.span.start, s.span.end);
  if (to.kind === 'Map') {
    // A port cannot be a prefix (`80/3`); nft overran a buffer on it (bogon asan_stack_buffer_overrun_in_netlink_gen_range).
    const m = host.deref(to.map);
    for (const el of m?.kind === 'SetLiteral' ? m.elements : []) {
      const v = host.deref(el?.value);
      for (const p of v?.kind === 'Concat' ? v.parts : v ? [v] : []) {
        if (p.kind === 'Prefix' && p.base.kind === 'Number') host.report('rangeNotAllowed', p.span, 'a port cannot be a prefix; write a range (`8000-8100`)');
      }
    }
  }
  if (to.kind === 'Map') {
    // nft `stmt_evaluate_nat_map`: "nat map and protocol are mutually exclusive".
    const after = host.text.slice(to.span.end, s.span.end);
    if (/^\s*:\s*\S/.test(after)) host.report('natMapWithPort', { start: to.span.end, end: s.span.end }, 'nat map and protocol are mutually exclusive');
  }
  // A port in the statement: `to :80`, `to 1.2.3.4:80`, `to [::1]:80`, `to :tcp dport map {…}`.
  const toAt = text.search(/\bto\b/);
  if (toAt < 0) return;
  const rest = text.slice(toAt + 2);
  const portAt = portOffset(rest, to, host, s.span.start + toAt + 2);
  if (portAt === undefined || sawTransport) return;
  // A transport selector in the map key gives the context (`to ip daddr . tcp dport map`, and
  // `redirect to :tcp dport map` since nft 1.1: tests/py ip/redirect.t line 50 is `;ok` upstream).
  if (to.kind === 'Map' && mapKeyHasTransport(to)) return;
  const start = s.span.start + toAt + 2 + portAt;
  host.report('natPortWithoutProtocol', { start, end: s.span.end }, 'transport protocol mapping is only valid after transport protocol match');
}

/** Offset in `rest` of the `:` that starts a port, if the statement maps ports. */
function portOffset(rest: string, to: A.Expr, host: RuleCheckHost, restStart: number): number | undefined {
  const lead = rest.match(/^\s*:/);
  if (lead) return lead[0].length - 1;
  if (to.kind === 'Address' || to.kind === 'Var') {
    const end = to.span.end - restStart;
    const tail = rest.slice(end);
    const after = tail.match(/^\s*:/);
    // `1.2.3.4:80`: the lexer leaves the port after the address; IPv6 addresses end before `]`.
    if (after && !/^\s*:\s*$/.test(tail)) return end + after[0].length - 1;
  }
  void host;
  return undefined;
}

/** `dnat to ip daddr . tcp dport map { … }`: a transport selector in the key counts as the match (`nat_evaluate_addr_has_th_expr`). */
function mapKeyHasTransport(m: A.MapExpr): boolean {
  const parts = m.key.kind === 'Concat' ? m.key.parts : [m.key];
  return parts.some((p) => p.kind === 'Selector' && PORT_PROTOS.has(p.path[0]) && p.path[0] !== 'th');
}
