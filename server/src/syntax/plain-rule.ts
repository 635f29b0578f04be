import { Alternation, Alternative, EOF, NonTerminal, createTokenInstance, getLookaheadPaths, type IToken, type Rule, type TokenType } from 'chevrotain';
import type * as A from './ast';
import * as T from './tokens';
import { kw } from './tokens';
import type { ElementBlockToken } from './lexer';
import { fitted, identNode, identOrStringNode, keywordValueNode, plainValue, sharedPath, sp, tokSpan, unquote } from './node-builders';
import {
  BINOP_START,
  PLAIN_VERDICTS,
  SELECTOR_FUNCTIONS,
  TIME_UNITS,
  continuesSelector,
  looksLikeSelector,
  plainElementAt,
  plainVerdictAt,
  simpleRhsAt,
  simpleRhsLength,
  type TokenPeek,
} from './grammar-facts';
import { BARE_META_KEYS, INNER_PROTOCOLS, SELECTOR_ROOTS, isComplete, type SelectorNode } from './selectors';

/**
 * Reads a plain rule without the grammar: a rule made only of the commonest statements,
 *
 * - matches `SELECTOR [OP] VALUE`, where the selector is a keyword path (`ip saddr`, `ct state`)
 *   and the value a word, number, address, string, `$var`, `@set`, `{ … }` set, list, prefix or
 *   range (`tcp dport { 22, 80 }`, `ct state established,related`), and `SELECTOR vmap @map`;
 * - `counter`, `counter packets N bytes N`, `limit rate [over] N/UNIT [burst N packets]`;
 * - verdicts (`accept`, `jump NAME`);
 *
 * with an optional `comment "…"` at the end. It builds the nodes the grammar builds (the
 * `rule`, `statement`, `exprStmt` … rules of parser.ts), with the helpers they use
 * (node-builders.ts, grammar-facts.ts), and it only looks ahead: it takes nothing until the
 * whole rule is read. Anything else, including every rule with an error in it, gets
 * `undefined`, and the grammar reads the rule as before, errors and all.
 *
 * Why: a generated 20k-rule ruleset spends most of its parse in Chevrotain's machinery, about
 * 20 rule calls and 10 lookahead decisions per rule, and in the garbage that makes
 * (bench/results.md). test/syntax/plain-rule.test.ts parses the whole corpus both ways and
 * compares the trees.
 */
export class PlainRuleReader implements TokenPeek {
  /** Tokens the last `read` covered (the parser skips them). */
  length = 0;
  /** Tokens read so far: the next one is p.LA(taken + 1). */
  private taken = 0;
  /** Scratch arrays, reused by every read (the tree gets exact copies). */
  private readonly statements: A.Statement[] = [];
  private readonly path: string[] = [];
  private readonly pathStarts: number[] = [];

  /**
   * @param p the parser's lookahead
   * @param expressionHeads keyword tokens that begin an expression statement and nothing else
   *   (`expressionStatementHeads`)
   */
  constructor(
    private readonly p: TokenPeek,
    private readonly expressionHeads: ReadonlySet<TokenType>,
  ) {}

  /** The token types a plain rule can begin with. */
  firstTokens(): TokenType[] {
    return [...PLAIN_VERDICTS, JUMP, GOTO, COUNTER, LIMIT, ...this.expressionHeads];
  }

  /** LA relative to what this reader has read (TokenPeek, for grammar-facts.ts). */
  LA(k: number): IToken {
    return this.p.LA(this.taken + k);
  }

  /** The rule at the parser's next token, if it is plain; `length` is then its token count. */
  read(): A.Rule | undefined {
    this.taken = 0;
    const r = this.rule();
    this.length = r ? this.taken : 0;
    return r;
  }

  private rule(): A.Rule | undefined {
    const start = this.LA(1);
    const statements = this.statements;
    statements.length = 0;
    for (;;) {
      const tt = this.LA(1).tokenType;
      if (ENDS_RULE.has(tt) || tt === COMMENT) break;
      if (this.taken > MAX_RULE_TOKENS) return undefined;
      const s = this.statement();
      if (!s) return undefined;
      statements.push(s);
    }
    if (statements.length === 0) return undefined;
    let comment: A.StringExpr | undefined;
    if (this.LA(1).tokenType === COMMENT) {
      // commentText: a quoted string or a bare word
      const s = this.LA(2);
      if (s.tokenType !== T.QuotedString && s.tokenType !== T.AsteriskString && !T.tokenMatcher(s, T.Word)) return undefined;
      this.taken += 2;
      comment = { kind: 'String', text: unquote(s.image), span: tokSpan(s) };
      if (!ENDS_RULE.has(this.LA(1).tokenType)) return undefined;
    }
    return { kind: 'Rule', statements: statements.slice(), comment, span: sp(start, this.LA(0)) };
  }

  private statement(): A.Statement | undefined {
    const t = this.LA(1);
    const tt = t.tokenType;
    if (PLAIN_VERDICTS.has(tt)) {
      this.taken++;
      return { kind: 'Verdict', verdict: t.image as A.VerdictKind, target: undefined, span: tokSpan(t) };
    }
    if (tt === JUMP || tt === GOTO) return this.jump();
    if (tt === COUNTER) return this.counter();
    if (tt === LIMIT) return this.limit();
    if (this.expressionHeads.has(tt)) {
      // The statement rule's gates: `ct count …` is a statement, and so is `… name NAME`.
      const second = this.LA(2).image;
      if (second === 'count' || second === 'name') return undefined;
      return this.expressionStatement();
    }
    return undefined;
  }

  /** `jump NAME`, `goto "NAME"`, `jump $var` (verdictStmt; an anonymous chain is left to the grammar). */
  private jump(): A.VerdictStmt | undefined {
    const t = this.LA(1);
    const n = this.LA(2);
    let target: A.Ident | A.VarExpr;
    if (n.tokenType === T.QuotedString || T.tokenMatcher(n, T.Word)) {
      target = identOrStringNode(n);
      this.taken += 2;
    } else if (n.tokenType === T.Dollar) {
      this.taken++;
      const v = this.variable();
      if (!v) return undefined;
      target = v;
    } else return undefined;
    return { kind: 'Verdict', verdict: t.image as A.VerdictKind, target, span: sp(t, this.LA(0)) };
  }

  /** `counter [packets N] [bytes N]` (statefulStmt's first alternative, without `name`). */
  private counter(): A.CounterStmt | undefined {
    const c = this.LA(1);
    this.taken++;
    let packets: string | undefined;
    let bytes: string | undefined;
    for (;;) {
      const k = this.LA(1).tokenType;
      if (k !== PACKETS && k !== BYTES) break;
      const n = this.LA(2);
      if (n.tokenType !== T.NumberTok) return undefined;
      this.taken += 2;
      if (k === PACKETS) packets = n.image;
      else bytes = n.image;
    }
    if (this.LA(1).tokenType === NAME) return undefined;
    return { kind: 'Counter', ref: undefined, packets, bytes, span: sp(c, this.LA(0)) };
  }

  /** `limit rate [over|until] N/UNIT [burst N [packets]]` (limitStmt and rateSpec, packet rates only). */
  private limit(): A.LimitStmt | undefined {
    const start = this.LA(1);
    if (this.LA(2).tokenType !== RATE) return undefined;
    this.taken += 2;
    let over = false;
    const o = this.LA(1).tokenType;
    if (o === OVER || o === UNTIL) {
      over = o === OVER;
      this.taken++;
    }
    const n = this.LA(1);
    const u = this.LA(3);
    if (n.tokenType !== T.NumberTok || this.LA(2).tokenType !== T.Slash) return undefined;
    if (!(T.tokenMatcher(u, T.Word) || u.tokenType === HOUR || u.tokenType === DAY) || !TIME_UNITS.has(u.image)) return undefined;
    this.taken += 3;
    let burst: string | undefined;
    if (this.LA(1).tokenType === BURST) {
      const bn = this.LA(2);
      if (bn.tokenType !== T.NumberTok) return undefined;
      this.taken += 2;
      const bu = this.LA(1);
      if (T.tokenMatcher(bu, T.Word)) {
        if (bu.image !== 'packets') return undefined;
        this.taken++;
      }
      burst = bn.image;
    }
    return { kind: 'Limit', over, rate: n.image, unit: u.image, burst, span: sp(start, this.LA(0)) };
  }

  /** exprStmt with a keyword path on the left, and exprStmtTail. */
  private expressionStatement(): A.Statement | undefined {
    const start = this.LA(1);
    const left = this.selector();
    if (!left) return undefined;
    const after = this.LA(1).tokenType;
    if (BINOP_START.has(after) || after === T.Dot) return undefined; // lhsBinopRest, concatRest
    let right = this.simpleRhs();
    if (right) return { kind: 'Match', left, right, span: sp(start, this.LA(0)) };
    const t = this.LA(1);
    if (t.tokenType === SET) return undefined;
    if (t.tokenType === VMAP) {
      this.taken++;
      const tt = this.LA(1).tokenType;
      if (tt !== T.LBrace && tt !== T.ElementBlock && tt !== T.At && tt !== T.Dollar) return undefined;
      const map = this.primary();
      if (!map) return undefined;
      const s = sp(start, this.LA(0));
      return { kind: 'Verdict', verdict: 'jump', map: { kind: 'Map', key: left, map, verdictMap: true, span: s }, span: s };
    }
    if (T.tokenMatcher(t, T.RelOp) || t.tokenType === T.Bang || t.tokenType === NOT) {
      const op = RELOP_WORDS[t.image] ?? t.image;
      this.taken++;
      right = this.simpleRhs() ?? this.list();
      if (!right) return undefined;
      return { kind: 'Match', left, op, right, span: sp(start, this.LA(0)) };
    }
    right = this.list();
    if (!right) return undefined;
    return { kind: 'Match', left, right, span: sp(start, this.LA(0)) };
  }

  /** pathSelector, for paths of words only, which end complete and report nothing. */
  private selector(): A.SelectorExpr | undefined {
    const head = this.LA(1);
    if (SELECTOR_FUNCTIONS.has(head.tokenType)) return undefined;
    this.taken++;
    const path = this.path;
    const starts = this.pathStarts;
    path.length = 0;
    starts.length = 0;
    path.push(head.image);
    starts.push(head.startOffset | 0);
    let node: SelectorNode | undefined = SELECTOR_ROOTS[head.image] ?? (BARE_META_KEYS.has(head.image) ? COMPLETE : undefined);
    while (continuesSelector(node, this.LA(1))) {
      const w = this.LA(1);
      if (!T.tokenMatcher(w, T.AnyWord)) return undefined; // number and index arguments
      const parent: SelectorNode = node!;
      const child = parent.children && Object.prototype.hasOwnProperty.call(parent.children, w.image) ? parent.children[w.image] : undefined;
      node = child ?? (INNER_PROTOCOLS.has(w.image) && parent.inner ? SELECTOR_ROOTS[w.image] : undefined);
      if (!node) return undefined; // an unknown field: the grammar reports it
      this.taken++;
      path.push(w.image);
      starts.push(w.startOffset | 0);
    }
    if (path[0] === 'tcp' && path[1] === 'option') return undefined; // checks of its own
    if (node && !isComplete(node)) return undefined;
    return { kind: 'Selector', path: sharedPath(path), pathStarts: starts.slice(), args: undefined, span: sp(head, this.LA(0)) };
  }

  /** The parser's simpleRhs: one plain value, prefix or range, or a value keyword, with nothing after it. */
  private simpleRhs(): A.Expr | undefined {
    const e = simpleRhsAt(this);
    if (e) this.taken += simpleRhsLength(e);
    return e;
  }


  /** rhsList after simpleRhs: comma-separated items (a List only for two or more). */
  private list(): A.Expr | undefined {
    const start = this.LA(1);
    const first = this.item();
    if (!first || this.LA(1).tokenType !== T.Comma) return first;
    const items = [first];
    while (this.LA(1).tokenType === T.Comma) {
      this.taken++;
      const it = this.item();
      if (!it) return undefined;
      items.push(it);
    }
    return { kind: 'List', items, span: sp(start, this.LA(0)) };
  }

  /** rhsConcat → rhsRange → rhsBinop, without concatenations or operators: `v`, `v-v`, `v/v`. */
  private item(): A.Expr | undefined {
    const start = this.LA(1);
    let e = this.primary();
    if (!e || BINOP_START.has(this.LA(1).tokenType)) return undefined;
    const op = this.LA(1).tokenType;
    if (op === T.Dash || op === T.Slash) {
      this.taken++;
      const to = this.primary();
      if (!to || BINOP_START.has(this.LA(1).tokenType)) return undefined;
      const span = sp(start, this.LA(0));
      e = op === T.Dash ? { kind: 'Range', from: e, to, span } : { kind: 'Prefix', base: e, length: to, span };
    }
    if (this.LA(1).tokenType === T.Dot) return undefined;
    return e;
  }

  /** rhsPrimary, without parentheses. */
  private primary(): A.Expr | undefined {
    const t = this.LA(1);
    const tt = t.tokenType;
    // literal: a number, address, quoted string, `eth*` or word
    if (tt === T.NumberTok || tt === T.Address || tt === T.QuotedString || tt === T.AsteriskString || T.tokenMatcher(t, T.Word)) {
      this.taken++;
      return plainValue(t);
    }
    if (tt === T.Dollar) return this.variable();
    if (tt === T.At) {
      const n = this.LA(2);
      if (n.tokenType !== T.QuotedString && !T.tokenMatcher(n, T.Word)) return undefined;
      this.taken += 2;
      return { kind: 'SetRef', name: identOrStringNode(n), span: sp(t, n) };
    }
    if (tt === T.ElementBlock) {
      this.taken++;
      return { kind: 'SetLiteral', elements: (t as ElementBlockToken).payload ?? [], span: tokSpan(t) };
    }
    if (tt === T.LBrace) return this.braceSet();
    if (T.tokenMatcher(t, T.ValueKeyword)) {
      this.taken++;
      return keywordValueNode(t);
    }
    if (tt === T.Asterisk) {
      this.taken++;
      return { kind: 'Wildcard', span: tokSpan(t) };
    }
    return undefined;
  }

  /** `$name` (the variable rule). */
  private variable(): A.VarExpr | undefined {
    const d = this.LA(1);
    const n = this.LA(2);
    if (!T.tokenMatcher(n, T.Word)) return undefined;
    this.taken += 2;
    return { kind: 'Var', name: identNode(n), span: sp(d, n) };
  }

  /**
   * braceSetLiteral: elements taken as the parser's fastElements takes them where it would, and
   * as setElement builds them elsewhere; keys and verdicts only (no options, comments, or other
   * map data), at most one newline in each place nft allows one.
   */
  private braceSet(): A.SetLiteralExpr | undefined {
    const open = this.LA(1);
    this.taken++;
    const elements: A.SetElement[] = [];
    if (!this.elementNewline() || !this.fastElements(elements)) return undefined;
    while (this.LA(1).tokenType !== T.RBrace) {
      const el = this.element();
      if (!el) return undefined;
      elements.push(el);
      if (!this.elementNewline()) return undefined;
      const sep = this.LA(1).tokenType;
      if (sep === T.Comma) {
        this.taken++;
        if (!this.elementNewline() || !this.fastElements(elements)) return undefined;
      } else if (sep !== T.RBrace) return undefined;
    }
    const close = this.LA(1);
    this.taken++;
    if (elements.length === 0) return undefined;
    return { kind: 'SetLiteral', elements: fitted(elements), span: sp(open, close) };
  }

  /** elementNewlines: false where a second newline makes it an error. */
  private elementNewline(): boolean {
    if (this.LA(1).tokenType !== T.Newline) return true;
    if (this.LA(2).tokenType === T.Newline) return false;
    this.taken++;
    return true;
  }

  /** The parser's fastElements, run where it runs; false where it leaves an error to the grammar. */
  private fastElements(out: A.SetElement[]): boolean {
    for (let e = plainElementAt(this); e; e = plainElementAt(this)) {
      this.taken += e.len + 1; // the element and its comma
      out.push(e.element);
      if (this.LA(1).tokenType === T.Newline) {
        this.taken++;
        if (this.LA(1).tokenType === T.Newline) return false;
      }
    }
    return true;
  }


  /** setElement with setElementBody: a key, and a verdict if it is a map element. */
  private element(): A.SetElement | undefined {
    const start = this.LA(1);
    if (looksLikeSelector(this)) return undefined;
    const key = this.item();
    if (!key) return undefined;
    let value: A.VerdictExpr | undefined;
    if (this.LA(1).tokenType === T.Colon) {
      const v = plainVerdictAt(this, 2);
      if (!v) return undefined;
      this.taken += 1 + v.len;
      value = v.value;
    }
    if (!ENDS_ELEMENT.has(this.LA(1).tokenType)) return undefined; // options, comments
    return { key, options: [], comment: undefined, span: sp(start, this.LA(0)), value };
  }
}

/**
 * For a grammar rule that is one alternation (`statement`, `chainItem`): the names of the
 * alternatives that can begin with a token of a given type, read from the grammar itself with
 * Chevrotain's getLookaheadPaths (k = 1). An alternative that begins with a sub-rule is named
 * after it; one that begins with a token, ''.
 */
export function alternativesBeginningWith(rule: Rule): (type: TokenType) => string[] {
  const alternation = rule.definition[0];
  if (!(alternation instanceof Alternation)) throw new Error(`${rule.name}: expected one alternation`);
  const names = alternation.definition.map((alt) => {
    const first = (alt as Alternative).definition[0];
    return first instanceof NonTerminal ? first.nonTerminalName : '';
  });
  const paths = getLookaheadPaths({ occurrence: alternation.idx, rule, prodType: 'Alternation', maxLookahead: 1 });
  return (type) => {
    const token = createTokenInstance(type, '', 0, 0, 0, 0, 0, 0);
    return names.filter((_, i) => paths[i].some((seq) => seq.length > 0 && T.tokenMatcher(token, seq[0])));
  };
}

/**
 * The selector keywords with which the grammar's `statement` rule can begin an expression
 * statement and no other statement, so that a statement added to the grammar later cannot be
 * misread as a match. Two other alternatives are let through, because PlainRuleReader.statement
 * applies their gates: objrefStmt (`… name NAME`) and, for `ct`, statefulStmt (`ct count`).
 */
export function expressionStatementHeads(statementRule: Rule): Set<TokenType> {
  const beginning = alternativesBeginningWith(statementRule);
  const heads = new Set<TokenType>();
  for (const [word, type] of T.keywordTokens) {
    if (!(type.CATEGORIES ?? []).includes(T.SelectorHead)) continue;
    const names = beginning(type);
    const others = names.filter((n) => n !== 'exprStmt' && n !== 'objrefStmt' && !(n === 'statefulStmt' && word === 'ct'));
    if (names.includes('exprStmt') && others.length === 0) heads.add(type);
  }
  return heads;
}

/** A plain rule is short; a longer one goes to the grammar (the parser's window holds 1024 tokens). */
const MAX_RULE_TOKENS = 256;

const ENDS_RULE = new Set<TokenType>([T.Newline, T.Semicolon, T.RBrace, EOF]);
const ENDS_ELEMENT = new Set<TokenType>([T.Comma, T.Newline, T.RBrace]);

/** A bare meta key (`iifname`) is a complete selector on its own. */
const COMPLETE: SelectorNode = Object.freeze({});

const RELOP_WORDS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', not: '!' };

const COMMENT = kw('comment');
const JUMP = kw('jump');
const GOTO = kw('goto');
const COUNTER = kw('counter');
const PACKETS = kw('packets');
const BYTES = kw('bytes');
const NAME = kw('name');
const LIMIT = kw('limit');
const RATE = kw('rate');
const OVER = kw('over');
const UNTIL = kw('until');
const BURST = kw('burst');
const HOUR = kw('hour');
const DAY = kw('day');
const SET = kw('set');
const VMAP = kw('vmap');
const NOT = kw('not');
