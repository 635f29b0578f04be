import type { Span } from '../core/span';
import type * as A from '../syntax/ast';
import { PackedNode } from '../syntax/packed-nodes';
import { parseRuleset, type ParseOptions, type ParseResult } from '../syntax/parse';

/**
 * Where an included file's text lands. nft's include is textual: a file included
 * inside `table t { … }` holds table items (`chain c { … }`), one included inside a
 * chain holds rules (fw4's `include "/etc/nftables.d/*.nft"` does both). The parser
 * only reads whole rulesets, so such a file is parsed wrapped in a dummy block and
 * every offset is shifted back; the dummy block's items become the file's items.
 */
export type IncludeContext = 'top' | 'table' | 'chain';

const PREFIX: Record<IncludeContext, string> = {
  top: '',
  // Same line as the text's first line, so line numbers do not move.
  table: 'table ip __include__ { ',
  chain: 'table ip __include__ { chain __include__ { ',
};
const SUFFIX: Record<IncludeContext, string> = { top: '', table: '\n}\n', chain: '\n}\n}\n' };

type Move = (offset: number) => number;

/** Offsets of the wrapped text moved back into the included file's own text (clamped to it). */
function mover(delta: number, max: number): Move {
  return (n) => Math.max(0, Math.min(max, n - delta));
}

function shifted(s: Span, move: Move): Span {
  return { start: move(s.start), end: move(s.end) };
}

function shiftAll(node: unknown, delta: number, move: Move, seen: Set<object>): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) shiftAll(x, delta, move, seen);
    return;
  }
  // Fast-path element nodes keep their offsets inline (syntax/packed-nodes.ts).
  if (node instanceof PackedNode) node.rebase(delta, move);
  const o = node as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if ((key === 'span' || key === 'keySpan') && v && typeof v === 'object') o[key] = shifted(v as Span, move);
    else if (key === 'pathStarts' && Array.isArray(v)) o[key] = v.map(move);
    else if (v && typeof v === 'object') shiftAll(v, delta, move, seen);
  }
}

export function parseInContext(text: string, context: IncludeContext, options: ParseOptions = {}): ParseResult {
  if (context === 'top') return parseRuleset(text, options);
  const prefix = PREFIX[context];
  const r = parseRuleset(prefix + text + SUFFIX[context], options);
  const delta = prefix.length;
  const move = mover(delta, text.length);
  const table = r.ast.items.find((i): i is A.TableDecl => i.kind === 'Table');
  let items: A.TopItem[] = [];
  if (table?.body) {
    if (context === 'table') items = table.body as A.TopItem[];
    else {
      const chain = table.body.find((i): i is A.ChainDecl => i.kind === 'Chain');
      // Rules are not top items; keep them in a headless chain the walker unwraps.
      if (chain) items = [{ ...chain, name: undefined } as A.ChainDecl];
    }
  }
  const ast: A.Ruleset = { kind: 'Ruleset', items, comments: r.ast.comments, span: { start: 0, end: text.length } };
  const seen = new Set<object>();
  shiftAll(items, delta, move, seen);
  shiftAll(ast.comments, delta, move, seen);
  shiftAll(r.comments, delta, move, seen);
  for (const f of r.findings) f.span = shifted(f.span, move);
  const tokens = r.tokens.filter((t) => t.startOffset >= delta && t.startOffset < delta + text.length);
  for (const t of tokens) {
    t.startOffset -= delta;
    if (t.endOffset !== undefined) t.endOffset -= delta;
  }
  return { ast, tokens, comments: r.comments, findings: r.findings };
}
