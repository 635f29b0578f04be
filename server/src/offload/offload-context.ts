/**
 * What every offload rule gets: the model, the file texts (for fixes), helpers to
 * scan statements, and predictions for representative flows derived from the ruleset.
 */
import type { Finding, Fix, RelatedInfo } from '../core/finding';
import type { RuleInfo } from '../core/catalogue';
import type { Span } from '../core/span';
import type * as A from '../syntax/ast';
import type { ChainModel, RuleModel, RulesetModel, TableModel } from '../semantics/model';
import type { FlowSpec } from './flow-model';
import type { FlowPrediction } from './predict-flow';
import { setElements } from './match-expr';
import { pathText } from '../syntax/node-builders';

export interface OffloadContext {
  model: RulesetModel;
  /** Text of a file, when the model carries it (SemanticModel.files); fixes need it. */
  textOf(file: string): string | undefined;
  /** predictFlow for the representative flows; empty when no rule may run `flow add` (mayAddFlows). */
  predictions: { flow: FlowSpec; prediction: FlowPrediction }[];
}

export interface OffloadRule {
  info: RuleInfo;
  check(ctx: OffloadContext): Finding[];
}

export const INET_FAMILIES = ['ip', 'ip6', 'inet'];

export function finding(info: RuleInfo, message: string, file: string, span: Span, extra: { related?: RelatedInfo[]; fixes?: Fix[] } = {}): Finding {
  return { code: info.code, severity: info.severity, message, file, span, ...(extra.related?.length ? { related: extra.related } : {}), ...(extra.fixes?.length ? { fixes: extra.fixes } : {}) };
}

export interface RuleEntry {
  table: TableModel;
  chain: ChainModel;
  rule: RuleModel;
}

const ALL_RULES = new WeakMap<RulesetModel, readonly RuleEntry[]>();

/** Every rule of the model with its table and chain, listed once per model (most checks scan them all). */
export function allRules(model: RulesetModel): readonly RuleEntry[] {
  let rules = ALL_RULES.get(model);
  if (!rules) {
    const list: RuleEntry[] = [];
    for (const table of model.tables.values()) for (const chain of table.chains.values()) for (const rule of chain.rules) list.push({ table, chain, rule });
    ALL_RULES.set(model, (rules = list));
  }
  return rules;
}

/**
 * Whether any rule may run `flow add`, as a cheap over-approximation: the word `flow` in some
 * rule's text (a `flow add` in an anonymous chain is in its rule's text too). Every finding built
 * on flow predictions is about a `flow add`, so without one they need no predictions.
 */
export function mayAddFlows(model: RulesetModel): boolean {
  return allRules(model).some((r) => r.rule.text.includes('flow'));
}

export function flowAddOf(r: A.Rule): A.FlowOffloadStmt | undefined {
  return r.statements.find((s): s is A.FlowOffloadStmt => s.kind === 'FlowOffload');
}

export function forwardChains(model: RulesetModel): ChainModel[] {
  const out: ChainModel[] = [];
  for (const t of model.tables.values()) if (INET_FAMILIES.includes(t.family)) for (const c of t.chains.values()) if (c.hook?.hook === 'forward') out.push(c);
  return out;
}

/** Chains reachable from `chain` through jump/goto/vmap (including itself). */
export function reachableChains(chain: ChainModel): Set<ChainModel> {
  const seen = new Set<ChainModel>([chain]);
  const todo = [chain];
  while (todo.length) {
    const c = todo.pop()!;
    for (const r of c.rules) {
      for (const target of jumpTargets(r.rule)) {
        const t = c.table.chains.get(target);
        if (t && !seen.has(t)) {
          seen.add(t);
          todo.push(t);
        }
      }
    }
  }
  return seen;
}

export function jumpTargets(r: A.Rule): string[] {
  const out: string[] = [];
  const fromVerdict = (v: { verdict: string; target?: A.VerdictExpr['target'] }) => {
    if ((v.verdict === 'jump' || v.verdict === 'goto') && v.target?.kind === 'Ident') out.push(v.target.text);
  };
  for (const s of r.statements) {
    if (s.kind !== 'Verdict') continue;
    if (s.map && s.map.map.kind === 'SetLiteral') for (const el of s.map.map.elements) if (el.value?.kind === 'Verdict') fromVerdict(el.value);
    fromVerdict(s);
  }
  return out;
}

/**
 * Interface names written as literals in `iifname`/`oifname`/`iif`/`oif` matches of these chains, in
 * the keys of verdict maps on them (`iifname vmap { "lan" : jump lan_fwd }`), and in the parts of
 * `iifname . oifname` concatenations.
 */
export function interfaceNames(chains: Iterable<ChainModel>, model: RulesetModel): { name: string; file: string; span: Span; dir: 'in' | 'out' }[] {
  const out: { name: string; file: string; span: Span; dir: 'in' | 'out' }[] = [];
  const collect = (e: A.Expr | undefined, file: string, dir: 'in' | 'out', table: TableModel, depth = 0) => {
    if (!e || depth > 4) return;
    if (e.kind === 'String' || e.kind === 'Word') out.push({ name: e.text, file, span: e.span, dir });
    else if (e.kind === 'SetLiteral') e.elements.forEach((el) => collect(el.key, file, dir, table, depth + 1));
    else if (e.kind === 'List') e.items.forEach((x) => collect(x, file, dir, table, depth + 1));
    else if (e.kind === 'Var') {
      const d = [...model.defines].reverse().find((x) => x.name === e.name.text);
      if (d?.value) collect(d.value, file, dir, table, depth + 1);
    } else if (e.kind === 'SetRef') {
      const s = table.sets.get(e.name.text);
      s?.elements.forEach((el) => collect(el.key, file, dir, table, depth + 1));
    }
  };
  const dirOf = (e: A.Expr): 'in' | 'out' | undefined => {
    if (e.kind !== 'Selector') return undefined;
    const p = pathText(e.path).replace(/^meta /, '');
    return p === 'iifname' || p === 'iif' ? 'in' : p === 'oifname' || p === 'oif' ? 'out' : undefined;
  };
  /** `KEY VALUES`: a match's right side, or the keys of a verdict map. `iifname . oifname` keys are taken part by part. */
  const keyed = (key: A.Expr, values: A.Expr | undefined, file: string, table: TableModel) => {
    const dir = dirOf(key);
    if (dir) return collect(values, file, dir, table);
    if (key.kind !== 'Concat' || !values) return;
    const dirs = key.parts.map(dirOf);
    if (!dirs.some(Boolean)) return;
    const tuples = setElements(values, table)?.map((el) => el.key) ?? [values];
    for (const t of tuples) {
      if (t.kind !== 'Concat') continue;
      t.parts.forEach((part, i) => dirs[i] && collect(part, file, dirs[i]!, table));
    }
  };
  for (const c of chains) {
    for (const r of c.rules) {
      for (const s of r.rule.statements) {
        if (s.kind === 'Match' && (!s.op || s.op === '==')) keyed(s.left, s.right, r.file, c.table);
        else if (s.kind === 'Verdict' && s.map) {
          for (const el of setElements(s.map.map, c.table) ?? []) keyed(s.map.key, el.key, r.file, c.table);
        }
      }
    }
  }
  return out.filter((x) => x.name !== '' && !x.name.includes('*'));
}

/** Start of the line holding `offset`, and the indentation there. */
export function lineStart(text: string, offset: number): { start: number; indent: string } {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n') s--;
  const indent = /^[ \t]*/.exec(text.slice(s))![0];
  return { start: s, indent };
}

/** Span of the whole line(s) of `span`, including the newline, for deleting a rule. */
export function wholeLines(text: string, span: Span): Span {
  const { start } = lineStart(text, span.start);
  let end = span.end;
  while (end < text.length && text[end] !== '\n') end++;
  return { start, end: Math.min(text.length, end + 1) };
}

/** The offset of the `}` closing the block whose `{` is the first one at or after `from`. */
export function closingBrace(text: string, from: number): { open: number; close: number } | undefined {
  const open = text.indexOf('{', from);
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return { open, close: i };
  }
  return undefined;
}
