/**
 * Walks one packet through every base chain it meets, hook by hook and in priority
 * order, as netfilter would: ingress (netdev tables and the flowtable), prerouting
 * (conntrack at -200, NAT chains for the first packet only), forward, postrouting.
 * Each chain sees the packet as NAT has made it by then (nat.ts), and a flowtable hit
 * depends on the device the packet enters by (device-stack.ts).
 * An `accept` ends only its own base chain; the next base chain on the same hook
 * still runs (offload.md S08). Invariant: pure, never throws, bounded recursion.
 */
import type * as A from '../syntax/ast';
import type { Span } from '../core/span';
import type { ChainModel, FlowtableModel, RulesetModel, TableModel } from '../semantics/model';
import type { ConnState, FlowSpec, Packet, RuleRef, TraceStep } from './flow-model';
import { evalMatch, evalSelector, matchValue, resolveVar, setElements, type EvalContext, type Tri } from './match-expr';
import { applyNatStatement, deliveredLocally, NAT_DST_PRIORITY, observedDnat, packetSeenAt } from './nat';
import { ifnameMatches, numberValue } from './values';
import { coverageBelow, type DeviceStack } from './device-stack';
import { pathText } from '../syntax/node-builders';

/**
 * Facts the ruleset leaves open, with the value taken for each in this run: the one `fixed` gives,
 * else the one assumed when the fact was met (usually that it does not hold).
 */
export class FactBook {
  /** Each open fact's description, or what makes it (describeFact turns it into words). */
  readonly open = new Map<string, FactDescription>();
  /** What each open fact is assumed to be when nothing fixes it. */
  readonly assumed = new Map<string, boolean>();
  constructor(private readonly fixed: ReadonlyMap<string, boolean> = new Map()) {}
  /** `description` may be a function, called only if the fact is described (describeFact). */
  decide(key: string, description: FactDescription, assumed = false): boolean {
    if (!this.open.has(key)) {
      this.open.set(key, description);
      this.assumed.set(key, assumed);
    }
    return this.fixed.get(key) ?? assumed;
  }
}

export type FactDescription = string | (() => string);

export function describeFact(d: FactDescription | undefined): string | undefined {
  return typeof d === 'function' ? d() : d;
}

/** Small numbers for file paths in fact keys (shorter keys hash faster; a key is made per rule and packet). */
const FILE_IDS = new Map<string, number>();

function fileId(file: string): number {
  let id = FILE_IDS.get(file);
  if (id === undefined) FILE_IDS.set(file, (id = FILE_IDS.size));
  return id;
}

const PACKET_KEYS = new WeakMap<object, string>();

/** The part of a fact key that names the packet as a chain sees it (addresses and ports), once per view. */
function packetKey(p: EvalContext['packet']): string {
  let key = PACKET_KEYS.get(p);
  if (key === undefined) PACKET_KEYS.set(p, (key = `${p.iif}>${p.oif}:${p.saddr}>${p.daddr}:${p.sport}>${p.dport}`));
  return key;
}

export type Ineligible = 'invalid-hook' | 'unknown-flowtable' | 'ipsec' | 'untracked' | 'proto' | 'gre-nat' | 'tcp-fin' | 'not-assured' | 'helper' | 'seqadj' | 'unconfirmed' | 'already';

export type WalkEvent =
  | { kind: 'offloaded'; packet: number; rule: RuleRef; flowtable: FlowtableModel }
  | { kind: 'ineligible'; packet: number; rule: RuleRef; why: Ineligible; verdictSkipped: boolean }
  /** `otherFamily`: the match reads a header of the other IP family (`ip protocol` for an IPv6 packet). */
  | { kind: 'guard'; packet: number; rule: RuleRef; match: Span; matchText: string; otherFamily: boolean }
  | { kind: 'blocked'; packet: number; rule: RuleRef; verdict: string; flowAdds: RuleRef[] }
  | { kind: 'dropped'; packet: number; rule?: RuleRef; chain: string; chainSpan: Span; file: string; policy: boolean }
  | { kind: 'helper-set'; packet: number; rule: RuleRef }
  | { kind: 'notrack'; packet: number; rule: RuleRef }
  | { kind: 'redirected'; packet: number; rule: RuleRef };

export interface PacketResult {
  /** `local`: the connection was redirected to the router itself, so this packet is not forwarded. */
  fate: 'forwarded' | 'dropped' | 'fast' | 'local';
  steps: TraceStep[];
  events: WalkEvent[];
  /** Flow add statements in forward chains this packet's walk passed through (evaluated or not). */
  sawFlowAdd: boolean;
  /** Rules evaluated for this packet (predictFlow's measure of work). */
  rulesRun: number;
}

const HOOKS = ['prerouting', 'forward', 'postrouting'] as const;
/** nf_conntrack runs at NF_IP_PRI_CONNTRACK (-200) in prerouting. */
const CONNTRACK_PRIORITY = -200;
const MAX_DEPTH = 16;

export function tablesFor(model: RulesetModel, family: 'ip' | 'ip6'): TableModel[] {
  return [...model.tables.values()].filter((t) => t.family === family || t.family === 'inet');
}

export function chainLabel(c: ChainModel): string {
  return `${c.table.family} ${c.table.name} ${c.name}`;
}

const BASE_CHAINS = new WeakMap<RulesetModel, Map<string, ChainModel[]>>();

/** Base chains of a family and hook in priority order; cached per model (called for every packet and hook). */
export function baseChains(model: RulesetModel, family: 'ip' | 'ip6', hook: string): readonly ChainModel[] {
  let byKey = BASE_CHAINS.get(model);
  if (!byKey) BASE_CHAINS.set(model, (byKey = new Map()));
  const key = `${family} ${hook}`;
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = collectBaseChains(model, family, hook)));
  return list;
}

function collectBaseChains(model: RulesetModel, family: 'ip' | 'ip6', hook: string): ChainModel[] {
  const out: ChainModel[] = [];
  // Ingress chains of netdev tables see every family (nft(8) "ADDRESS FAMILIES": netdev).
  const tables = hook === 'ingress' ? [...model.tables.values()].filter((t) => t.family === family || t.family === 'inet' || t.family === 'netdev') : tablesFor(model, family);
  for (const t of tables) for (const c of t.chains.values()) if (c.hook?.hook === hook) out.push(c);
  // Array.sort is stable: equal priorities keep declaration order (the kernel's order for equal priorities is registration order).
  return out.sort((a, b) => (a.hook?.priority ?? 0) - (b.hook?.priority ?? 0));
}

export function ruleRef(c: ChainModel, file: string, r: A.Rule, text?: string): RuleRef {
  return { file, span: r.span, text: text ?? '', chain: chainLabel(c) };
}

/** Whether packets entering through `dev` hit flowtable `ft` (given the router's device stack, when known). */
export function flowtableCovers(ft: FlowtableModel, dev: string | undefined, facts: FactBook, stack?: DeviceStack): Tri {
  if (dev === undefined) return facts.decide(`ft:${ft.table.key}:${ft.name}:unnamed`, `whether flowtable ${ft.name} lists the interface (not given in the flow)`) ? 'match' : 'unknown';
  if (ft.devices.some((d) => ifnameMatches(d, dev))) return 'match';
  if (ft.devicesOpen) return facts.decide(`ft:${ft.table.key}:${ft.name}:${dev}`, `whether flowtable ${ft.name}'s device list (partly a variable) holds ${dev}`) ? 'match' : 'unknown';
  const below = coverageBelow(ft, dev, stack);
  if (below.result !== 'unknown') return below.result;
  return facts.decide(`ft:${ft.table.key}:${ft.name}:below:${dev}`, below.question!, below.assumed) ? 'match' : 'unknown';
}

interface Frame {
  chain: ChainModel;
  rules: { rule: A.Rule; text: string; file: string }[];
  index: number;
}

type ChainOutcome = 'accept' | 'drop' | 'queue' | 'return';

/**
 * Walks one packet. `conn` is updated in place (marks, helper, offload). Without `trace`, no
 * steps are recorded: predictFlow's exploring runs need only the verdict and the facts, and
 * building a step's text for every rule of every run was most of their cost.
 */
export function walkPacket(model: RulesetModel, flow: FlowSpec, packet: Packet, pidx: number, conn: ConnState, facts: FactBook, trace = true): PacketResult {
  const steps: TraceStep[] = [];
  const events: WalkEvent[] = [];
  const res: PacketResult = { fate: 'forwarded', steps, events, sawFlowAdd: false, rulesRun: 0 };
  let mark: number | undefined = flow.mark ?? 0;
  let untracked = false;
  /** The destination NAT conntrack recorded for a live flow (the same for every chain this packet meets). */
  const observed = observedDnat(flow);
  /** Priority of the base chain running now (a NAT statement translates at its chain's priority). */
  let basePriority = 0;
  const step = (s: Omit<TraceStep, 'packet' | 'packetLabel'>) => steps.push({ packet: pidx, packetLabel: packet.label, ...s });

  /**
   * Runs one base chain for this packet and applies its outcome; true when the packet is dropped
   * there (`res.fate` is set). accept and queue end this base chain only: the caller goes on.
   */
  const dropsIn = (chain: ChainModel, hook: string, beforeConntrack: boolean): boolean => {
    const h = chain.hook!;
    basePriority = h.priority ?? 0;
    const seen = packetSeenAt(packet, conn.dnat, hook, basePriority);
    const ctx: EvalContext = {
      model, table: chain.table, family: flow.family, l4proto: flow.l4proto, packet: seen, conn: { ...conn, untracked }, mark, hook,
      beforeConntrack, orig: { saddr: flow.saddr, daddr: flow.daddr, sport: flow.sport, dport: flow.dport }, ipsec: !!flow.ipsec,
    };
    const where = hook === 'ingress' ? `, ingress on ${packet.iif}` : '';
    if (trace) step({ kind: 'chain', hook, chain: chainLabel(chain), priority: h.priority, result: `enter base chain (${h.type}${where}, priority ${h.priorityText || h.priority}, policy ${chain.policy ?? 'accept'})`, file: chain.decl.file, span: h.loc.span });
    const out = runChain(chain, ctx, hook, 0, [], chain.rules);
    // Copy back state the chain changed. Ingress runs before conntrack: there is no connection to write to yet.
    mark = ctx.mark;
    if (hook !== 'ingress') {
      untracked = ctx.conn.untracked;
      conn.ctMark = ctx.conn.ctMark;
      conn.helper = ctx.conn.helper;
      conn.seqAdjust = ctx.conn.seqAdjust;
      conn.offloaded = ctx.conn.offloaded;
      conn.dnat = ctx.conn.dnat;
      conn.snat = ctx.conn.snat;
    }
    if (out === 'return') {
      if (trace) step({ kind: 'policy', hook, chain: chainLabel(chain), result: `end of chain: policy ${chain.policy ?? 'accept'}`, file: chain.decl.file, span: h.loc.span });
      if (chain.policy === 'drop') {
        events.push({ kind: 'dropped', packet: pidx, chain: chainLabel(chain), chainSpan: h.loc.span, file: chain.decl.file, policy: true });
        res.fate = 'dropped';
        return true;
      }
    }
    if (out === 'drop') {
      res.fate = 'dropped';
      return true;
    }
    return false;
  };

  // Ingress: netdev (and inet) ingress chains on the input device, in priority order, and for
  // flows already offloaded the flowtable's own ingress hook among them: a chain with a lower
  // priority runs first and can still drop; the flowtable then transmits the packet itself, so
  // later ingress chains and every hook below never see it (nf_flow_table_ip.c returns NF_STOLEN).
  const ftForIngress = conn.offloaded ? findFlowtable(model, conn.offloaded.flowtableKey) : undefined;
  for (const chain of baseChains(model, flow.family, 'ingress')) {
    const h = chain.hook!;
    if (!h.devices.some((d) => packet.iif !== undefined && ifnameMatches(d, packet.iif))) continue;
    if (ftForIngress && (h.priority ?? 0) >= (ftForIngress.priority ?? 0) && flowtableCovers(ftForIngress, packet.iif, facts, flow.deviceStack) === 'match') break;
    if (dropsIn(chain, 'ingress', true)) return res;
  }

  // The flowtable lookup (its netdev ingress hook on its devices) for flows already offloaded.
  if (conn.offloaded) {
    const ft = ftForIngress;
    if (ft) {
      const cov = flowtableCovers(ft, packet.iif, facts, flow.deviceStack);
      if (cov === 'match') {
        if (trace) step({ kind: 'bypass', hook: 'ingress', result: `flowtable ${ft.table.family} ${ft.table.name} ${ft.name} hit on ${packet.iif ?? '(input interface)'}: fast path, no chain below runs`, file: ft.decl.file, span: ft.decl.span });
        res.fate = 'fast';
        return res;
      }
      if (trace) step({ kind: 'note', hook: 'ingress', result: `flowtable ${ft.name} has no hook on ${packet.iif ?? 'the input interface'}${cov === 'unknown' ? ' (assumed; the ruleset leaves it open)' : ''}: this direction stays on the slow path`, file: ft.decl.file, span: ft.decl.span });
    }
  }

  // Source NAT conntrack recorded was set up by the first packet's postrouting: later packets carry the status bit.
  if (pidx > 0 && flow.observedNat?.snat) conn.snat = true;

  // Replies of a redirected connection come from the router's own sockets (output), not through forward.
  if (packet.dir === 'reply' && deliveredLocally(conn.dnat)) {
    if (trace) step({ kind: 'note', result: 'the connection was redirected to the router itself: replies come from its own sockets, not through forward' });
    res.fate = 'local';
    return res;
  }

  for (const hook of HOOKS) {
    if (hook === 'forward' && deliveredLocally(conn.dnat)) {
      if (trace) step({ kind: 'note', hook, result: 'redirected to the router itself: delivered to input, not forwarded' });
      res.fate = 'local';
      return res;
    }
    for (const chain of baseChains(model, flow.family, hook)) {
      const h = chain.hook!;
      takeObservedNat(hook, h.priority ?? 0);
      if (h.type === 'nat' && !(pidx === 0)) {
        continue; // NAT chains see only the first packet of a connection (nf_nat_inet_fn consults the rules for new entries only).
      }
      if (h.type === 'route') continue; // route chains exist on output only
      const before = hook === 'prerouting' && (h.priority ?? 0) < CONNTRACK_PRIORITY;
      if (dropsIn(chain, hook, before)) return res;
      // accept and queue end this base chain only; the next base chain on the hook still runs.
      if (untracked && before) conn.ctMark = 0;
    }
    takeObservedNat(hook, Infinity);
  }
  return res;

  /**
   * From the kernel's destination-NAT point on, conntrack's recorded translation (live flows) is
   * what the packets carry, whatever this ruleset's `dnat` computed (or could not compute).
   */
  function takeObservedNat(hook: string, priority: number): void {
    if (!observed || conn.dnat?.observed || conn.dnat?.local || (hook === 'prerouting' && priority <= NAT_DST_PRIORITY)) return;
    conn.dnat = { ...observed, priority: conn.dnat?.priority ?? observed.priority };
  }

  function runChain(chain: ChainModel, ctx: EvalContext, hook: string, depth: number, stack: Frame[], rules: Frame['rules']): ChainOutcome {
    if (depth > MAX_DEPTH) return 'return';
    const frame: Frame = { chain, rules, index: 0 };
    const frames = [...stack, frame];
    const label = chainLabel(chain);
    for (let i = 0; i < rules.length; i++) {
      frame.index = i;
      const r = rules[i];
      const ref: RuleRef = { file: r.file, span: r.rule.span, text: r.text, chain: label };
      res.rulesRun++;
      const o = runRule(r.rule, ref, chain, ctx, hook, depth, frames);
      if (o === 'next') continue;
      if (o === 'return') return 'return';
      if (o === 'accept' || o === 'drop' || o === 'queue') {
        const later = laterFlowAdds(frames);
        if (later.length && (o === 'accept' || o === 'queue')) events.push({ kind: 'blocked', packet: pidx, rule: ref, verdict: o, flowAdds: later });
        if (o === 'drop') events.push({ kind: 'dropped', packet: pidx, rule: ref, chain: chainLabel(chain), chainSpan: chain.decl.span, file: chain.decl.file, policy: false });
        return o;
      }
    }
    return 'return';
  }

  function runRule(rule: A.Rule, ref: RuleRef, chain: ChainModel, ctx: EvalContext, hook: string, depth: number, frames: Frame[]): 'next' | ChainOutcome {
    const stmts = rule.statements;
    let flowAddBroke = false;
    for (let si = 0; si < stmts.length; si++) {
      const s = stmts[si];
      switch (s.kind) {
        case 'Match': {
          const m = evalMatch(s, ctx);
          let r = m.result;
          if (r === 'unknown') {
            // A fact per statement and packet view. Its description is made only when asked for:
            // predictFlow's runs meet every rule of a big chain, and describe a few of them.
            const key = `${fileId(ref.file)}:${s.span.start}:${packetKey(ctx.packet)}`;
            r = facts.decide(key, () => `\`${textOf(ref, s.span)}\` (${m.why ?? 'not modelled'})`) ? 'match' : 'no-match';
            if (hasFlowAdd(rule)) res.sawFlowAdd = true;
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `unknown: \`${textOf(ref, s.span)}\` (${m.why ?? 'not modelled'}); assumed ${r === 'match' ? 'to match' : 'not to match'}`, file: ref.file, span: ref.span, text: ref.text });
          }
          if (r === 'no-match') {
            if (hasFlowAdd(rule) && isEligible(ctx, chain, hook) === undefined) {
              const head = s.left.kind === 'Selector' ? s.left.path[0] : undefined;
              const otherFamily = (head === 'ip' && ctx.family === 'ip6') || (head === 'ip6' && ctx.family === 'ip');
              events.push({ kind: 'guard', packet: pidx, rule: ref, match: s.span, matchText: textOf(ref, s.span), otherFamily });
            }
            if (hasFlowAdd(rule)) res.sawFlowAdd = true;
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `no match (\`${textOf(ref, s.span)}\`)`, file: ref.file, span: ref.span, text: ref.text });
            return 'next';
          }
          break;
        }
        case 'FlowOffload': {
          res.sawFlowAdd = true;
          const why = isEligible(ctx, chain, hook, s);
          if (why) {
            const verdictSkipped = stmts.slice(si + 1).some((x) => x.kind === 'Verdict');
            events.push({ kind: 'ineligible', packet: pidx, rule: ref, why, verdictSkipped });
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `flow add @${s.flowtable?.text ?? '?'}: not offloaded (${INELIGIBLE_TEXT[why]}); the rule ends here${verdictSkipped ? ', its verdict does not run' : ''}`, file: ref.file, span: ref.span, text: ref.text });
            flowAddBroke = true;
            return 'next';
          }
          const ft = chain.table.flowtables.get(s.flowtable!.text)!;
          ctx.conn.offloaded = { flowtableKey: `${ft.table.key} ${ft.name}`, byPacket: pidx, rule: ref };
          events.push({ kind: 'offloaded', packet: pidx, rule: ref, flowtable: ft });
          if (trace) step({ kind: 'offload', hook, chain: ref.chain, result: `flow add @${ft.name}: both directions enter flowtable ${ft.table.family} ${ft.table.name} ${ft.name}`, file: ref.file, span: ref.span, text: ref.text });
          break;
        }
        case 'Verdict': {
          if (s.map) {
            const v = evalVerdictMap(s.map, ctx, ref);
            if (!v) {
              if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: 'verdict map: no element matches', file: ref.file, span: ref.span, text: ref.text });
              return 'next';
            }
            return doVerdict(v.verdict, v.target, ref, chain, ctx, hook, depth, frames, 'verdict map → ');
          }
          return doVerdict(s.verdict, s.target, ref, chain, ctx, hook, depth, frames, '');
        }
        case 'Set': {
          const target = pathText(s.target.path).replace(/^meta /, '');
          const val = valueOf(s.value, ctx);
          if (target === 'mark') ctx.mark = val;
          else if (target === 'ct mark' && !ctx.conn.untracked) ctx.conn.ctMark = val ?? ctx.conn.ctMark;
          else if (target === 'ct helper') {
            // nft_ct_helper_obj_eval assigns a helper only to unconfirmed entries (the first packet).
            if (!packet.confirmed && !ctx.beforeConntrack && !ctx.conn.untracked) {
              ctx.conn.helper = s.value.kind === 'String' || s.value.kind === 'Word' ? s.value.text : 'helper';
              events.push({ kind: 'helper-set', packet: pidx, rule: ref });
            }
          }
          break;
        }
        case 'Generic': {
          const kw = s.keyword;
          if (kw === 'notrack') {
            // notrack only takes effect before conntrack (raw priority, prerouting/output).
            if (ctx.beforeConntrack) {
              ctx.conn.untracked = true;
              events.push({ kind: 'notrack', packet: pidx, rule: ref });
            }
          } else if (kw === 'reject') {
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: 'match → reject', file: ref.file, span: ref.span, text: ref.text });
            return 'drop';
          } else if (kw === 'queue') {
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: 'match → queue (userspace verdict resumes at the next base chain)', file: ref.file, span: ref.span, text: ref.text });
            return 'queue';
          } else if (kw === 'synproxy') {
            ctx.conn.seqAdjust = true;
          } else if (kw === 'ct count' || kw === 'ct') {
            if (s.words.includes('over')) return 'next';
          }
          break;
        }
        case 'Limit':
        case 'Quota':
          // Assume normal traffic: under a `limit rate`/`quota`, so `… over` does not match.
          if (s.over) {
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `no match (\`${textOf(ref, s.span)}\` assumed not exceeded)`, file: ref.file, span: ref.span, text: ref.text });
            return 'next';
          }
          break;
        case 'Nat': {
          const nat = applyNatStatement(s, ctx, basePriority);
          if (!nat.applied) {
            if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `no match (${nat.description})`, file: ref.file, span: ref.span, text: ref.text });
            return 'next';
          }
          if (ctx.conn.dnat?.local) events.push({ kind: 'redirected', packet: pidx, rule: ref });
          if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `match → ${nat.description} (ends the chain)`, file: ref.file, span: ref.span, text: ref.text });
          return 'accept';
        }
        default:
          break;
      }
    }
    void flowAddBroke;
    if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: 'match, no verdict: continue', file: ref.file, span: ref.span, text: ref.text });
    return 'next';
  }

  function doVerdict(verdict: A.VerdictKind, target: A.VerdictStmt['target'], ref: RuleRef, chain: ChainModel, ctx: EvalContext, hook: string, depth: number, frames: Frame[], prefix: string): 'next' | ChainOutcome {
    if (verdict === 'continue') {
      if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `${prefix}continue`, file: ref.file, span: ref.span, text: ref.text });
      return 'next';
    }
    if (verdict === 'jump' || verdict === 'goto') {
      const sub = resolveTarget(chain.table, target);
      if (!sub) {
        if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `${prefix}${verdict} to an unknown chain: treated as continue`, file: ref.file, span: ref.span, text: ref.text });
        return 'next';
      }
      if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `${prefix}${verdict} ${sub.label}`, file: ref.file, span: ref.span, text: ref.text });
      const out = runChain(sub.chain, ctx, hook, depth + 1, frames, sub.rules);
      if (out === 'return') {
        if (verdict === 'goto') return 'return';
        if (trace) step({ kind: 'note', hook, chain: ref.chain, result: `back from ${sub.label}`, file: ref.file, span: ref.span });
        return 'next';
      }
      return out;
    }
    if (trace) step({ kind: 'rule', hook, chain: ref.chain, result: `${prefix}match → ${verdict}`, file: ref.file, span: ref.span, text: ref.text });
    return verdict === 'accept' || verdict === 'drop' || verdict === 'queue' ? verdict : 'return';
  }

  function resolveTarget(table: TableModel, target: A.VerdictStmt['target']): { chain: ChainModel; rules: Frame['rules']; label: string } | undefined {
    if (!target) return undefined;
    if (target.kind === 'AnonChain') {
      const host = [...table.chains.values()][0];
      const anon: ChainModel = { name: '(anonymous)', table, rules: [], decl: { file: host?.decl.file ?? '', span: target.span } };
      return { chain: anon, rules: target.rules.map((r) => ({ rule: r, text: '', file: host?.decl.file ?? '' })), label: 'an anonymous chain' };
    }
    const name = target.kind === 'Var' ? (() => { const d = resolveVarText(model, table, target.name.text); return d; })() : target.text;
    const c = name ? table.chains.get(name) : undefined;
    return c ? { chain: c, rules: c.rules.map((r) => ({ rule: r.rule, text: r.text, file: r.file })), label: chainLabel(c) } : undefined;
  }

  function evalVerdictMap(map: A.MapExpr, ctx: EvalContext, ref: RuleRef): { verdict: A.VerdictKind; target?: A.VerdictStmt['target'] } | undefined {
    const key = evalSelector(map.key, ctx);
    const elements = setElements(map.map, ctx.table) ?? [];
    // A key the packet lacks (`tcp dport` of a UDP packet) matches no element.
    if (key.t === 'absent') return undefined;
    if (key.t === 'num') {
      const index = numberKeyIndex(elements);
      if (index) {
        const el = index.get(key.v);
        return el?.value?.kind === 'Verdict' ? { verdict: el.value.verdict, target: el.value.target } : undefined;
      }
    }
    // A key the walk cannot know (`tcp dport` of a flow given without ports) leaves each element an
    // open fact. Maps have thousands of elements and predictFlow walks again for each fact it
    // explores, so the fact's key shares its packet part and its words are made only when new.
    const p = ctx.packet;
    const factKeys = elementFactKeys(elements, `${ref.file}|${p.iif}>${p.oif}:${p.saddr}>${p.daddr}:${p.dport}`);
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i];
      let r = matchValue(key, undefined, el.key, ctx).result;
      if (r === 'unknown') r = facts.decide(factKeys[i], () => `\`${textOf(ref, map.key.span)}\` against map element \`${textOf(ref, el.key.span)}\``) ? 'match' : 'no-match';
      if (r === 'match' && el.value?.kind === 'Verdict') return { verdict: el.value.verdict, target: el.value.target };
    }
    return undefined;
  }

  function isEligible(ctx: EvalContext, chain: ChainModel, hook: string, s?: A.FlowOffloadStmt): Ineligible | undefined {
    if (hook !== 'forward') return 'invalid-hook';
    if (s && (!s.flowtable || !chain.table.flowtables.has(s.flowtable.text))) return 'unknown-flowtable';
    if (ctx.ipsec) return 'ipsec';
    if (ctx.conn.untracked || ctx.beforeConntrack) return 'untracked';
    if (![6, 17, 47].includes(flow.l4proto)) return 'proto';
    // nft_flow_offload_eval: GRE only without NAT (offload.md R04).
    if (flow.l4proto === 47 && (ctx.conn.dnat || ctx.conn.snat)) return 'gre-nat';
    if (flow.l4proto === 6) {
      if (packet.tcpFlags.includes('fin') || packet.tcpFlags.includes('rst')) return 'tcp-fin';
      if (!packet.tcpAssured) return 'not-assured';
    }
    if (ctx.conn.helper) return 'helper';
    if (ctx.conn.seqAdjust) return 'seqadj';
    if (!packet.confirmed) return 'unconfirmed';
    if (ctx.conn.offloaded) return 'already';
    return undefined;
  }

  function valueOf(e: A.Expr, ctx: EvalContext): number | undefined {
    if (e.kind === 'Selector' || e.kind === 'Binary') {
      const v = evalSelector(e, ctx);
      return v.t === 'num' ? v.v : undefined;
    }
    if (e.kind === 'Var') return numberValue(resolveVar(model, ctx.table, e.name.text));
    return numberValue(e);
  }
}

export const INELIGIBLE_TEXT: Record<Ineligible, string> = {
  'invalid-hook': 'flow add is valid only in forward chains; the kernel refuses this ruleset',
  'unknown-flowtable': 'no flowtable of that name in this table',
  ipsec: 'the packet carries an IPsec secpath',
  untracked: 'the packet has no conntrack entry (notrack)',
  proto: 'only TCP, UDP and GRE are offloaded',
  'gre-nat': 'GRE is offloaded only without NAT',
  'tcp-fin': 'FIN/RST packet',
  'not-assured': 'TCP is not yet established and assured',
  helper: 'the connection has a conntrack helper',
  seqadj: 'the connection needs sequence adjustment (synproxy or a NAT helper)',
  unconfirmed: 'first packet: the conntrack entry is not confirmed yet',
  already: 'the flow is already offloaded',
};

const NUMBER_KEY_INDEX = new WeakMap<readonly A.SetElement[], Map<number, A.SetElement> | null>();

/**
 * The elements of a verdict map by key, when every key is a plain number (`1024 : jump svc_0`,
 * the common port dispatch map): a known key then finds its element at once instead of being
 * matched against thousands of elements. The first element of a key wins, as in the linear scan.
 * Null when any key is not a plain number (ranges, names, concatenations): those take the scan.
 */
function numberKeyIndex(elements: readonly A.SetElement[]): Map<number, A.SetElement> | null {
  let index = NUMBER_KEY_INDEX.get(elements);
  if (index !== undefined) return index;
  index = new Map();
  for (const el of elements) {
    const v = el.key?.kind === 'Number' ? numberValue(el.key) : undefined;
    if (v === undefined || Number.isNaN(v)) {
      index = null;
      break;
    }
    if (!index.has(v)) index.set(v, el);
  }
  NUMBER_KEY_INDEX.set(elements, index);
  return index;
}

function hasFlowAdd(r: A.Rule): boolean {
  return r.statements.some((s) => s.kind === 'FlowOffload');
}

function laterFlowAdds(frames: Frame[]): RuleRef[] {
  const out: RuleRef[] = [];
  for (const f of frames) {
    for (let i = f.index + 1; i < f.rules.length; i++) {
      const r = f.rules[i];
      if (hasFlowAdd(r.rule)) out.push({ file: r.file, span: r.rule.span, text: r.text, chain: chainLabel(f.chain) });
    }
  }
  return out;
}

const ELEMENT_FACT_KEYS = new WeakMap<readonly A.SetElement[], Map<string, string[]>>();

/**
 * The open-fact key of each map element for one packet (`packet`: the rule's file and the packet's
 * addresses and ports), made once per model and packet: predictFlow walks the same map again for
 * every fact it explores.
 */
function elementFactKeys(elements: readonly A.SetElement[], packet: string): string[] {
  let byPacket = ELEMENT_FACT_KEYS.get(elements);
  if (!byPacket) ELEMENT_FACT_KEYS.set(elements, (byPacket = new Map()));
  let keys = byPacket.get(packet);
  if (!keys) byPacket.set(packet, (keys = elements.map((el) => `${el.span.start}|${packet}`)));
  return keys;
}

function textOf(ref: RuleRef, s: Span): string {
  // Rule text starts at the rule's span start (RuleModel.text is trimmed source of the rule).
  const off = s.start - ref.span.start;
  const t = ref.text.slice(Math.max(0, off), Math.max(0, off) + (s.end - s.start));
  return t || ref.text;
}

function resolveVarText(model: RulesetModel, table: TableModel, name: string): string | undefined {
  const e = resolveVar(model, table, name);
  return e && (e.kind === 'Word' || e.kind === 'String') ? e.text : undefined;
}

export function findFlowtable(model: RulesetModel, key: string): FlowtableModel | undefined {
  for (const t of model.tables.values()) for (const f of t.flowtables.values()) if (`${t.key} ${f.name}` === key) return f;
  return undefined;
}
