import type { Span } from '../core/span';
import type { LineIndex } from '../core/line-index';
import type { ParseResult } from '../syntax/parse';
import type * as A from '../syntax/ast';
import type { SymbolInfo } from '../semantics/model';
import { KEYWORD_DOCS, renderDoc, selectorDoc } from './docs';
import { nodesAt, type AnyNode } from './walk';
import { symbolAt, type SymbolIndex } from './symbols';
import { tokenAt } from './structure';

export interface HoverResult {
  markdown: string;
  span: Span;
}

/** Reads another file's text for symbol declarations in includes; optional. */
export type TextOf = (file: string) => string | undefined;

function declarationLine(text: string | undefined, span: Span): string | undefined {
  if (text === undefined) return undefined;
  const s = text.lastIndexOf('\n', span.start - 1) + 1;
  let e = text.indexOf('\n', span.start);
  if (e < 0) e = text.length;
  return text.slice(s, e).trim();
}

export function hoverAt(
  file: string,
  text: string,
  parse: ParseResult,
  offset: number,
  symbols: readonly SymbolInfo[],
  defines?: SymbolIndex['defineValues'],
  textOf: TextOf = () => undefined,
  lines?: LineIndex,
): HoverResult | undefined {
  const tok = tokenAt(parse, offset);
  if (!tok) return undefined;
  const tspan = { start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 };
  const hit = symbolAt(symbols, file, offset);
  if (hit) {
    const s = hit.symbol;
    const decl = s.declarations[0];
    const where = decl ? (decl.file === file ? 'this file' : decl.file) : undefined;
    const declText = decl ? declarationLine(decl.file === file ? text : textOf(decl.file), decl.span) : undefined;
    const parts = [`**${s.kind}** \`${s.kind === 'define' ? '$' : ''}${s.name}\`${s.container ? ` in \`${s.container}\`` : ''}`];
    if (s.kind === 'define') {
      const v = defines?.get(s.name);
      if (v?.text !== undefined) parts.push('', '```nftables', `define ${s.name} = ${v.text}`, '```');
    } else if (declText) parts.push('', '```nftables', declText, '```');
    if (!decl) parts.push('', '_not declared in the files read_');
    else if (where !== 'this file' || lines) parts.push('', `declared in ${where}${lines && decl.file === file ? `, line ${lines.positionAt(decl.span.start).line + 1}` : ''}; ${s.references.length} reference(s)`);
    return { markdown: parts.join('\n'), span: tspan };
  }
  // `$name` where the symbol index has no entry (e.g. undefined variable).
  const path = nodesAt(parse.ast as unknown as AnyNode, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (n.kind === 'Var') {
      const name = (n as unknown as A.VarExpr).name?.text;
      const v = name ? defines?.get(name) : undefined;
      return { markdown: v ? `**define** \`$${name}\`\n\n\`\`\`nftables\ndefine ${name} = ${v.text ?? ''}\n\`\`\`` : `\`$${name}\` is not defined`, span: n.span };
    }
    if (n.kind === 'Selector') {
      const sel = n as unknown as A.SelectorExpr;
      const idx = sel.pathSpans.findIndex((s) => s.start <= offset && offset <= s.end);
      if (idx >= 0) {
        // Hover on a field shows the field; on the protocol word, the whole selector.
        const p = idx === 0 && sel.path.length > 1 ? sel.path : sel.path.slice(0, idx + 1);
        const doc = selectorDoc(p);
        if (doc) return { markdown: renderDoc(p.join(' '), doc), span: idx === 0 ? sel.span : sel.pathSpans[idx] };
      }
    }
  }
  const word = tok.image;
  const doc = KEYWORD_DOCS[word];
  if (doc) return { markdown: renderDoc(word, doc), span: tspan };
  return undefined;
}
