import type { Finding } from '../core/finding';
import type * as A from '../syntax/ast';
import { parseRuleset, type ParseResult } from '../syntax/parse';
import { SYNTAX_RULES } from '../syntax/codes';
import { appendAll } from '../core/arrays';

/**
 * Syntax findings after an edit without re-parsing the whole file: only the block
 * the edit falls in (a chain, set, flowtable or object inside a table, else the
 * top-level item) is parsed again, and the findings of the rest are kept, shifted by
 * the edit's length change. The block is parsed in place: its text keeps its offset
 * (the text before it is blanked out, except the enclosing table's header), so the
 * parser sees the same context and every span comes out in document offsets.
 * The result is trusted only if the block parses back to one item of the same kind
 * with the same boundaries and every finding falls inside it; otherwise the caller
 * parses the whole file. Pure; the parser is syntax/parse.ts `parseRuleset`.
 */
export interface ItemBound {
  kind: string;
  start: number;
  end: number;
  /** A table with a body: where its header (`table inet t {`) ends, and its items. */
  headerEnd?: number;
  children?: ItemBound[];
}

export interface SyntaxState {
  /** Syntax findings of the whole text, in text order (`file` ''). */
  findings: Finding[];
  items: ItemBound[];
}

const UNTERMINATED = SYNTAX_RULES.unterminatedString.code;

/** Blocks that end with their own `}` and can be re-parsed alone. */
const BLOCK_KINDS = new Set(['Chain', 'Set', 'Flowtable', 'Object', 'Table']);

export function syntaxStateOf(text: string, parse: ParseResult): SyntaxState {
  const items: ItemBound[] = [];
  for (const it of parse.ast.items) {
    const b: ItemBound = { kind: it.kind, start: it.span.start, end: it.span.end };
    if (it.kind === 'Table' && it.body) {
      const t = it as A.TableDecl;
      const open = text.indexOf('{', t.name?.span.end ?? t.span.start);
      if (open >= 0 && open < t.span.end) {
        b.headerEnd = open + 1;
        b.children = t.body!.map((c) => ({ kind: c.kind, start: c.span.start, end: c.span.end }));
      }
    }
    items.push(b);
  }
  return { findings: parse.findings, items };
}

export interface TextChange {
  /** Replaced range in the old text. */
  start: number;
  end: number;
  inserted: number;
}

function findStrict(list: readonly ItemBound[], c: TextChange): number {
  // Items are in text order: binary search for the last one starting before the change.
  let lo = 0;
  let hi = list.length - 1;
  let hit = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < c.start) {
      hit = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (hit < 0) return -1;
  const b = list[hit];
  return b.start < c.start && c.end < b.end ? hit : -1;
}

const shift = (b: ItemBound, d: number): ItemBound => ({
  ...b,
  start: b.start + d,
  end: b.end + d,
  headerEnd: b.headerEnd === undefined ? undefined : b.headerEnd + d,
  children: b.children?.map((c) => shift(c, d)),
});

/** Syntax state of `newText`, or undefined when the edit cannot be handled locally. */
export function reparseChange(prev: SyntaxState, newText: string, change: TextChange): SyntaxState | undefined {
  const delta = change.inserted - (change.end - change.start);
  const ti = findStrict(prev.items, change);
  if (ti < 0) return undefined;
  const top = prev.items[ti];
  if (!BLOCK_KINDS.has(top.kind)) return undefined;
  let region: ItemBound = top;
  let ci = -1;
  if (top.children && top.headerEnd !== undefined && change.start >= top.headerEnd) {
    ci = findStrict(top.children, change);
    if (ci >= 0 && BLOCK_KINDS.has(top.children[ci].kind)) region = top.children[ci];
    else ci = -1;
  }
  const newEnd = region.end + delta;
  let src: string;
  if (ci >= 0) {
    const header = newText.slice(top.start, top.headerEnd!);
    src = ' '.repeat(top.start) + header + ' '.repeat(region.start - top.headerEnd!) + newText.slice(region.start, newEnd) + '\n}';
  } else {
    src = ' '.repeat(region.start) + newText.slice(region.start, newEnd);
  }
  const r = parseRuleset(src);
  if (r.ast.items.length !== 1) return undefined;
  let node: { kind: string; span: { start: number; end: number }; body?: unknown[] } = r.ast.items[0];
  if (ci >= 0) {
    const t = node as A.TableDecl;
    if (t.kind !== 'Table' || t.body?.length !== 1) return undefined;
    node = t.body[0];
  }
  if (node.kind !== region.kind || node.span.start !== region.start || node.span.end !== newEnd) return undefined;
  for (const f of r.findings) {
    if (f.span.start < region.start || f.span.end > newEnd) return undefined;
    // An open string may close far beyond the block in the whole text: only a full parse knows.
    if (f.code === UNTERMINATED) return undefined;
  }

  const findings: Finding[] = [];
  for (const f of prev.findings) {
    if (f.span.end <= region.start) findings.push(f);
    else if (f.span.start >= region.end) findings.push({ ...f, span: { start: f.span.start + delta, end: f.span.end + delta } });
  }
  appendAll(findings, r.findings);
  findings.sort((a, b) => a.span.start - b.span.start);

  const fresh: ItemBound = { kind: node.kind, start: region.start, end: newEnd };
  if (ci < 0 && node.kind === 'Table' && Array.isArray(node.body)) {
    const t = node as A.TableDecl;
    const open = newText.indexOf('{', t.name?.span.end ?? t.span.start);
    if (open >= 0 && open < newEnd) {
      fresh.headerEnd = open + 1;
      fresh.children = t.body!.map((c) => ({ kind: c.kind, start: c.span.start, end: c.span.end }));
    }
  }
  const items = prev.items.slice(0, ti);
  if (ci >= 0) {
    const children = top.children!.slice(0, ci);
    children.push(fresh);
    for (let j = ci + 1; j < top.children!.length; j++) children.push(shift(top.children![j], delta));
    items.push({ ...top, end: top.end + delta, children });
  } else items.push(fresh);
  for (let j = ti + 1; j < prev.items.length; j++) items.push(shift(prev.items[j], delta));
  return { findings, items };
}

/**
 * A parse of just the block holding `offset` (a chain, set … inside a table, or a
 * top-level item), in document offsets: enough for hover on a version whose full tree
 * has not been built. Undefined when the offset is in no block or the block does not
 * parse back to itself.
 */
export function parseBlockAt(state: SyntaxState, text: string, offset: number): ParseResult | undefined {
  const probe = { start: offset, end: offset, inserted: 0 };
  const ti = findStrict(state.items, probe);
  if (ti < 0) return undefined;
  const top = state.items[ti];
  if (top.children && top.headerEnd !== undefined && offset >= top.headerEnd) {
    const ci = findStrict(top.children, probe);
    if (ci < 0) return undefined;
    const b = top.children[ci];
    return parseRuleset(' '.repeat(top.start) + text.slice(top.start, top.headerEnd) + ' '.repeat(b.start - top.headerEnd) + text.slice(b.start, b.end) + '\n}');
  }
  return top.end - top.start < 256 * 1024 ? parseRuleset(' '.repeat(top.start) + text.slice(top.start, top.end)) : undefined;
}
