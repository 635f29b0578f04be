/**
 * predictFlow: follows the packets of one forwarded connection through the ruleset
 * and decides `fast` (offloaded, both directions enter the flowtable), `slow`, or
 * `dropped`, with the reasons located on the rules responsible.
 *
 * Packet sequence (offload.md R05/R07 and §7):
 * - TCP: SYN (new, unconfirmed), SYN-ACK (established, not assured), ACK (established + assured: the first
 *   packet `flow add` accepts), then data in the reply direction.
 * - UDP/GRE/others: first datagram (new, unconfirmed), then either the first reply (established; default) or,
 *   with `udp=stream`, a second datagram before any reply (still `ct state new`, but confirmed, so eligible).
 * One successful `flow add` offloads both directions; each direction is fast only if its input device has the
 * flowtable's hook (M01/M02).
 */
import type { Finding, RelatedInfo } from '../core/finding';
import type { Span } from '../core/span';
import type { FlowtableModel, RuleModel, RulesetModel, TableModel } from '../semantics/model';
import { OFFLOAD_RULES } from './codes';
import type { ConnState, FlowSpec, Packet, TraceStep } from './flow-model';
import { baseChains, describeFact, FactBook, findFlowtable, flowtableCovers, tablesFor, walkPacket, type WalkEvent } from './walk-chains';
import { appendAll } from '../core/arrays';

export type FlowVerdict = 'fast' | 'slow' | 'dropped';

export interface FlowPrediction {
  verdict: FlowVerdict;
  hardware: boolean;
  /** `<family> <table> <name>` of the flowtable the flow enters, or null. */
  flowtable: string | null;
  /** Finding-shaped reasons; spans point at the rules responsible. */
  reasons: Finding[];
  trace: TraceStep[];
  /** False when some open fact (a run-time set, an unspecified interface) would change the verdict. */
  certain: boolean;
  /** The other verdicts the open facts allow (empty when certain). */
  alternatives?: FlowVerdict[];
}

interface Outcome {
  verdict: FlowVerdict;
  flowtable?: FlowtableModel;
  events: WalkEvent[];
  steps: TraceStep[];
  covered: { orig: boolean; reply: boolean };
  droppedAt?: number;
  /** Index of the first packet delivered to the router itself (a `redirect`): the flow is not forwarded. */
  localAt?: number;
  facts: FactBook;
  /** Rules evaluated over all packets. */
  rulesRun: number;
}

const ELIGIBLE_PROTOS = [6, 17, 47];

export function packetsFor(flow: FlowSpec): Packet[] {
  const o = { dir: 'original' as const, iif: flow.iif, oif: flow.oif, saddr: flow.saddr, daddr: flow.daddr, sport: flow.sport, dport: flow.dport };
  const r = { dir: 'reply' as const, iif: flow.oif, oif: flow.iif, saddr: flow.daddr, daddr: flow.saddr, sport: flow.dport, dport: flow.sport };
  if (flow.l4proto === 6) {
    return [
      { ...o, label: 'SYN', tcpFlags: ['syn'], ctState: 'new', confirmed: false, tcpAssured: false, seenReply: false },
      { ...r, label: 'SYN-ACK', tcpFlags: ['syn', 'ack'], ctState: 'established', confirmed: true, tcpAssured: false, seenReply: true },
      { ...o, label: 'ACK (handshake done)', tcpFlags: ['ack'], ctState: 'established', confirmed: true, tcpAssured: true, seenReply: true },
      { ...r, label: 'reply data', tcpFlags: ['ack', 'psh'], ctState: 'established', confirmed: true, tcpAssured: true, seenReply: true },
      { ...o, label: 'original data', tcpFlags: ['ack', 'psh'], ctState: 'established', confirmed: true, tcpAssured: true, seenReply: true },
    ];
  }
  const first: Packet = { ...o, label: 'first packet', tcpFlags: [], ctState: 'new', confirmed: false, tcpAssured: false, seenReply: false };
  const reply: Packet = { ...r, label: 'first reply', tcpFlags: [], ctState: 'established', confirmed: true, tcpAssured: false, seenReply: true };
  const later: Packet = { ...o, label: 'later original packet', tcpFlags: [], ctState: 'established', confirmed: true, tcpAssured: false, seenReply: true };
  const laterReply: Packet = { ...r, label: 'later reply', tcpFlags: [], ctState: 'established', confirmed: true, tcpAssured: false, seenReply: true };
  if (flow.udpTiming === 'stream') {
    const second: Packet = { ...o, label: 'second packet before any reply', tcpFlags: [], ctState: 'new', confirmed: true, tcpAssured: false, seenReply: false };
    return [first, second, reply, later, laterReply];
  }
  return [first, reply, later, laterReply];
}

/** One run of the flow's packets; with `trace`, the steps are recorded too (for explain and the base run). */
function simulate(model: RulesetModel, flow: FlowSpec, fixed: ReadonlyMap<string, boolean>, trace = true): Outcome {
  const facts = new FactBook(fixed);
  const conn: ConnState = { ctMark: 0, helper: flow.helper, untracked: false, seqAdjust: false };
  const events: WalkEvent[] = [];
  const steps: TraceStep[] = [];
  const packets = packetsFor(flow);
  let droppedAt: number | undefined;
  let localAt: number | undefined;
  let rulesRun = 0;
  for (let i = 0; i < packets.length; i++) {
    const r = walkPacket(model, flow, packets[i], i, conn, facts, trace);
    rulesRun += r.rulesRun;
    appendAll(events, r.events);
    appendAll(steps, r.steps);
    if (r.fate === 'local') {
      localAt = i;
      break;
    }
    if (r.fate === 'dropped') {
      const ft = conn.offloaded ? findFlowtable(model, conn.offloaded.flowtableKey) : undefined;
      // offload.md §7: a packet that offloads the flow and is then dropped by a later table is lost,
      // but the following packets of covered directions take the fast path and never meet that drop.
      const p = packets[i];
      const covered = ft && flowtableCovers(ft, p.iif, facts, flow.deviceStack) === 'match';
      if (covered) {
        steps.push({ packet: i, packetLabel: p.label, kind: 'note', result: 'this packet is lost, but the flow is already offloaded: later packets in this direction bypass the drop' });
        continue;
      }
      droppedAt = i;
      break;
    }
  }
  const ft = conn.offloaded ? findFlowtable(model, conn.offloaded.flowtableKey) : undefined;
  const covered = {
    orig: !!ft && flowtableCovers(ft, flow.iif, facts, flow.deviceStack) === 'match',
    reply: !!ft && flowtableCovers(ft, flow.oif, facts, flow.deviceStack) === 'match',
  };
  let verdict: FlowVerdict;
  if (droppedAt !== undefined) verdict = 'dropped';
  else if (localAt === undefined && ft && covered.orig && covered.reply) verdict = 'fast';
  else verdict = 'slow';
  return { verdict, flowtable: ft, events, steps, covered, droppedAt, localAt, facts, rulesRun };
}

/** Index of the first packet `flow add` could accept: TCP after the handshake, others from the 2nd packet. */
function firstEligible(flow: FlowSpec): number {
  return flow.l4proto === 6 ? 2 : 1;
}

/** Simulations predictFlow runs beyond the first, flipping open facts to find other verdicts. */
const MAX_EXPLORED = 32;

/**
 * Rules those runs may evaluate in all, for one flow. Each run walks every rule the packets
 * meet, so on a chain of 40k rules 32 runs took minutes; the runs stop once past this budget
 * (a few on such a chain, all 32 on usual rulesets). They only find alternative verdicts:
 * the findings come from the first run.
 */
const EXPLORE_BUDGET = 200_000;

export function predictFlow(model: RulesetModel, flow: FlowSpec): FlowPrediction {
  const base = simulate(model, flow, new Map());
  // Explore the open facts (bounded): each run may discover new ones behind a fact assumed to match,
  // e.g. `iifname @a oifname @b` only reveals the second fact once the first one matches.
  const alternatives: { verdict: FlowVerdict; assume: string[] }[] = [];
  const descriptions = new Map(base.facts.open);
  const assumed = new Map(base.facts.assumed);
  /** A fact the other way round from its assumption, in words. */
  const describe = (k: string) => describeFact(descriptions.get(k)) ?? k;
  const flipped = (k: string) => (assumed.get(k) ? `it is not so that ${describe(k)}` : `${describe(k)} held`);
  // Breadth first, at most MAX_EXPLORED runs. The queue never holds more than the runs left: a
  // verdict map with thousands of elements has a fact per element, and queueing a flip of each
  // after every run cost more than all the runs (the same runs happen, in the same order).
  const queue: Map<string, boolean>[] = [...base.facts.open.keys()].slice(0, MAX_EXPLORED).map((k) => new Map([[k, !assumed.get(k)]]));
  const seen = new Set(queue.map((m) => [...m.keys()].sort().join('|')));
  let spent = 0;
  for (let runs = 0; queue.length && runs < MAX_EXPLORED && spent < EXPLORE_BUDGET; runs++) {
    const fixed = queue.shift()!;
    const o = simulate(model, flow, fixed, false);
    spent += o.rulesRun;
    for (const [k, d] of o.facts.open) descriptions.set(k, d);
    for (const [k, a] of o.facts.assumed) if (!assumed.has(k)) assumed.set(k, a);
    if (o.verdict !== base.verdict && !alternatives.some((a) => a.verdict === o.verdict))
      alternatives.push({ verdict: o.verdict, assume: [...fixed.keys()].map(flipped) });
    for (const k of o.facts.open.keys()) {
      if (queue.length >= MAX_EXPLORED - runs - 1) break; // would never run
      if (fixed.has(k)) continue;
      const next = new Map(fixed).set(k, !assumed.get(k));
      const id = [...next.keys()].sort().join('|');
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(next);
      }
    }
  }
  const reasons = explainOutcome(model, flow, base);
  if (alternatives.length) {
    const first = reasons[0]?.span ?? { start: 0, end: 0 };
    const taken = [...descriptions.keys()].slice(0, 5);
    const against = taken.filter((k) => !assumed.get(k)).map(describe);
    const towards = taken.filter((k) => assumed.get(k)).map(describe);
    const assumes = [
      ...(against.length ? [`that these open facts do not hold: ${against.join('; ')}`] : []),
      ...(towards.length ? [`that ${towards.join('; ')}`] : []),
    ].join(', and ');
    reasons.push(reason('openFacts', `The verdict assumes ${assumes}. ${alternatives.map((a) => `If ${a.assume.join(' and ')}, the flow would be ${a.verdict}.`).join(' ')}`, reasons[0]?.file ?? '', first));
  }
  // UDP timing (offload.md §7): state what the other timing would do.
  if (flow.l4proto === 17) {
    const otherTiming: FlowSpec = { ...flow, udpTiming: flow.udpTiming === 'stream' ? 'reply' : 'stream' };
    const other = simulate(model, otherTiming, new Map(), false);
    if (other.verdict !== base.verdict) {
      const at = reasons[0] ?? { file: '', span: { start: 0, end: 0 } };
      reasons.push(reason('udpTiming', flow.udpTiming === 'stream'
        ? `This assumes the client sends a second datagram before the first reply (udp=stream); with request/response timing the flow would be ${other.verdict}.`
        : `With request/response timing the flow is ${base.verdict}; if the client sends a second datagram before the first reply (QUIC bulk, RTP, VPN handshakes; udp=stream), that still-new packet reaches \`flow add\` and the flow would be ${other.verdict}.`, at.file, at.span));
    }
  }
  const ft = base.flowtable;
  const hardware = base.verdict === 'fast' && !!ft?.flags.includes('offload');
  return {
    verdict: base.verdict,
    hardware,
    flowtable: ft && base.verdict !== 'dropped' && base.events.some((e) => e.kind === 'offloaded') ? `${ft.table.family} ${ft.table.name} ${ft.name}` : null,
    reasons,
    trace: base.steps,
    certain: alternatives.length === 0,
    ...(alternatives.length ? { alternatives: alternatives.map((a) => a.verdict) } : {}),
  };
}

const FLOW_ADD_RULES = new WeakMap<RulesetModel, (RuleModel & { table: TableModel })[]>();

/** Every rule with a `flow add`, once per model (explainOutcome needs them for each flow; scanning each time was the hot spot). */
function flowAddRules(model: RulesetModel): (RuleModel & { table: TableModel })[] {
  let list = FLOW_ADD_RULES.get(model);
  if (!list) {
    list = [];
    for (const t of model.tables.values()) for (const c of t.chains.values()) for (const r of c.rules) if (r.rule.statements.some((s) => s.kind === 'FlowOffload')) list.push({ ...r, table: t });
    FLOW_ADD_RULES.set(model, list);
  }
  return list;
}

function reason(key: keyof typeof OFFLOAD_RULES, message: string, file: string, span: Span, related?: RelatedInfo[]): Finding {
  const r = OFFLOAD_RULES[key];
  return { code: r.code, severity: r.severity, message, file, span, ...(related?.length ? { related } : {}) };
}

const protoText = (n: number) => ({ 6: 'TCP', 17: 'UDP', 47: 'GRE', 1: 'ICMP', 58: 'ICMPv6' } as Record<number, string>)[n] ?? `protocol ${n}`;

function explainOutcome(model: RulesetModel, flow: FlowSpec, o: Outcome): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding) => {
    if (!out.some((x) => x.code === f.code && x.span.start === f.span.start && x.file === f.file)) out.push(f);
  };
  const eligibleFrom = firstEligible(flow);
  const packets = packetsFor(flow);
  const label = (i: number) => packets[i]?.label ?? `packet ${i + 1}`;

  if (o.verdict === 'dropped') {
    const i = o.droppedAt!;
    const skipped = o.events.find((e): e is Extract<WalkEvent, { kind: 'ineligible' }> => e.kind === 'ineligible' && e.packet === i && e.verdictSkipped);
    const drop = o.events.find((e): e is Extract<WalkEvent, { kind: 'dropped' }> => e.kind === 'dropped' && e.packet === i);
    const dropLoc = drop ? (drop.rule ? { file: drop.rule.file, span: drop.rule.span } : { file: drop.file, span: drop.chainSpan }) : undefined;
    if (skipped) {
      push(reason('flowAddThenVerdict', `The ${label(i)} reaches \`${skipped.rule.text}\`, but \`flow add\` does not offload it (not eligible yet), so the rule ends before its verdict and the packet falls through to ${drop?.policy ? `the policy drop of ${drop.chain}` : 'a later drop'}.`, skipped.rule.file, skipped.rule.span, dropLoc ? [{ location: dropLoc, message: 'dropped here' }] : undefined));
    }
    if (drop && dropLoc) {
      push(reason('dropped', drop.policy ? `The ${label(i)} reaches the end of ${drop.chain}, whose policy is drop.` : `The ${label(i)} is dropped by \`${drop.rule!.text}\` in ${drop.chain}.`, dropLoc.file, dropLoc.span));
    }
    return out;
  }
  if (o.localAt !== undefined) {
    const redirect = o.events.find((e): e is Extract<WalkEvent, { kind: 'redirected' }> => e.kind === 'redirected');
    const at = redirect ? { file: redirect.rule.file, span: redirect.rule.span } : { file: '', span: { start: 0, end: 0 } };
    push(reason('notForwarded', `${redirect ? `\`${redirect.rule.text}\`` : 'A `redirect`'} sends the flow to the router itself: its packets are delivered to input, not forwarded, and only forwarded flows can be offloaded.`, at.file, at.span));
    return out;
  }
  const off = o.events.find((e): e is Extract<WalkEvent, { kind: 'offloaded' }> => e.kind === 'offloaded');
  if (off) {
    const ft = off.flowtable;
    push(reason('offloaded', `\`${off.rule.text}\` offloads the flow on its ${label(off.packet)} into flowtable ${ft.table.family} ${ft.table.name} ${ft.name}.`, off.rule.file, off.rule.span));
    if (!o.covered.orig || !o.covered.reply) {
      const miss = [!o.covered.orig ? flow.iif : undefined, !o.covered.reply ? flow.oif : undefined];
      const names = miss.filter((x): x is string => x !== undefined);
      const unnamed = miss.some((x, i) => x === undefined && (i === 0 ? !o.covered.orig : !o.covered.reply));
      const dirs = !o.covered.orig && !o.covered.reply ? 'Neither direction' : !o.covered.orig ? 'The original direction' : 'The reply direction';
      push(reason('missingDevices', `${dirs} is fast: flowtable ${ft.name} has no hook on ${names.map((n) => `\`${n}\``).join(' and ') || 'the input interface'}${unnamed ? ' (the flow spec does not name it)' : ''}, so ${!o.covered.orig && !o.covered.reply ? 'every packet' : 'those packets'} still take the slow path although conntrack shows [OFFLOAD].`.replace(/^(Neither direction|The original direction|The reply direction) is fast/, (m) => (m.startsWith('Neither') ? 'Neither direction is fast' : `Only ${m.startsWith('The original') ? 'the reply' : 'the original'} direction is fast`)), ft.decl.file, ft.decl.span));
    }
    if (o.verdict === 'fast' && ft.flags.includes('offload')) {
      push(reason('hardware', `Flowtable ${ft.name} has \`flags offload\`: the driver of each listed device must accept the flow (TC_SETUP_FT); otherwise it stays in the software fast path.`, ft.decl.file, ft.decl.span));
    }
    return out;
  }
  // Not offloaded: say why.
  const helperSet = o.events.find((e): e is Extract<WalkEvent, { kind: 'helper-set' }> => e.kind === 'helper-set');
  for (const e of o.events) {
    if (e.kind === 'ineligible' && e.why === 'helper' && helperSet) continue; // reported at the rule that sets it
    if (e.kind === 'blocked' && e.packet >= eligibleFrom && ELIGIBLE_PROTOS.includes(flow.l4proto)) {
      push(reason('flowAddAfterAccept', `\`${e.rule.text}\` (${e.verdict}) ends ${e.rule.chain} for the ${label(e.packet)} before \`${e.flowAdds[0].text}\`, so the flow is never offloaded.`, e.rule.file, e.rule.span, e.flowAdds.map((f) => ({ location: { file: f.file, span: f.span }, message: 'flow add never reached' }))));
    }
    if (e.kind === 'guard' && e.otherFamily && ELIGIBLE_PROTOS.includes(flow.l4proto)) {
      const v4 = flow.family === 'ip6';
      push(reason('familyGap', `\`${e.matchText}\` reads the ${v4 ? 'IPv4' : 'IPv6'} header, so it matches ${v4 ? 'IPv4' : 'IPv6'} packets only: \`${e.rule.text}\` never offloads ${v4 ? 'IPv6' : 'IPv4'} flows.${/^ip6? (protocol|nexthdr)\b/.test(e.matchText) ? ' `meta l4proto` matches both families.' : ''}`, e.rule.file, e.match));
      continue;
    }
    if (e.kind === 'guard' && e.packet >= eligibleFrom && ELIGIBLE_PROTOS.includes(flow.l4proto)) {
      push(reason('guardExcludes', `\`${e.matchText}\` does not match the ${label(e.packet)}, so \`${e.rule.text}\` never offloads this flow.`, e.rule.file, e.match));
    }
    if (e.kind === 'ineligible') {
      const msg: Partial<Record<typeof e.why, [keyof typeof OFFLOAD_RULES, string]>> = {
        proto: ['unsupportedProtocol', `\`${e.rule.text}\` is reached, but the kernel offloads only TCP, UDP and GRE; ${protoText(flow.l4proto)} stays on the slow path.`],
        'gre-nat': ['unsupportedProtocol', `\`${e.rule.text}\` is reached, but the kernel offloads GRE only without NAT, and this connection is translated (\`snat\`, \`masquerade\` or \`dnat\`): it stays on the slow path.`],
        helper: ['helper', `The connection has the conntrack helper \`${flow.helper ?? '?'}\`; \`flow add\` refuses connections with a helper.`],
        seqadj: ['helper', 'The connection needs sequence adjustment (synproxy or a payload-mangling NAT helper); `flow add` refuses it.'],
        untracked: ['notrack', `The packets are untracked (\`notrack\`), so \`${e.rule.text}\` finds no conntrack entry to offload.`],
        ipsec: ['ipsec', 'The packets were decrypted by IPsec (they carry a secpath); `flow add` never offloads them.'],
        'invalid-hook': ['invalidHook', `\`${e.rule.text}\` is outside a forward chain; the kernel refuses to load this ruleset (EOPNOTSUPP).`],
        'unknown-flowtable': ['unknownFlowtable', `\`${e.rule.text}\` names no flowtable of its own table; the kernel refuses this rule (ENOENT).`],
      };
      const m = msg[e.why];
      if (m) push(reason(m[0], m[1], e.rule.file, e.rule.span));
    }
  }
  if (helperSet) push(reason('helper', `\`${helperSet.rule.text}\` gives this connection a conntrack helper; \`flow add\` refuses connections with a helper, so it stays slow.`, helperSet.rule.file, helperSet.rule.span));
  const nt = o.events.find((e): e is Extract<WalkEvent, { kind: 'notrack' }> => e.kind === 'notrack' && e.packet >= eligibleFrom);
  if (nt) push(reason('notrack', `\`${nt.rule.text}\` leaves the packets untracked; without a conntrack entry nothing is offloaded.`, nt.rule.file, nt.rule.span));
  if (!out.length) {
    // No flow add was in the way: is there one for the other family, or none at all?
    const anyFlowAdd = flowAddRules(model);
    const sameFamily = anyFlowAdd.some((r) => r.table.family === flow.family || r.table.family === 'inet');
    const fwd = baseChains(model, flow.family, 'forward')[0];
    const at = fwd ? { file: fwd.decl.file, span: fwd.hook!.loc.span } : { file: '', span: { start: 0, end: 0 } };
    if (!sameFamily && anyFlowAdd.length) {
      const r = anyFlowAdd[0];
      push(reason('familyGap', `${flow.family === 'ip6' ? 'IPv6' : 'IPv4'} traffic never reaches \`${r.text}\`: its table only sees ${flow.family === 'ip6' ? 'IPv4' : 'IPv6'} (an \`inet\` table covers both).`, r.file, r.rule.span));
    } else if (!anyFlowAdd.length) {
      push(reason('noFlowtable', 'No rule in this ruleset runs `flow add`, so no flow is ever offloaded.', at.file, at.span));
    } else if (!ELIGIBLE_PROTOS.includes(flow.l4proto)) {
      push(reason('unsupportedProtocol', `The kernel offloads only TCP, UDP and GRE; ${protoText(flow.l4proto)} always takes the slow path.`, anyFlowAdd[0].file, anyFlowAdd[0].rule.span));
    } else {
      push(reason('flowAddAfterAccept', 'No packet of this flow that could be offloaded reaches a `flow add` statement.', at.file, at.span));
    }
  }
  return out;
}
