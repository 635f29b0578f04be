import type { Finding } from '../core/finding';
import type * as A from '../syntax/ast';
import { parseRuleset, type ParseResult } from '../syntax/parse';
import type { ItemBound, SyntaxState } from './incremental-syntax';
import { appendAll } from '../core/arrays';

/**
 * Syntax findings of a whole file, parsed block by block: each chain, set, map,
 * flowtable or object of a table is parsed alone, wrapped in its table's header, and
 * its findings are shifted back to document offsets. Nothing of a block outlives its
 * parse, so a 3.4 MB ruleset is checked without holding one giant token vector and
 * tree (the first diagnostics of a large file come from here; the full tree is built
 * later, by the analysis). A quick scanner finds the blocks (braces outside strings
 * and comments); every block must parse back to exactly itself, else the caller
 * falls back to `parseRuleset` on the whole text.
 */

interface Segment {
  start: number;
  end: number;
}

/** Offset just after the `}` matching the `{` at `open`, skipping strings and comments; -1 if none. */
function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const e = text.indexOf('\n', i);
      if (e < 0) return -1;
      i = e;
    } else if (c === 34 /* " */) {
      const e = text.indexOf('"', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (e < 0 || (nl >= 0 && nl < e)) return -1; // unterminated: let the parser report it
      i = e;
    } else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return -1;
}

/** Start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

const TABLE_HEAD = /^[ \t]*(?:(?:add|create)[ \t]+)?table[ \t]+[^{}\n#"]*\{/;
const CHILD_HEAD = /^[ \t]*(?:chain|set|map|flowtable|counter|quota|limit|ct[ \t]+(?:helper|timeout|expectation)|secmark|synproxy|tunnel)[ \t]+[^{}\n#"]*\{[ \t]*(?:#[^\n]*)?$/;

/**
 * Splits `[from, to)` into lines that open a block matching `head` (with their block)
 * and the runs of other lines between them.
 */
function split(text: string, from: number, to: number, head: RegExp): { blocks: Segment[]; others: Segment[] } | undefined {
  const blocks: Segment[] = [];
  const others: Segment[] = [];
  let runStart = from;
  let i = from;
  while (i < to) {
    let e = text.indexOf('\n', i);
    if (e < 0 || e > to) e = to;
    const line = text.slice(i, e);
    const m = head.exec(line);
    if (m) {
      const close = matchBrace(text, i + m[0].indexOf('{'));
      if (close < 0 || close > to) return undefined;
      if (i > runStart) others.push({ start: runStart, end: i });
      blocks.push({ start: i, end: close });
      i = close;
      runStart = i;
      continue;
    }
    // A line that opens braces it does not close (a multi-line anonymous set or a
    // command block): skip to the matching brace so inner lines are not taken for heads.
    let j = i;
    let skipTo = e;
    for (; j < e; j++) {
      const c = text.charCodeAt(j);
      if (c === 35) break;
      if (c === 34) {
        const q = text.indexOf('"', j + 1);
        if (q < 0 || q > e) break;
        j = q;
      } else if (c === 123) {
        const close = matchBrace(text, j);
        if (close < 0 || close > to) return undefined;
        if (close > e) {
          skipTo = text.indexOf('\n', close);
          if (skipTo < 0 || skipTo > to) skipTo = to;
        }
        j = close - 1;
      }
    }
    i = skipTo + 1;
  }
  if (to > runStart) others.push({ start: runStart, end: to });
  return { blocks, others };
}

const isBlank = (text: string, s: Segment) => !/[^\s]/.test(text.slice(s.start, s.end).replace(/#[^\n]*/g, ''));

/** Findings of a parse of `src`, where `src[at]` is `text[start]`; undefined if one falls outside `[at, at + len]`. */
function shifted(r: ParseResult, at: number, len: number, start: number): Finding[] | undefined {
  const out: Finding[] = [];
  for (const f of r.findings) {
    if (f.span.start < at || f.span.end > at + len) return undefined;
    out.push({ ...f, span: { start: f.span.start - at + start, end: f.span.end - at + start } });
  }
  return out;
}

export function chunkedSyntax(text: string): SyntaxState | undefined {
  const top = split(text, 0, text.length, TABLE_HEAD);
  if (!top) return undefined;
  const findings: Finding[] = [];
  const items: ItemBound[] = [];
  for (const o of top.others) {
    if (isBlank(text, o)) continue;
    const seg = text.slice(o.start, o.end);
    const r = parseRuleset(seg);
    const fs = shifted(r, 0, seg.length, o.start);
    if (!fs) return undefined;
    appendAll(findings, fs);
    for (const it of r.ast.items) items.push({ kind: it.kind, start: it.span.start + o.start, end: it.span.end + o.start });
  }
  for (const b of top.blocks) {
    const open = text.indexOf('{', b.start);
    const header = text.slice(b.start, open + 1);
    const inner = split(text, open + 1, b.end - 1, CHILD_HEAD);
    if (!inner) return undefined;
    const children: ItemBound[] = [];
    const parts = [...inner.blocks.map((s) => ({ ...s, block: true })), ...inner.others.map((s) => ({ ...s, block: false }))];
    for (const p of parts) {
      if (!p.block && isBlank(text, p)) continue;
      const body = text.slice(p.start, p.end);
      const src = `${header}\n${body}\n}`;
      const at = header.length + 1;
      const r = parseRuleset(src);
      const t = r.ast.items[0] as A.TableDecl | undefined;
      if (r.ast.items.length !== 1 || t?.kind !== 'Table' || !t.body) return undefined;
      if (p.block && (t.body.length !== 1 || t.body[0].span.start !== at + (body.length - body.trimStart().length) || t.body[0].span.end !== at + body.length)) return undefined;
      const fs = shifted(r, at, body.length, p.start);
      if (!fs) return undefined;
      appendAll(findings, fs);
      for (const c of t.body) children.push({ kind: c.kind, start: c.span.start - at + p.start, end: c.span.end - at + p.start });
    }
    children.sort((x, y) => x.start - y.start);
    // The table's own findings: a header nft refuses shows up in every block's parse; keep it once.
    const headStart = b.start + (header.length - header.trimStart().length);
    items.push({ kind: 'Table', start: headStart, end: b.end, headerEnd: open + 1, children });
  }
  items.sort((x, y) => x.start - y.start);
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const k = `${f.code}\0${f.span.start}\0${f.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  unique.sort((a, b) => a.span.start - b.span.start);
  return { findings: unique, items };
}
