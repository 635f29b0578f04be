import {
  CompletionItemKind,
  InlayHintKind,
  MarkupKind,
  type CompletionItem,
  type Connection,
} from 'vscode-languageserver';
import type { ServerState } from '../state';
import { guard } from '../guard';
import { hoverAt } from '../../ide/hover';
import { complete, type CompletionHooks, type CompletionKind } from '../../ide/completion';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../ide/semantic-tokens';
import { foldingRanges, selectionSpans } from '../../ide/structure';
import { flowAddHints, flowLenses, inlayHints, type FlowView } from '../../ide/lens';
import { parseBlockAt } from '../../ide/incremental-syntax';
import type { HoverModel } from '../../ide/hover';
import { representativePredictions } from '../../offload';
import type { Loc } from '../../semantics';
import type { ModelView } from '../state';
import { basename } from 'node:path';
import type { SelectionRange } from 'vscode-languageserver';

export const SEMANTIC_LEGEND = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  field: CompletionItemKind.Field,
  value: CompletionItemKind.EnumMember,
  chain: CompletionItemKind.Function,
  set: CompletionItemKind.Variable,
  map: CompletionItemKind.Variable,
  flowtable: CompletionItemKind.Class,
  define: CompletionItemKind.Constant,
  table: CompletionItemKind.Module,
  object: CompletionItemKind.Struct,
  interface: CompletionItemKind.Value,
};

export interface PresentationHooks {
  completion?: CompletionHooks;
}

/** `line N` in the file being shown, `name:N` in another file. */
function whereOf(state: ServerState, file: string, view: ModelView): (loc: Loc) => string {
  return (loc) => {
    const span = view.span(loc);
    const snap = state.fileSnapshot(loc.file);
    const line = span && snap ? snap.lines.positionAt(span.start).line + 1 : lineIn(view.textOf(loc.file), loc.span.start);
    return loc.file === file ? `line ${line}` : `${basename(loc.file)}:${line}`;
  };
}

function lineIn(text: string | undefined, offset: number): number | string {
  if (text === undefined) return '?';
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function flowView(state: ServerState, uri: string, file: string): FlowView | undefined {
  const view = state.modelView(uri, 'last');
  if (!view) return undefined;
  return { model: view.model, predictions: representativePredictions(view.model), here: (l) => view.span(l), where: whereOf(state, file, view) };
}

export function registerPresentation(connection: Connection, state: ServerState, hooks: PresentationHooks = {}): void {
  // Hover never waits for an analysis: symbols come from the last model (cursor mapped
  // through the edits since), syntax from this version's tree or just the block under the cursor.
  connection.onHover(
    guard(connection, 'hover', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap || snap.refused) return null;
      const offset = snap.lines.offsetAt(p.position);
      const parse = snap.parsed ? snap.parse : ((snap.hasSyntax ? parseBlockAt(snap.syntax, snap.text, offset) : undefined) ?? snap.parse);
      const view = state.modelView(p.textDocument.uri, 'last');
      const sem: HoverModel | undefined = view ? { model: view.model, offset: view.back(snap.file, offset), textOf: view.textOf } : undefined;
      const h = hoverAt(snap.file, parse, offset, sem);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: snap.lines.rangeOf(h.span) } : null;
    }),
  );
  // Names for completion come from the last model; a stale one is fine while typing.
  connection.onCompletion(
    guard(connection, 'completion', (p) => {
      const uri = p.textDocument.uri;
      const doc = state.docs.get(uri);
      if (!doc) return null;
      const text = doc.getText();
      const offset = doc.offsetAt(p.position);
      const view = state.modelView(uri, 'last');
      const r = complete(text, offset, view?.model.symbols ?? [], hooks.completion);
      const range = { start: doc.positionAt(r.replace.start), end: doc.positionAt(r.replace.end) };
      return {
        isIncomplete: false,
        items: r.items.map(
          (c, i): CompletionItem => ({
            label: c.label,
            kind: COMPLETION_KIND[c.kind],
            detail: c.detail,
            documentation: c.doc ? { kind: MarkupKind.Markdown, value: c.doc } : undefined,
            textEdit: { range, newText: c.label },
            sortText: String(i).padStart(4, '0'),
          }),
        ),
      };
    }),
  );
  connection.languages.semanticTokens.on(
    guard(connection, 'semanticTokens', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      return { data: snap ? semanticTokens(snap.parse, snap.lines) : [] };
    }),
  );
  connection.onFoldingRanges(
    guard(connection, 'foldingRanges', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      return snap ? foldingRanges(snap.parse, snap.lines).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind })) : null;
    }),
  );
  connection.onSelectionRanges(
    guard(connection, 'selectionRanges', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      return p.positions.map((pos) => {
        const spans = selectionSpans(snap.parse, snap.lines.offsetAt(pos));
        let parent: SelectionRange | undefined;
        for (let i = spans.length - 1; i >= 0; i--) parent = { range: snap.lines.rangeOf(spans[i]), parent };
        return parent ?? { range: { start: pos, end: pos } };
      });
    }),
  );
  // Lenses and hints from the offload predictions of the last model (never waits for an analysis).
  connection.onCodeLens(
    guard(connection, 'codeLens', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap || snap.refused) return null;
      const fv = flowView(state, p.textDocument.uri, snap.file);
      const data = fv ? flowLenses(snap.file, fv) : [];
      const lenses = data.map((l) => ({ range: snap.lines.rangeOf(l.span), command: { title: l.title, command: '' } }));
      const includers = state.includers(snap.file);
      if (includers.length) lenses.unshift({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: `included by ${includers.join(', ')}`, command: '' } });
      return lenses;
    }),
  );
  connection.languages.inlayHint.on(
    guard(connection, 'inlayHint', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap || snap.refused) return null;
      const span = { start: snap.lines.offsetAt(p.range.start), end: snap.lines.offsetAt(p.range.end) };
      const fv = flowView(state, p.textDocument.uri, snap.file);
      const hints = [...inlayHints(snap.parse.ast, snap.text, span), ...(fv ? flowAddHints(snap.file, fv, span) : [])];
      return hints.map((h) => ({ position: snap.lines.positionAt(h.offset), label: h.label, kind: InlayHintKind.Parameter, tooltip: h.tooltip }));
    }),
  );
}
