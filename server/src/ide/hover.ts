import type { Span } from '../core/span';
import type { ParseResult } from '../syntax/parse';
import type * as A from '../syntax/ast';
import { selectorWordSpan } from '../syntax/ast';
import type { RulesetModel } from '../semantics';
import { resolveDefine, symbolHitAt } from '../semantics';
import { KEYWORD_DOCS, renderDoc, selectorDoc } from './docs';
import { nodesAt, type AnyNode } from './walk';
import { tokenAt } from './structure';

export interface HoverResult {
  markdown: string;
  span: Span;
}

/**
 * The semantic model to answer symbol questions with. It may be a version behind the
 * text being hovered (hover never waits for an analysis): `offset` is the cursor
 * mapped into the model's text of `file`, undefined when the cursor is on edited text.
 */
export interface HoverModel {
  model: RulesetModel;
  offset: number | undefined;
  /** A file's text as the model read it (the model's `files`). */
  textOf(file: string): string | undefined;
}

function declarationLine(text: string | undefined, span: Span): string | undefined {
  if (text === undefined) return undefined;
  const s = text.lastIndexOf('\n', span.start - 1) + 1;
  let e = text.indexOf('\n', span.start);
  if (e < 0) e = text.length;
  return text.slice(s, e).trim();
}

function lineOf(text: string | undefined, offset: number): number | undefined {
  if (text === undefined) return undefined;
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function hoverAt(file: string, parse: ParseResult, offset: number, sem?: HoverModel): HoverResult | undefined {
  const tok = tokenAt(parse, offset);
  if (!tok) return undefined;
  const tspan = { start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 };
  const mo = sem?.offset;
  const hit = sem && mo !== undefined ? symbolHitAt(sem.model, file, mo) : undefined;
  if (sem && hit) {
    const s = hit.symbol;
    const define = s.kind === 'define' ? resolveDefine(sem.model, s.name, file, mo!) ?? sem.model.defines.find((d) => d.loc.file === hit.at.file && d.loc.span.start === hit.at.span.start) : undefined;
    const decl = define?.loc ?? s.declarations[0];
    const declText = decl ? declarationLine(sem.textOf(decl.file), decl.span) : undefined;
    const parts = [`**${s.kind}** \`${s.kind === 'define' ? '$' : ''}${s.name}\`${s.container ? ` in \`${s.container}\`` : ''}`];
    if (define) parts.push('', '```nftables', `${define.op} ${s.name} = ${define.valueText}`, '```');
    else if (declText) parts.push('', '```nftables', declText, '```');
    if (!decl) parts.push('', '_not declared in the files read_');
    else parts.push('', `declared in ${decl.file === file ? 'this file' : decl.file}, line ${lineOf(sem.textOf(decl.file), decl.span.start) ?? '?'}; ${s.references.length} reference(s)`);
    return { markdown: parts.join('\n'), span: tspan };
  }
  // `$name` where the symbol index has no entry (e.g. undefined variable).
  const path = nodesAt(parse.ast as unknown as AnyNode, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (n.kind === 'Var') {
      const name = (n as unknown as A.VarExpr).name?.text;
      if (!name || !sem || mo === undefined) return undefined;
      const v = resolveDefine(sem.model, name, file, mo);
      return { markdown: v ? `**define** \`$${name}\`\n\n\`\`\`nftables\n${v.op} ${name} = ${v.valueText}\n\`\`\`` : `\`$${name}\` is not defined here`, span: n.span };
    }
    if (n.kind === 'Selector') {
      const sel = n as unknown as A.SelectorExpr;
      const idx = sel.path.findIndex((_, i) => {
        const s = selectorWordSpan(sel, i);
        return s.start <= offset && offset <= s.end;
      });
      if (idx >= 0) {
        // Hover on a field shows the field; on the protocol word, the whole selector.
        const p = idx === 0 && sel.path.length > 1 ? sel.path : sel.path.slice(0, idx + 1);
        const doc = selectorDoc(p);
        if (doc) return { markdown: renderDoc(p.join(' '), doc), span: idx === 0 ? sel.span : selectorWordSpan(sel, idx) };
      }
    }
  }
  const word = tok.image;
  const doc = KEYWORD_DOCS[word];
  if (doc) return { markdown: renderDoc(word, doc), span: tspan };
  return undefined;
}
