/**
 * Three-valued matching of rule expressions against one packet: `match`,
 * `no-match`, or `unknown` when the ruleset or the flow spec leaves the fact open
 * (a set filled at run time, a route lookup, an interface the flow spec omits).
 * Invariant: never throws; anything not understood is `unknown`, never a guess.
 */
import type * as A from '../syntax/ast';
import type { RulesetModel, SetModel, TableModel } from '../semantics/model';
import type { ConnState, Packet } from './flow-model';
import { ifnameMatches, inPrefix, numberValue, parseIp, parsePort, protoNumber, type IpValue } from './values';
import { pathText } from '../syntax/node-builders';

export type Tri = 'match' | 'no-match' | 'unknown';

export type Val =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number; domain: 'port' | 'proto' | 'plain' }
  | { t: 'ip'; v: IpValue }
  | { t: 'bits'; v: Set<string> }
  | { t: 'tuple'; v: Val[] }
  /** The header is not in this packet (`tcp dport` on UDP, `ip saddr` on IPv6): the rule never matches (nft adds a protocol dependency). */
  | { t: 'absent' }
  | { t: 'unknown'; why: string };

/** What a rule sees besides the packet: where it runs and the per-flow state. */
export interface EvalContext {
  model: RulesetModel;
  table: TableModel;
  family: 'ip' | 'ip6';
  l4proto: number;
  packet: Packet;
  conn: ConnState;
  /** meta mark of this packet (undefined once set to something we cannot compute). */
  mark: number | undefined;
  hook: string;
  /** True while the chain runs before conntrack (prerouting priority < -200): no ct entry yet. */
  beforeConntrack: boolean;
  /** Original tuple of the connection, for `ct original …`. */
  orig: { saddr?: string; daddr?: string; sport?: number; dport?: number };
  ipsec: boolean;
}

const not = (t: Tri): Tri => (t === 'match' ? 'no-match' : t === 'no-match' ? 'match' : 'unknown');
export function triOr(a: Tri, b: Tri): Tri {
  return a === 'match' || b === 'match' ? 'match' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no-match';
}
export function triAnd(a: Tri, b: Tri): Tri {
  return a === 'no-match' || b === 'no-match' ? 'no-match' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'match';
}

const num = (v: number, domain: 'port' | 'proto' | 'plain' = 'plain'): Val => ({ t: 'num', v, domain });
const unknown = (why: string): Val => ({ t: 'unknown', why });
const str = (v: string | undefined, what: string): Val => (v === undefined ? unknown(`${what} is not given`) : { t: 'str', v });
const ipv = (v: string | undefined, what: string): Val => {
  if (v === undefined) return unknown(`${what} is not given`);
  const ip = parseIp(v);
  return ip ? { t: 'ip', v: ip } : unknown(`${what} is not an address`);
};

/** Evaluates the left-hand side of a match for this packet. */
export function evalSelector(e: A.Expr, ctx: EvalContext): Val {
  if (e.kind === 'Concat') return { t: 'tuple', v: e.parts.map((p) => evalSelector(p, ctx)) };
  if (e.kind === 'Binary') {
    const l = evalSelector(e.left, ctx);
    const r = numberValue(e.right);
    if (l.t !== 'num' || r === undefined) return l.t === 'absent' ? l : unknown('bitwise expression');
    const v = e.op === '&' ? l.v & r : e.op === '|' ? l.v | r : e.op === '^' ? l.v ^ r : e.op === '>>' ? l.v >> r : l.v << r;
    return num(v >>> 0);
  }
  if (e.kind !== 'Selector') return unknown('expression');
  const p = ctx.packet;
  const path = pathText(e.path).replace(/^meta (?=(iifname|oifname|iif|oif|mark|l4proto|nfproto|protocol|pkttype)$)/, '');
  const isTcp = ctx.l4proto === 6;
  const hasPorts = [6, 17, 132, 136, 33].includes(ctx.l4proto);
  const ctAbsent = ctx.beforeConntrack || ctx.conn.untracked;
  switch (path) {
    case 'iifname':
    case 'iif':
      return str(p.iif, 'the input interface');
    case 'oifname':
    case 'oif':
      // NOTE: before routing (ingress/prerouting) there is no output device yet.
      if (ctx.hook === 'prerouting' || ctx.hook === 'ingress') return { t: 'str', v: '' };
      return str(p.oif, 'the output interface');
    case 'l4proto':
      return num(ctx.l4proto, 'proto');
    case 'ip protocol':
      return ctx.family === 'ip' ? num(ctx.l4proto, 'proto') : { t: 'absent' };
    case 'ip6 nexthdr':
      return ctx.family === 'ip6' ? num(ctx.l4proto, 'proto') : { t: 'absent' };
    case 'nfproto':
      return { t: 'str', v: ctx.family === 'ip' ? 'ipv4' : 'ipv6' };
    case 'protocol':
      return { t: 'str', v: ctx.family === 'ip' ? 'ip' : 'ip6' };
    case 'pkttype':
      return { t: 'str', v: 'unicast' };
    case 'ip saddr':
    case 'ip daddr':
      return ctx.family !== 'ip' ? { t: 'absent' } : ipv(path.endsWith('saddr') ? p.saddr : p.daddr, `the ${path.slice(3)}`);
    case 'ip6 saddr':
    case 'ip6 daddr':
      return ctx.family !== 'ip6' ? { t: 'absent' } : ipv(path.endsWith('saddr') ? p.saddr : p.daddr, `the ${path.slice(4)}`);
    case 'tcp sport':
    case 'tcp dport':
    case 'udp sport':
    case 'udp dport':
    case 'th sport':
    case 'th dport': {
      const want = e.path[0] === 'tcp' ? ctx.l4proto === 6 : e.path[0] === 'udp' ? ctx.l4proto === 17 : hasPorts;
      if (!want) return { t: 'absent' };
      const v = path.endsWith('sport') ? p.sport : p.dport;
      return v === undefined ? unknown(`the ${path.endsWith('sport') ? 'source' : 'destination'} port is not given`) : num(v, 'port');
    }
    case 'tcp flags':
      return isTcp ? { t: 'bits', v: new Set(p.tcpFlags) } : { t: 'absent' };
    case 'ct state':
      return { t: 'bits', v: new Set([ctx.conn.untracked ? 'untracked' : ctx.beforeConntrack ? 'invalid' : p.ctState]) };
    case 'ct status': {
      if (ctAbsent) return { t: 'bits', v: new Set() };
      const s = new Set<string>();
      if (p.confirmed) s.add('confirmed');
      if (p.seenReply) s.add('seen-reply');
      if (p.tcpAssured || (!isTcp && p.seenReply && p.dir === 'original')) s.add('assured');
      // IPS_DST_NAT / IPS_SRC_NAT: set when the first packet's NAT is set up (nf_nat_setup_info).
      if (ctx.conn.dnat) s.add('dnat');
      if (ctx.conn.snat) s.add('snat');
      return { t: 'bits', v: s };
    }
    case 'ct direction':
      return ctAbsent ? { t: 'absent' } : { t: 'str', v: p.dir };
    case 'ct mark':
      return ctAbsent ? num(0) : num(ctx.conn.ctMark);
    case 'mark':
      return ctx.mark === undefined ? unknown('meta mark was set to a computed value') : num(ctx.mark);
    case 'ct helper':
      return ctAbsent ? { t: 'absent' } : { t: 'str', v: ctx.conn.helper ?? '' };
    case 'ct l3proto':
      return { t: 'str', v: ctx.family === 'ip' ? 'ipv4' : 'ipv6' };
    case 'ct protocol':
      return ctAbsent ? { t: 'absent' } : num(ctx.l4proto, 'proto');
    case 'ct original ip saddr':
    case 'ct original ip6 saddr':
    case 'ct original saddr':
      return ctAbsent ? { t: 'absent' } : ipv(ctx.orig.saddr, 'the original source address');
    case 'ct original ip daddr':
    case 'ct original ip6 daddr':
    case 'ct original daddr':
      return ctAbsent ? { t: 'absent' } : ipv(ctx.orig.daddr, 'the original destination address');
    case 'ct original proto-dst':
      return ctAbsent ? { t: 'absent' } : ctx.orig.dport === undefined ? unknown('the destination port is not given') : num(ctx.orig.dport, 'port');
    case 'ct original proto-src':
      return ctAbsent ? { t: 'absent' } : ctx.orig.sport === undefined ? unknown('the source port is not given') : num(ctx.orig.sport, 'port');
    case 'ct zone':
      return num(0);
  }
  if (e.path[0] === 'icmp') return ctx.l4proto === 1 ? unknown('ICMP header fields') : { t: 'absent' };
  if (e.path[0] === 'icmpv6') return ctx.l4proto === 58 ? unknown('ICMPv6 header fields') : { t: 'absent' };
  if (e.path[0] === 'ipsec' || path === 'secpath') return ctx.ipsec ? unknown('IPsec state') : { t: 'absent' };
  if (e.path[0] === 'fib') return unknown(`\`${e.path.join(' ')}\` depends on the routing table`);
  return unknown(`\`${e.path.join(' ')}\` is not modelled`);
}

/** Resolves `$name` to its define, innermost scope first. */
export function resolveVar(model: RulesetModel, table: TableModel | undefined, name: string): A.Expr | undefined {
  for (let i = model.defines.length - 1; i >= 0; i--) {
    const d = model.defines[i];
    if (d.name === name && (d.scope === 'top' || d.scope === table?.key)) return d.value;
  }
  return undefined;
}

/**
 * The elements a set expression holds: a literal's own, or those of the named set in `table`.
 * Undefined for any other expression, and for a name that is not a set of the table.
 */
export function setElements(e: A.Expr, table: TableModel): readonly A.SetElement[] | undefined {
  if (e.kind === 'SetLiteral') return e.elements;
  if (e.kind === 'SetRef') return table.sets.get(e.name.text)?.elements;
  return undefined;
}

/** A set whose contents the file does not fix: filled by rules or at run time, or declared empty. */
export function isOpenSet(s: SetModel, model: RulesetModel): boolean {
  if (s.flags.includes('dynamic') || s.elements.length === 0) return true;
  for (const t of model.tables.values())
    for (const c of t.chains.values())
      for (const r of c.rules) if (r.rule.statements.some((st) => st.kind === 'SetUpdate' && st.set?.text === s.name && (st.op === 'add' || st.op === 'update'))) return true;
  return false;
}

const scalarText = (e: A.Expr): string | undefined => (e.kind === 'Word' || e.kind === 'String' || e.kind === 'KeywordValue' || e.kind === 'Number' || e.kind === 'Address' ? e.text : undefined);

/** Does one right-hand element (a scalar, prefix, range, concat …) contain the value? */
export function elementMatches(v: Val, e: A.Expr, ctx: EvalContext, depth = 0): Tri {
  if (depth > 8) return 'unknown';
  if (v.t === 'absent') return 'no-match';
  if (v.t === 'unknown') return 'unknown';
  switch (e.kind) {
    case 'Var': {
      const d = resolveVar(ctx.model, ctx.table, e.name.text);
      return d ? elementMatches(v, d, ctx, depth + 1) : 'unknown';
    }
    case 'SetLiteral':
      return e.elements.reduce<Tri>((acc, el) => triOr(acc, elementMatches(v, el.key, ctx, depth + 1)), 'no-match');
    case 'List':
      return e.items.reduce<Tri>((acc, it) => triOr(acc, elementMatches(v, it, ctx, depth + 1)), 'no-match');
    case 'SetRef': {
      const s = ctx.table.sets.get(e.name.text);
      if (!s) return 'unknown';
      const r = s.elements.reduce<Tri>((acc, el) => triOr(acc, elementMatches(v, el.key, ctx, depth + 1)), 'no-match');
      return r === 'no-match' && isOpenSet(s, ctx.model) ? 'unknown' : r;
    }
    case 'Wildcard':
      return 'match';
    case 'Concat': {
      if (v.t !== 'tuple' || v.v.length !== e.parts.length) return 'unknown';
      return e.parts.reduce<Tri>((acc, part, i) => triAnd(acc, elementMatches(v.v[i], part, ctx, depth + 1)), 'match');
    }
    case 'Prefix': {
      if (v.t === 'ip') {
        const base = scalarText(e.base);
        const len = numberValue(e.length);
        const b = base ? parseIp(base) : undefined;
        if (!b || len === undefined) return 'unknown';
        return inPrefix(v.v, b, len) ? 'match' : 'no-match';
      }
      if (v.t === 'bits') {
        // `tcp flags syn / syn,ack`: the masked flags equal the value.
        const words = (x: A.Expr): string[] => (x.kind === 'List' ? x.items.flatMap(words) : scalarText(x) ? [scalarText(x)!] : []);
        const mask = words(e.length);
        const want = words(e.base);
        return mask.every((m) => want.includes(m) === v.v.has(m)) ? 'match' : 'no-match';
      }
      return 'unknown';
    }
    case 'Range': {
      const lo = scalarValue(v, e.from);
      const hi = scalarValue(v, e.to);
      if (lo === undefined || hi === undefined) return 'unknown';
      const x = v.t === 'ip' ? v.v.n : v.t === 'num' ? BigInt(v.v) : undefined;
      if (x === undefined) return 'unknown';
      return x >= lo && x <= hi ? 'match' : 'no-match';
    }
  }
  const text = scalarText(e);
  if (text === undefined) return 'unknown';
  switch (v.t) {
    case 'str':
      return ifnameMatches(text, v.v) ? 'match' : 'no-match';
    case 'bits':
      return v.v.has(text) ? 'match' : 'no-match';
    case 'num':
    case 'ip': {
      const x = scalarValue(v, e);
      if (x === undefined) return 'unknown';
      return x === (v.t === 'ip' ? v.v.n : BigInt(v.v)) ? 'match' : 'no-match';
    }
    default:
      return 'unknown';
  }
}

function scalarValue(v: Val, e: A.Expr): bigint | undefined {
  const text = scalarText(e);
  if (text === undefined) return undefined;
  if (v.t === 'ip') {
    const ip = parseIp(text);
    return ip && ip.v6 === v.v.v6 ? ip.n : undefined;
  }
  if (v.t === 'num') {
    const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : v.domain === 'port' ? parsePort(text) : v.domain === 'proto' ? protoNumber(text) : undefined;
    return n === undefined ? undefined : BigInt(n);
  }
  return undefined;
}

/** Evaluates `LEFT [op] RIGHT`. */
export function evalMatch(m: A.MatchStmt, ctx: EvalContext): { result: Tri; why?: string } {
  return matchValue(evalSelector(m.left, ctx), m.op, m.right, ctx);
}

/**
 * evalMatch for a left side already evaluated: a map lookup evaluates its key once and
 * matches it against every element (walk-chains.ts evalVerdictMap, nat.ts).
 */
export function matchValue(v: Val, op: string | undefined, right: A.Expr, ctx: EvalContext): { result: Tri; why?: string } {
  if (v.t === 'absent') return { result: 'no-match', why: 'header not present in this packet' };
  if (v.t === 'unknown') return { result: 'unknown', why: v.why };
  if (v.t === 'tuple') {
    const u = v.v.find((x): x is Extract<Val, { t: 'unknown' }> => x.t === 'unknown');
    if (v.v.some((x) => x.t === 'absent')) return { result: 'no-match', why: 'header not present in this packet' };
    if (u) return { result: 'unknown', why: u.why };
  }
  op ??= '==';
  if (op === '==' || op === 'eq') {
    const r = elementMatches(v, right, ctx);
    return { result: r, why: r === 'unknown' ? openWhy(right) : undefined };
  }
  if (op === '!=' || op === 'ne') {
    const r = not(elementMatches(v, right, ctx));
    return { result: r, why: r === 'unknown' ? openWhy(right) : undefined };
  }
  if (v.t === 'num' && ['<', '>', '<=', '>=', 'lt', 'gt', 'le', 'ge'].includes(op)) {
    const r = scalarValue(v, right);
    if (r === undefined) return { result: 'unknown', why: 'comparison value' };
    const x = BigInt(v.v);
    const ok = op === '<' || op === 'lt' ? x < r : op === '>' || op === 'gt' ? x > r : op === '<=' || op === 'le' ? x <= r : x >= r;
    return { result: ok ? 'match' : 'no-match' };
  }
  return { result: 'unknown', why: `operator ${op}` };
}

function openWhy(e: A.Expr): string {
  if (e.kind === 'SetRef') return `the contents of @${e.name.text} are not fixed by the file`;
  if (e.kind === 'Var') return `$${e.name.text} is not defined`;
  return 'a value that is not modelled';
}
