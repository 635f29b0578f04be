import type { Span } from '../core/span';
import type { LineIndex } from '../core/line-index';
import type { ParseResult } from '../syntax/parse';
import type * as A from '../syntax/ast';
import { childNodes, nodesAt, walk, type AnyNode } from './walk';

/** Folding, selection ranges and the outline: plain data from the syntax tree. */

export interface Fold {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const FOLDABLE = new Set(['Table', 'Chain', 'Set', 'Flowtable', 'Object', 'AnonChain', 'SetLiteral', 'Elements', 'Define']);

export function foldingRanges(parse: ParseResult, lines: LineIndex): Fold[] {
  const out: Fold[] = [];
  walk(parse.ast as unknown as AnyNode, (n) => {
    if (!FOLDABLE.has(n.kind)) return;
    const a = lines.positionAt(n.span.start).line;
    let b = lines.positionAt(n.span.end).line;
    // Keep the closing brace visible, as editors do for C-like blocks.
    if (lines.lineText(b).trim().startsWith('}') && b > a) b--;
    if (b > a) out.push({ startLine: a, endLine: b });
  });
  // Runs of full-line comments.
  let runStart = -1;
  let runEnd = -1;
  for (const c of parse.comments) {
    const l = lines.positionAt(c.span.start).line;
    const full = lines.lineText(l).trim().startsWith('#');
    if (!full) continue;
    if (runStart >= 0 && l === runEnd + 1) runEnd = l;
    else {
      if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
      runStart = runEnd = l;
    }
  }
  if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
  // One fold per start line (the outermost), as clients expect.
  const byStart = new Map<number, Fold>();
  for (const f of out) {
    const prev = byStart.get(f.startLine);
    if (!prev || prev.endLine < f.endLine) byStart.set(f.startLine, f);
  }
  return [...byStart.values()].sort((x, y) => x.startLine - y.startLine);
}

/** Nested spans around `offset`, innermost first: token, then each enclosing node, then the line. */
export function selectionSpans(parse: ParseResult, offset: number): Span[] {
  const spans: Span[] = [];
  const path = nodesAt(parse.ast as unknown as AnyNode, offset);
  const tok = tokenAt(parse, offset);
  if (tok) spans.push({ start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 });
  for (let i = path.length - 1; i >= 0; i--) spans.push(path[i].span);
  // Keep a strictly growing chain (clients reject a parent that does not contain its child).
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (!last) out.push(s);
    else if (s.start <= last.start && s.end >= last.end && (s.start < last.start || s.end > last.end)) out.push(s);
  }
  return out;
}

export function tokenAt(parse: ParseResult, offset: number) {
  const toks = parse.tokens;
  let lo = 0;
  let hi = toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = toks[mid];
    if ((t.endOffset ?? t.startOffset) + 1 < offset) lo = mid + 1;
    else if (t.startOffset > offset) hi = mid - 1;
    else {
      // Prefer a token starting at offset over one ending at it.
      if ((t.endOffset ?? t.startOffset) + 1 === offset && mid + 1 < toks.length && toks[mid + 1].startOffset === offset) return toks[mid + 1];
      return t.tokenType.name === 'Newline' ? undefined : t;
    }
  }
  return undefined;
}

/** Index of the last token starting before `offset`. */
export function tokenIndexBefore(parse: ParseResult, offset: number): number {
  const toks = parse.tokens;
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export type OutlineKind = 'table' | 'chain' | 'set' | 'map' | 'flowtable' | 'object' | 'define' | 'include' | 'rule';

export interface OutlineItem {
  name: string;
  detail: string;
  kind: OutlineKind;
  span: Span;
  selection: Span;
  children: OutlineItem[];
}

function tableLabel(t?: A.TableSpec): string {
  if (!t) return '';
  return [t.family?.text, t.name?.text].filter(Boolean).join(' ');
}

/** The outline of one file: tables, their chains, sets, maps, flowtables and objects, and defines. */
export function outline(parse: ParseResult): OutlineItem[] {
  const items: OutlineItem[] = [];
  const decl = (n: A.TopItem | A.TableItem): OutlineItem | undefined => {
    switch (n.kind) {
      case 'Table':
        return {
          name: n.name?.text ?? '?',
          detail: n.family?.text ?? 'ip',
          kind: 'table',
          span: n.span,
          selection: n.name?.span ?? n.span,
          children: (n.body ?? []).map(decl).filter((x): x is OutlineItem => !!x),
        };
      case 'Chain': {
        const hook = (n.body ?? []).find((b) => b.kind === 'ChainHook') as A.ChainHookSpec | undefined;
        const detail = hook ? [hook.type?.text, 'hook', hook.hook?.text].filter(Boolean).join(' ') : tableLabel(n.table);
        return { name: n.name?.text ?? '?', detail, kind: 'chain', span: n.span, selection: n.name?.span ?? n.span, children: [] };
      }
      case 'Set':
        return { name: n.name?.text ?? '?', detail: tableLabel(n.table), kind: n.isMap ? 'map' : 'set', span: n.span, selection: n.name?.span ?? n.span, children: [] };
      case 'Flowtable':
        return { name: n.name?.text ?? '?', detail: tableLabel(n.table), kind: 'flowtable', span: n.span, selection: n.name?.span ?? n.span, children: [] };
      case 'Object':
        return { name: n.name?.text ?? '?', detail: n.objectType, kind: 'object', span: n.span, selection: n.name?.span ?? n.span, children: [] };
      case 'Define':
        if (n.op === 'undefine') return undefined;
        return { name: '$' + n.name.text, detail: n.op, kind: 'define', span: n.span, selection: n.name.span, children: [] };
      case 'Include':
        return { name: n.path.text, detail: 'include', kind: 'include', span: n.span, selection: n.path.span, children: [] };
      default:
        return undefined;
    }
  };
  for (const n of parse.ast.items ?? []) {
    if (!n) continue;
    const d = decl(n);
    if (d) items.push(d);
  }
  return items;
}

export { childNodes };
