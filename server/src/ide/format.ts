import type { IToken } from 'chevrotain';
import type { Span } from '../core/span';
import { LineIndex } from '../core/line-index';
import type { ParseResult } from '../syntax/parse';
import { parseRuleset } from '../syntax/parse';
import { walk, type AnyNode } from './walk';
import { appendAll } from '../core/arrays';

/**
 * Formatter in the style of `nft list ruleset`: one tab per block level, one item per
 * line, one space between words, `{ a, b }` spacing in set literals. It works on the
 * token stream (so it never loses text) and keeps the author's line structure: blank
 * line groups (collapsed to one blank line), comments, and hand-wrapped element lists
 * (continuation lines already indented one level deeper keep their alignment, as nft
 * prints them). One-line blocks are split, one item per line.
 *
 * Invariants: idempotent; the output has the same non-blank characters as the input
 * except `;` separators that a line break replaces; if that check fails, the input is
 * returned unchanged.
 */

export interface FormatOptions {
  /** Indentation unit; nft prints tabs. */
  indent?: string;
}

/** The formatted text of one group of source lines. */
interface Segment {
  /** First and last source line (0-based, inclusive). */
  startLine: number;
  endLine: number;
  /** Output lines; empty when the source lines are dropped (extra blank lines). */
  out: string[];
}

interface Item {
  start: number;
  end: number;
  comment: boolean;
  /** Token type name ('' for comments). */
  type: string;
  /** 'block' / 'lit' for braces. */
  brace?: 'block' | 'lit';
}

/** Offsets of `{` that open a declaration body or an anonymous chain (everything else is a literal). */
function blockBraceStarts(parse: ParseResult): Set<number> {
  const tokens = parse.tokens;
  const out = new Set<number>();
  const firstBraceFrom = (offset: number, limit: number): void => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tokens.length && tokens[i].startOffset < limit; i++) {
      if (tokens[i].tokenType.name === 'LBrace') {
        out.add(tokens[i].startOffset);
        return;
      }
    }
  };
  walk(parse.ast as unknown as AnyNode, (n) => {
    switch (n.kind) {
      case 'Table':
      case 'Chain':
      case 'Set':
      case 'Flowtable':
      case 'Object': {
        if (!('body' in n) || !Array.isArray(n.body)) return;
        // `set` statement nodes share kind 'Set' with declarations but have no body array.
        const after = [n.name, n.handle, n.table].filter(Boolean).map((x) => (x as AnyNode).span.end);
        firstBraceFrom(after.length ? Math.max(...after) : n.span.start, n.span.end);
        return;
      }
      case 'AnonChain':
        firstBraceFrom(n.span.start, n.span.end);
        return;
    }
  });
  return out;
}

const KEEP_SEMI = /^\s*(type\s.*\bhook\b|policy\b)/;

export function formatSegments(text: string, parse: ParseResult = parseRuleset(text), options: FormatOptions = {}): Segment[] {
  const unit = options.indent ?? '\t';
  const lines = new LineIndex(text);
  const blockStarts = blockBraceStarts(parse);

  // Merge tokens (minus newlines) and comments into one ordered list.
  const items: Item[] = [];
  const toks: IToken[] = parse.tokens;
  let ci = 0;
  const comments = parse.comments;
  for (const t of toks) {
    const name = t.tokenType.name;
    if (name === 'Newline') continue;
    while (ci < comments.length && comments[ci].span.start < t.startOffset) {
      items.push({ start: comments[ci].span.start, end: comments[ci].span.end, comment: true, type: '' });
      ci++;
    }
    items.push({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1, comment: false, type: name });
  }
  for (; ci < comments.length; ci++) items.push({ start: comments[ci].span.start, end: comments[ci].span.end, comment: true, type: '' });

  // Classify braces with a stack.
  const stack: ('block' | 'lit')[] = [];
  for (const it of items) {
    if (it.type === 'LBrace') {
      it.brace = blockStarts.has(it.start) ? 'block' : 'lit';
      stack.push(it.brace);
    } else if (it.type === 'RBrace') {
      it.brace = stack.pop() ?? 'block';
    }
  }

  // Group items by the source line they start on.
  const byLine = new Map<number, Item[]>();
  for (const it of items) {
    const l = lines.positionAt(it.start).line;
    let arr = byLine.get(l);
    if (!arr) byLine.set(l, (arr = []));
    arr.push(it);
  }

  const segments: Segment[] = [];
  let depth = 0;
  const lits: number[] = []; // stack of literal openings, as block depth at the time
  const open: ('block' | 'lit')[] = [];
  let blankRun = 0;
  let continuation = false;
  let emittedAny = false;
  const tabs = (n: number) => unit.repeat(Math.max(0, n));

  for (let line = 0; line < lines.lineCount; line++) {
    let lineItems = byLine.get(line);
    const raw = lines.lineText(line);
    // An item may span lines (a multi-line string): the lines it covers, and the items
    // after it on its last line, belong to this segment.
    let endLine = line;
    while (lineItems && lineItems.length) {
      const lastItem = lineItems[lineItems.length - 1];
      const l = lines.positionAt(Math.max(lastItem.start, lastItem.end - 1)).line;
      if (l <= endLine) break;
      for (let k = endLine + 1; k <= l; k++) {
        const more = byLine.get(k);
        if (more) lineItems = lineItems.concat(more);
      }
      endLine = l;
    }
    if (!lineItems || lineItems.length === 0) {
      if (continuation) {
        // A continuation followed by an empty line: keep it as written.
        segments.push({ startLine: line, endLine: line, out: [raw] });
        continuation = false;
        continue;
      }
      blankRun++;
      const keep = blankRun === 1 && emittedAny;
      segments.push({ startLine: line, endLine: line, out: keep ? [''] : [] });
      continue;
    }
    blankRun = 0;
    emittedAny = true;
    const last = lineItems[lineItems.length - 1];

    const inLit = open.length > 0 && open[open.length - 1] === 'lit';
    const out: string[] = [];
    let cur = '';
    const leading = /^[ \t]*/.exec(raw)![0];
    let indent: string;
    const first = lineItems[0];
    if (continuation) {
      const want = tabs(depth + lits.length + 1);
      indent = leading.startsWith(want) ? leading : want;
    } else if (inLit) {
      const closes = first.type === 'RBrace' && first.brace === 'lit';
      const want = tabs(depth + lits.length - (closes ? 1 : 0));
      indent = !closes && leading.startsWith(want) ? leading : want;
    } else {
      const closes = first.type === 'RBrace' && first.brace === 'block';
      indent = tabs(depth - (closes ? 1 : 0));
    }

    const flush = () => {
      if (cur === '') return;
      if (cur.endsWith(';') && !KEEP_SEMI.test(cur) && dropNextSemi) cur = cur.slice(0, -1);
      out.push(cur.replace(/[ \t]+$/, ''));
      cur = '';
    };
    let dropNextSemi = false;
    let curIndent = indent;
    let prev: Item | undefined;
    for (let i = 0; i < lineItems.length; i++) {
      const it = lineItems[i];
      const next = lineItems[i + 1];
      const tokText = text.slice(it.start, it.end);
      if (it.type === 'RBrace' && it.brace === 'block') {
        if (cur !== '') {
          dropNextSemi = true;
          flush();
          dropNextSemi = false;
        }
        depth = Math.max(0, depth - 1);
        open.pop();
        curIndent = tabs(depth);
        cur = curIndent + tokText;
        prev = it;
        continue;
      }
      if (cur === '') cur = curIndent + tokText;
      else cur += separator(prev!, it, open.length > 0 && open[open.length - 1] === 'lit', text.slice(prev!.end, it.start)) + tokText;

      if (it.type === 'LBrace') {
        open.push(it.brace!);
        if (it.brace === 'block') {
          depth++;
          if (next && !next.comment) {
            flush();
            curIndent = tabs(depth);
          }
        } else lits.push(depth);
      } else if (it.type === 'RBrace') {
        open.pop();
        lits.pop();
      } else if (it.type === 'Semicolon' && (open.length === 0 || open[open.length - 1] === 'block')) {
        if (next && !next.comment && !(next.type === 'RBrace' && next.brace === 'block')) {
          const nextText = text.slice(next.start, next.end);
          if (!(nextText === 'policy' && /^\s*type\b/.test(cur))) {
            dropNextSemi = true;
            flush();
            dropNextSemi = false;
            curIndent = tabs(depth);
          }
        }
      }
      prev = it;
    }
    // Line continuation: the source line ends with a backslash after its last item.
    const afterLast = text.slice(last.end, lines.offsetAt({ line: endLine + 1, character: 0 }));
    continuation = !last.comment && /\\\s*$/.test(afterLast.replace(/\r?\n$/, '')) && /\\[ \t]*\r?\n/.test(afterLast);
    if (continuation && cur !== '') cur += ' \\';
    flush();
    if (endLine > line) {
      const split: string[] = [];
      for (const o of out) appendAll(split, o.split(/\r?\n/));
      out.length = 0;
      appendAll(out, split);
    }
    segments.push({ startLine: line, endLine, out });
    line = endLine;
  }
  // Drop trailing blank lines.
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (s.out.length === 0) continue;
    if (s.out.length === 1 && s.out[0] === '') s.out = [];
    else break;
  }
  return segments;
}

function separator(prev: Item, it: Item, inLiteral: boolean, gap: string): string {
  // nft prints a tab before `# count N` comments of sets; keep a single tab as written.
  if (it.comment) return gap === '\t' ? '\t' : ' ';
  const pt = prev.type;
  const t = it.type;
  if (t === 'Comma' || t === 'Semicolon') return '';
  // nft prints `{ a, b }` but `established,related` and `@th,160,32` outside braces.
  if ((pt === 'Comma' && inLiteral) || pt === 'Semicolon') return ' ';
  if (t === 'LBrace' && it.brace === 'block') return ' ';
  const adjacent = prev.end === it.start;
  if (pt === 'LBrace' && prev.brace === 'lit') return t === 'RBrace' && adjacent ? '' : ' ';
  if (t === 'RBrace' && it.brace === 'lit') return ' ';
  return adjacent ? '' : ' ';
}

/** Removes whitespace and `;` so two texts can be compared for "same content". */
function skeleton(s: string): string {
  return s.replace(/[\s;\\]/g, '');
}

function joinSegments(segments: Segment[]): string {
  const all: string[] = [];
  for (const s of segments) appendAll(all, s.out);
  return all.length ? all.join('\n') + '\n' : '';
}

/** Formats a whole text. Returns the input unchanged if formatting would change its content. */
export function formatText(text: string, parse?: ParseResult, options?: FormatOptions): string {
  const out = joinSegments(formatSegments(text, parse, options));
  return skeleton(out) === skeleton(text) ? out : text;
}

export interface FormatEdit {
  span: Span;
  newText: string;
}

/** The smallest single edit turning `before` into `after` (common prefix and suffix trimmed). */
export function minimalEdit(before: string, after: string): FormatEdit | undefined {
  if (before === after) return undefined;
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { span: { start: p, end: before.length - s }, newText: after.slice(p, after.length - s) };
}

/** Edits for formatting the whole document. */
export function formatDocument(text: string, parse?: ParseResult, options?: FormatOptions): FormatEdit[] {
  const e = minimalEdit(text, formatText(text, parse, options));
  return e ? [e] : [];
}

/**
 * Edits for formatting the source lines touched by `range`. Lines are formatted with
 * the indentation state of the whole document, so a range gives the same result as the
 * whole-document format on those lines.
 */
export function formatRange(text: string, range: Span, parse?: ParseResult, options?: FormatOptions): FormatEdit[] {
  const segs = formatSegments(text, parse, options);
  if (skeleton(joinSegments(segs)) !== skeleton(text)) return [];
  const lines = new LineIndex(text);
  const a = lines.positionAt(range.start).line;
  let b = lines.positionAt(range.end).line;
  if (b > a && lines.positionAt(range.end).character === 0) b--;
  const chosen = segs.filter((s) => s.endLine >= a && s.startLine <= b);
  if (chosen.length === 0) return [];
  const start = lines.offsetAt({ line: chosen[0].startLine, character: 0 });
  const lastLine = chosen[chosen.length - 1].endLine;
  const end = lastLine + 1 < lines.lineCount ? lines.offsetAt({ line: lastLine + 1, character: 0 }) : text.length;
  const body: string[] = [];
  for (const s of chosen) appendAll(body, s.out);
  const endsWithNewline = end > start && text.charCodeAt(end - 1) === 10;
  let newText = body.join('\n');
  if (body.length && (endsWithNewline || end === text.length)) newText += '\n';
  const old = text.slice(start, end);
  const e = minimalEdit(old, newText);
  return e ? [{ span: { start: start + e.span.start, end: start + e.span.end }, newText: e.newText }] : [];
}
