import { EOF, type IToken, type TokenType } from 'chevrotain';
import type * as A from './ast';
import * as T from './tokens';
import { kw } from './tokens';
import { identOrStringNode, isPlainValue, keywordValueNode, plainValue, prefixOrRange, sp, tokSpan } from './node-builders';
import { BARE_META_KEYS, INNER_PROTOCOLS, SELECTOR_ROOTS, isComplete, type SelectorNode } from './selectors';

/*
 * Token classes and lookahead tests the grammar (parser.ts) decides by, shared with the
 * shortcuts that stand in for parts of it (plain-rule.ts), so that both decide alike.
 */

/** The parser's lookahead: LA(1) is the next token, LA(0) the last one taken. */
export interface TokenPeek {
  LA(k: number): IToken;
}

export const SEPARATORS = new Set<TokenType>([T.Newline, T.Semicolon]);

/** Words that start a statement: a selector path that is not complete yet stops before them. */
export const STATEMENT_KEYWORDS = new Set([
  'accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue', 'counter', 'limit', 'quota', 'log', 'reject',
  'snat', 'dnat', 'masquerade', 'redirect', 'tproxy', 'notrack', 'flow', 'dup', 'fwd', 'meter', 'synproxy', 'xt',
  'last', 'reset', 'add', 'update', 'delete', 'set', 'secmark',
]);

export const TIME_UNITS = new Set(['second', 'minute', 'hour', 'day', 'week']);

/** First tokens of a binary operator (`binOp`). */
export const BINOP_START = new Set<TokenType>([T.Amp, T.Pipe, T.Caret, T.Shl, T.Shr, kw('and'), kw('or'), kw('xor'), kw('lshift'), kw('rshift')]);

/** Selectors with arguments (`selector`'s other alternatives), never a keyword path. */
export const SELECTOR_FUNCTIONS = new Set<TokenType>([kw('fib'), kw('numgen'), kw('jhash'), kw('symhash')]);

/** Tokens after a value that make it part of a larger right-hand side (list, concatenation, range, prefix, operation). */
export const CONTINUES_RHS = new Set<TokenType>([T.Comma, T.Dot, T.Dash, T.Slash, ...BINOP_START]);

/** Verdicts without a target (the `verdict` rule's first alternative). */
export const PLAIN_VERDICTS = new Set<TokenType>([kw('accept'), kw('drop'), kw('continue'), kw('return')]);

/**
 * Whether the next tokens start a selector rather than a value: `ip saddr` is a
 * selector, a lone `ip` (as in `meta protocol set ip`) is a value.
 */
export function looksLikeSelector(p: TokenPeek): boolean {
  const t = p.LA(1);
  if (t.tokenType === T.LParen) return true;
  if (t.tokenType === T.At) return p.LA(3).tokenType === T.Comma;
  if (T.keywordTokens.get(t.image) !== t.tokenType || T.tokenMatcher(t, T.Word)) return false;
  if (t.image === 'fib' || t.image === 'numgen' || t.image === 'jhash' || t.image === 'symhash') return true;
  const root = SELECTOR_ROOTS[t.image];
  if (BARE_META_KEYS.has(t.image) && !root) return true;
  if (!root) return false;
  const n = p.LA(2);
  return T.tokenMatcher(n, T.AnyWord) && (root.children?.[n.image] !== undefined || (root.inner === true && INNER_PROTOCOLS.has(n.image)));
}

/** Whether token `t` continues a selector path that has reached `node`. */
export function continuesSelector(node: SelectorNode | undefined, t: IToken): boolean {
  if (!node) return false;
  if (t.tokenType === EOF) return false;
  if (node.numberArg && t.tokenType === T.NumberTok) return true;
  if (node.indexArg && t.tokenType === T.LBracket) return true;
  if (node.numberArg && t.tokenType === T.At) return true;
  if (!T.tokenMatcher(t, T.AnyWord)) return false;
  if (node.children && Object.prototype.hasOwnProperty.call(node.children, t.image)) return true;
  if (node.inner && INNER_PROTOCOLS.has(t.image)) return true;
  // A path that is not complete yet takes the next word whatever it is, so that
  // `tcp foo` is reported as an unknown field right there.
  if (!isComplete(node) && !STATEMENT_KEYWORDS.has(t.image) && t.image !== 'set' && t.image !== 'vmap') return true;
  return false;
}

/**
 * The verdict at LA(at) as the `verdict` rule builds it, when it is `accept`, `drop`,
 * `continue`, `return`, or `jump`/`goto` a plain chain name; else undefined. `len`: its tokens.
 */
export function plainVerdictAt(p: TokenPeek, at: number): { value: A.VerdictExpr; len: number } | undefined {
  const v = p.LA(at);
  if (PLAIN_VERDICTS.has(v.tokenType)) return { value: { kind: 'Verdict', verdict: v.image as A.VerdictKind, span: tokSpan(v) }, len: 1 };
  if (v.tokenType !== kw('jump') && v.tokenType !== kw('goto')) return undefined;
  const n = p.LA(at + 1);
  if (n.tokenType !== T.Identifier) return undefined;
  const target = identOrStringNode(n);
  return { value: { kind: 'Verdict', verdict: v.image as A.VerdictKind, target, span: sp(v, n) }, len: 2 };
}

/**
 * The set element at LA(1) as the grammar builds it, when it is a plain value, `a/len` or `a-b`
 * of plain values, or `value : VERDICT`, and a comma follows; `len` counts its tokens, not the
 * comma. Anything else is undefined, for the grammar's `setElement`.
 */
export function plainElementAt(p: TokenPeek): { element: A.SetElement; len: number } | undefined {
  const a = p.LA(1);
  if (!isPlainValue(a)) return undefined;
  const b = p.LA(2);
  if (b.tokenType === T.Comma) {
    const key = plainValue(a);
    return { element: { key, span: key.span }, len: 1 };
  }
  if ((b.tokenType === T.Slash || b.tokenType === T.Dash) && isPlainValue(p.LA(3)) && p.LA(4).tokenType === T.Comma) {
    const key = prefixOrRange(a, b, p.LA(3));
    return { element: { key, span: key.span }, len: 3 };
  }
  if (b.tokenType === T.Colon) {
    const verdict = plainVerdictAt(p, 3);
    if (!verdict || p.LA(3 + verdict.len).tokenType !== T.Comma) return undefined;
    const len = 2 + verdict.len;
    return { element: { key: plainValue(a), value: verdict.value, span: sp(a, p.LA(len)) }, len };
  }
  return undefined;
}

/**
 * The most common right-hand side at LA(1), as the grammar's rhs rules build it: one plain value
 * (`22`, `10.0.0.1`), one prefix or range of plain values (`10.0.0.0/8`, `1024-65535`), or a
 * reserved word nft takes as a value (`udp`, `established`), with nothing after it that would
 * make it part of a larger expression. It spans 3 tokens when it is a Prefix or Range, else 1.
 */
export function simpleRhsAt(p: TokenPeek): A.Expr | undefined {
  const a = p.LA(1);
  const b = p.LA(2);
  if (isPlainValue(a)) {
    if (!CONTINUES_RHS.has(b.tokenType)) return plainValue(a);
    if ((b.tokenType === T.Slash || b.tokenType === T.Dash) && isPlainValue(p.LA(3)) && !CONTINUES_RHS.has(p.LA(4).tokenType)) return prefixOrRange(a, b, p.LA(3));
    return undefined;
  }
  if (T.tokenMatcher(a, T.ValueKeyword) && !T.tokenMatcher(a, T.Word) && !CONTINUES_RHS.has(b.tokenType)) return keywordValueNode(a);
  return undefined;
}

/** Tokens of what simpleRhsAt gave. */
export function simpleRhsLength(e: A.Expr): number {
  return e.kind === 'Prefix' || e.kind === 'Range' ? 3 : 1;
}
