import type { LineIndex } from '../core/line-index';
import type { ParseResult } from '../syntax/parse';
import type * as A from '../syntax/ast';
import { selectorWordSpan } from '../syntax/ast';
import { walk, type AnyNode } from './walk';

/** Token types of the legend, in order; index = the number sent to the client. */
export const TOKEN_TYPES = ['namespace', 'function', 'variable', 'class', 'type', 'macro', 'keyword', 'property', 'enumMember', 'string', 'number', 'comment', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly'] as const;
type TokType = (typeof TOKEN_TYPES)[number];
const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokType, number>;

/**
 * Semantic tokens as the LSP relative encoding (5 integers per token), from the tokens
 * and the syntax tree: names by what they declare or refer to, selector fields,
 * keywords, values, numbers, strings and comments.
 */
export function semanticTokens(parse: ParseResult, lines: LineIndex): number[] {
  const byStart = new Map<number, { type: number; mods: number; end: number }>();
  const mark = (s: { start: number; end: number } | undefined, type: TokType, decl = false) => {
    if (s && s.end > s.start) byStart.set(s.start, { type: T[type], mods: decl ? 1 : 0, end: s.end });
  };
  walk(parse.ast as unknown as AnyNode, (n) => {
    switch (n.kind) {
      case 'Table':
        mark((n as unknown as A.TableDecl).name?.span, 'namespace', true);
        break;
      case 'Chain':
        mark((n as unknown as A.ChainDecl).name?.span, 'function', true);
        break;
      case 'Set':
        if ('isMap' in n) mark((n as unknown as A.SetDecl).name?.span, 'variable', true);
        break;
      case 'Flowtable':
        mark((n as unknown as A.FlowtableDecl).name?.span, 'class', true);
        break;
      case 'Object':
        mark((n as unknown as A.ObjectDecl).name?.span, 'type', true);
        break;
      case 'Define':
        mark((n as unknown as A.DefineStmt).name?.span, 'macro', true);
        break;
      case 'Var':
        mark(n.span, 'macro');
        return false;
      case 'SetRef':
        mark(n.span, 'variable');
        return false;
      case 'FlowOffload':
        mark((n as unknown as A.FlowOffloadStmt).flowtable?.span, 'class');
        break;
      case 'Verdict': {
        const t = (n as unknown as A.VerdictStmt).target;
        if (t?.kind === 'Ident') mark(t.span, 'function');
        break;
      }
      case 'RuleCmd':
        mark((n as unknown as A.RuleCmd).chain?.span, 'function');
        break;
      case 'Selector': {
        const s = n as unknown as A.SelectorExpr;
        s.path.forEach((_, i) => mark(selectorWordSpan(s, i), i === 0 ? 'keyword' : 'property'));
        break;
      }
      case 'Word':
      case 'KeywordValue':
        mark(n.span, 'enumMember');
        break;
    }
  });
  const out: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const push = (start: number, end: number, type: number, mods: number) => {
    const p = lines.positionAt(start);
    const q = lines.positionAt(end);
    if (q.line !== p.line) return; // multi-line tokens are left to the grammar
    out.push(p.line - prevLine, p.line === prevLine ? p.character - prevChar : p.character, end - start, type, mods);
    prevLine = p.line;
    prevChar = p.character;
  };
  let ci = 0;
  const comments = parse.comments;
  for (const t of parse.tokens) {
    while (ci < comments.length && comments[ci].span.start < t.startOffset) {
      push(comments[ci].span.start, comments[ci].span.end, T.comment, 0);
      ci++;
    }
    const name = t.tokenType.name;
    const start = t.startOffset;
    const end = (t.endOffset ?? t.startOffset) + 1;
    const m = byStart.get(start);
    if (m) {
      push(start, m.end, m.type, m.mods);
      continue;
    }
    if (name === 'Number' || name === 'Address') push(start, end, T.number, 0);
    else if (name === 'QuotedString') push(start, end, T.string, 0);
    else if (name.startsWith('K_')) push(start, end, T.keyword, 0);
    else if (name === 'RelOp' || name === 'EqEq' || name === 'NotEq' || name === 'Lt' || name === 'Gt' || name === 'Le' || name === 'Ge' || name === 'Bang') push(start, end, T.operator, 0);
  }
  for (; ci < comments.length; ci++) push(comments[ci].span.start, comments[ci].span.end, T.comment, 0);
  return out;
}
