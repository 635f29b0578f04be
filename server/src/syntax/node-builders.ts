import type { IToken } from 'chevrotain';
import type { Span } from '../core/span';
import type * as A from './ast';
import * as T from './tokens';

/*
 * How tokens become tree nodes: shared by the grammar (parser.ts) and the shortcuts that build
 * the grammar's nodes without it (plain-rule.ts, the parser's element and value fast paths), so
 * that both make the same nodes by construction.
 */

// Spans are built with `| 0` because Chevrotain's grammar recording (performSelfAnalysis) runs
// the rules on virtual tokens whose offsets are NaN. A single NaN stored in a `{start, end}`
// object makes V8 switch that shape's fields to boxed doubles for every span created afterwards:
// a heap number per span, about 4 MB on the benchmark ruleset.
export function sp(a: { startOffset: number } | undefined, b: { startOffset: number; endOffset?: number } | undefined): Span {
  const start = a ? a.startOffset | 0 : 0;
  const end = b ? ((b.endOffset ?? b.startOffset) + 1) | 0 : start;
  return { start, end: end > start ? end : start };
}

export function tokSpan(t: IToken | undefined): Span {
  return sp(t, t);
}

/**
 * A copy of an array built by `push` whose backing store holds exactly its items. V8 gives a
 * pushed-to array room for 17 items, so a two-word selector path kept in the tree would cost
 * about 150 bytes instead of 32; on a 100k-rule file that is tens of megabytes.
 */
export function fitted<T>(items: T[]): T[] {
  return items.slice();
}

interface PathTrie {
  next: Map<string, PathTrie>;
  path?: readonly string[];
}

const SHARED_PATHS: PathTrie = { next: new Map() };

/**
 * One frozen array per distinct selector path (`ip saddr` is written thousands of times),
 * found word by word: joining the words into a key made a string per selector.
 */
export function sharedPath(words: string[]): readonly string[] {
  let node = SHARED_PATHS;
  for (let i = 0; i < words.length; i++) {
    let next = node.next.get(words[i]);
    if (!next) node.next.set(words[i], (next = { next: new Map() }));
    node = next;
  }
  return (node.path ??= Object.freeze(words.slice()));
}

const PATH_TEXTS = new WeakMap<readonly string[], string>();

/**
 * A selector path's words joined by spaces (`ip saddr`), made once per path array: the checks ask
 * for it at every match, and most paths are shared (sharedPath).
 */
export function pathText(path: readonly string[]): string {
  let text = PATH_TEXTS.get(path);
  if (text === undefined) PATH_TEXTS.set(path, (text = path.join(' ')));
  return text;
}

export function unquote(image: string): string {
  return image.length >= 2 && image.startsWith('"') && image.endsWith('"') ? image.slice(1, -1) : image.replace(/^"/, '');
}

/** A token that is a value on its own and never a keyword: address, number, plain word, quoted string. */
export function isPlainValue(t: IToken): boolean {
  const tt = t.tokenType;
  return tt === T.Address || tt === T.NumberTok || tt === T.Identifier || tt === T.QuotedString;
}

/** The `literal` rule's node for a plain value token. */
export function plainValue(t: IToken): A.Expr {
  const span = tokSpan(t);
  if (t.tokenType === T.Address) return { kind: 'Address', text: t.image, span };
  if (t.tokenType === T.NumberTok) return { kind: 'Number', text: t.image, span };
  if (t.tokenType === T.QuotedString) return { kind: 'String', text: unquote(t.image), span };
  return { kind: 'Word', text: t.image, span };
}

/** A name as the `ident` rule builds it (a word, used as it is written). */
export function identNode(t: IToken): A.Ident {
  return { kind: 'Ident', text: t.image, span: tokSpan(t) };
}

/** A name as the `identOrString` rule builds it: a word, or a quoted string without its quotes. */
export function identOrStringNode(t: IToken): A.Ident {
  return { kind: 'Ident', text: unquote(t.image), span: tokSpan(t), quoted: t.tokenType === T.QuotedString ? true : undefined };
}

/** A reserved word nft takes as a value (`udp`, `established`), as the `keywordValue` rule builds it. */
export function keywordValueNode(t: IToken): A.Expr {
  return { kind: 'KeywordValue', text: t.image, span: tokSpan(t) };
}

/** `a/c` or `a-c` of plain values (`op` says which), as rhsRange builds it. */
export function prefixOrRange(a: IToken, op: IToken, c: IToken): A.Expr {
  const span = sp(a, c);
  return op.tokenType === T.Slash
    ? { kind: 'Prefix', base: plainValue(a), length: plainValue(c), span }
    : { kind: 'Range', from: plainValue(a), to: plainValue(c), span };
}
