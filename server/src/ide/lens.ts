import type { Span } from '../core/span';
import type { Finding } from '../core/finding';
import type * as A from '../syntax/ast';
import type { ChainModel, Loc, RulesetModel } from '../semantics';
import { OFFLOAD_RULES_BY_CODE, type FlowPrediction, type FlowSpec } from '../offload';
import { walk, type AnyNode } from './walk';

/** Code lenses and inlay hints as plain data. */
export interface LensData {
  span: Span;
  title: string;
}

export interface InlayData {
  offset: number;
  label: string;
  tooltip?: string;
}

/**
 * What the lenses and hints are computed from: the semantic model and the offload
 * layer's predictions for the representative flows (offload `representativePredictions`,
 * the same flows `findOffloadBlockers` judges). The model may be a version behind the
 * text: `here` maps a model location into the current text of the file being shown
 * (undefined for other files and for edited text).
 */
export interface FlowView {
  model: RulesetModel;
  predictions: readonly { flow: FlowSpec; prediction: FlowPrediction }[];
  here(loc: Loc): Span | undefined;
  /** `line N` (this file) or `file:N` (another file) of a model location. */
  where(loc: Loc): string;
}

const PROTO: Record<number, string> = { 6: 'tcp', 17: 'udp', 47: 'gre', 1: 'icmp', 58: 'icmpv6' };
const protoName = (n: number) => PROTO[n] ?? String(n);

/** Short words for why a flow stays slow, by finding code. */
const WHY: Record<string, string> = {
  OFF002: 'blocked',
  OFF001: 'no flow add',
  OFF003: 'flowtable lacks a device',
  OFF004: 'protocol not offloaded',
  OFF005: 'conntrack helper',
  OFF012: 'flow add guard excludes it',
  OFF013: 'no flow add for this family',
  OFF016: 'flow add skipped (not eligible yet)',
  OFF018: 'notrack',
  OFF019: 'IPsec',
  OFF020: 'unknown flowtable',
  OFF008: 'flow add outside forward',
};

function summary(p: FlowPrediction, where: (l: Loc) => string): string {
  const first = (p.reasons as Finding[]).find((r) => r.code !== 'OFF015' && r.code !== 'OFF021') ?? p.reasons[0];
  const at = first ? ` at ${where({ file: first.file, span: first.span })}` : '';
  // A lens is read at a glance: when addresses or run-time sets decide, say which verdicts remain.
  const open = p.certain ? '' : p.alternatives?.length ? ` (or ${[...new Set(p.alternatives)].join('/')}, depending on addresses and sets)` : ' (depends on open facts)';
  if (p.verdict === 'fast') return `fast path via @${p.flowtable?.split(' ')[2] ?? '?'}${p.hardware ? ' (hardware)' : ''}${open}`;
  if (p.verdict === 'dropped') {
    const drop = (p.reasons as Finding[]).find((r) => r.code === 'OFF017') ?? first;
    return `dropped${drop ? ` at ${where({ file: drop.file, span: drop.span })}` : ''}${open}`;
  }
  if (first?.code === 'OFF014' || first?.code === 'OFF003') return `slow: ${WHY.OFF003}${at}${open}`;
  return `slow: ${first ? (WHY[first.code] ?? OFFLOAD_RULES_BY_CODE[first.code]?.name ?? first.code) : 'not offloaded'}${at}${open}`;
}

function familiesOf(chain: ChainModel): ('ip' | 'ip6')[] {
  const f = chain.table.family;
  return f === 'inet' ? ['ip', 'ip6'] : f === 'ip' || f === 'ip6' ? [f] : [];
}

/** `tcp/udp`, prefixed by the IP family when the group does not cover every family shown. */
function flowsLabel(flows: readonly FlowSpec[], families: readonly string[]): string {
  const protos = [...new Set(flows.map((f) => protoName(f.l4proto)))].join('/');
  const fams = [...new Set(flows.map((f) => f.family))];
  return fams.length < families.length ? `${fams.join('+')} ${protos}` : protos;
}

const MAX_LENSES_PER_CHAIN = 4;

/**
 * One lens per group of representative flows on each forward base chain
 * ("tcp/udp from lan0 → wan0: fast path via @ft (hardware)", "slow: blocked at line 17"),
 * and one on each flowtable (which flows it offloads, where flows are added).
 */
export function flowLenses(file: string, view: FlowView): LensData[] {
  const out: LensData[] = [];
  for (const t of view.model.tables.values()) {
    for (const chain of t.chains.values()) {
      if (chain.hook?.hook !== 'forward' || chain.decl.file !== file) continue;
      const span = view.here(chain.decl);
      const fams = familiesOf(chain);
      if (!span || !fams.length) continue;
      const groups = new Map<string, { head: string; summary: string; flows: FlowSpec[] }>();
      for (const { flow, prediction } of view.predictions) {
        if (!fams.includes(flow.family)) continue;
        const head = flow.iif || flow.oif ? ` from ${flow.iif ?? 'any'} → ${flow.oif ?? 'any'}` : '';
        const s = summary(prediction, view.where);
        const key = `${head}\u0000${s}`;
        const g = groups.get(key);
        if (g) g.flows.push(flow);
        else groups.set(key, { head, summary: s, flows: [flow] });
      }
      const list = [...groups.values()];
      for (const g of list.slice(0, MAX_LENSES_PER_CHAIN)) out.push({ span, title: `${flowsLabel(g.flows, fams)}${g.head}: ${g.summary}` });
      if (list.length > MAX_LENSES_PER_CHAIN) out.push({ span, title: `… ${list.length - MAX_LENSES_PER_CHAIN} more flow groups (nft-offload explain)` });
      if (!list.length) out.push({ span, title: 'no representative flow (no interface names or families to derive them from)' });
    }
    for (const ft of t.flowtables.values()) {
      if (ft.decl.file !== file) continue;
      const span = view.here(ft.decl);
      if (!span) continue;
      const key = `${t.family} ${t.name} ${ft.name}`;
      const fast = view.predictions.filter((p) => p.prediction.flowtable === key);
      const sym = view.model.symbols.find((s) => s.kind === 'flowtable' && s.name === ft.name && s.container === t.key);
      const adds = sym?.references.map((r) => view.where(r)) ?? [];
      const used = adds.length ? `flow add at ${adds.join(', ')}` : 'no `flow add` uses it';
      if (!fast.length) {
        out.push({ span, title: `${used}; no representative flow is offloaded here` });
        continue;
      }
      const pairs = [...new Set(fast.map((p) => (p.flow.iif || p.flow.oif ? `${p.flow.iif ?? 'any'} → ${p.flow.oif ?? 'any'}` : 'any')))];
      const hw = fast.some((p) => p.prediction.hardware) ? ' (hardware)' : '';
      out.push({ span, title: `offloads ${flowsLabel(fast.map((p) => p.flow), ['ip', 'ip6'])} ${pairs.slice(0, 3).join(', ')}${pairs.length > 3 ? ` and ${pairs.length - 3} more` : ''}${hw}; ${used}` });
    }
  }
  return out;
}

/**
 * A hint after each `flow add`: which representative flows it offloads ("offloads
 * established tcp/udp"), why the packets reaching it are not offloaded, or what stops
 * them before it ("never reached: accept at line 17").
 */
export function flowAddHints(file: string, view: FlowView, range: Span): InlayData[] {
  const out: InlayData[] = [];
  for (const t of view.model.tables.values()) {
    for (const chain of t.chains.values()) {
      for (const r of chain.rules) {
        if (r.file !== file) continue;
        const stmt = r.rule.statements.find((s): s is A.FlowOffloadStmt => s.kind === 'FlowOffload');
        if (!stmt) continue;
        const at = view.here({ file, span: stmt.span });
        if (!at || at.end < range.start || at.start > range.end) continue;
        const rs = r.rule.span.start;
        const offloaded: FlowSpec[] = [];
        const refused = new Set<string>();
        let blocked: Finding | undefined;
        for (const { flow, prediction } of view.predictions) {
          if (prediction.trace.some((s) => s.kind === 'offload' && s.file === file && s.span?.start === rs)) offloaded.push(flow);
          for (const s of prediction.trace) {
            if (s.kind === 'rule' && s.file === file && s.span?.start === rs && /not offloaded \(([^)]*)\)/.test(s.result)) refused.add(/not offloaded \(([^)]*)\)/.exec(s.result)![1]);
          }
          blocked ??= (prediction.reasons as Finding[]).find((x) => x.code === 'OFF002' && x.related?.some((rel) => rel.location.file === file && rel.location.span.start === rs));
        }
        let label: string;
        let tooltip: string | undefined;
        if (offloaded.length) {
          label = `offloads established ${flowsLabel(offloaded, ['ip', 'ip6'])}`;
          tooltip = offloaded.map((f) => `${f.family} ${protoName(f.l4proto)} ${f.iif ?? 'any'} → ${f.oif ?? 'any'}`).join('\n');
        } else if (blocked) {
          const verdict = /\((accept|queue)\)/.exec(blocked.message)?.[1] ?? 'accept';
          label = `never reached: ${verdict === 'accept' ? 'accepted' : 'queued'} at ${view.where({ file: blocked.file, span: blocked.span })}`;
          tooltip = blocked.message;
        } else if (refused.size) {
          label = `reached, not offloaded: ${[...refused][0]}`;
          tooltip = [...refused].join('\n');
        } else label = 'not reached by the representative flows';
        out.push({ offset: at.end, label: ` ${label}`, tooltip });
      }
    }
  }
  return out;
}

/** Inlay hints: the implicit `policy accept` of base chains that do not state one. */
export function inlayHints(ast: A.Ruleset, text: string, range: Span): InlayData[] {
  const out: InlayData[] = [];
  walk(ast as unknown as AnyNode, (n) => {
    if (n.span.end < range.start || n.span.start > range.end) return false;
    if (n.kind !== 'Chain') return;
    const c = n as unknown as A.ChainDecl;
    const hook = c.body?.find((b) => b.kind === 'ChainHook') as A.ChainHookSpec | undefined;
    if (!hook || c.body?.some((b) => b.kind === 'Policy')) return;
    let end = text.indexOf('\n', hook.span.end);
    if (end < 0) end = text.length;
    const semi = text.slice(hook.span.end, end).match(/^\s*;/);
    out.push({ offset: semi ? hook.span.end + semi[0].length : hook.span.end, label: ' policy accept', tooltip: 'No policy is given: packets reaching the end of this base chain are accepted.' });
  });
  return out;
}
