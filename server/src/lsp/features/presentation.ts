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
import { flowLenses, inlayHints, type FlowLensProvider } from '../../ide/lens';
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
  /** Offload's flow prediction for code lenses, once the offload layer provides it. */
  flowLens?: FlowLensProvider;
}

export function registerPresentation(connection: Connection, state: ServerState, hooks: PresentationHooks = {}): void {
  connection.onHover(
    guard(connection, 'hover', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const unit = state.unit(p.textDocument.uri);
      const offset = snap.lines.offsetAt(p.position);
      const h = hoverAt(snap.file, snap.text, snap.parse, offset, unit?.index.symbols ?? [], unit?.index.defineValues, (f) => state.fileSnapshot(f)?.text, snap.lines);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: snap.lines.rangeOf(h.span) } : null;
    }),
  );
  // Names for completion come from the last unit index; a stale one is fine while typing.
  const lastSymbols = new Map<string, ReturnType<ServerState['unit']>>();
  connection.onCompletion(
    guard(connection, 'completion', (p) => {
      const uri = p.textDocument.uri;
      const doc = state.docs.get(uri);
      if (!doc) return null;
      const text = doc.getText();
      const offset = doc.offsetAt(p.position);
      let unit = lastSymbols.get(uri);
      const snap = state.snapshot(uri);
      if (!unit || snap?.parsed) {
        unit = state.unit(uri);
        lastSymbols.set(uri, unit);
      }
      const r = complete(text, offset, unit?.index.symbols ?? [], hooks.completion);
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
  connection.onCodeLens(
    guard(connection, 'codeLens', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const lenses = flowLenses(snap.parse.ast, snap.lines, snap.file, hooks.flowLens).map((l) => ({
        range: snap.lines.rangeOf(l.span),
        command: { title: l.title, command: '' },
      }));
      const includers = state.includers(snap.file);
      if (includers.length) lenses.unshift({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: `included by ${includers.join(', ')}`, command: '' } });
      return lenses;
    }),
  );
  connection.languages.inlayHint.on(
    guard(connection, 'inlayHint', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const span = { start: snap.lines.offsetAt(p.range.start), end: snap.lines.offsetAt(p.range.end) };
      return inlayHints(snap.parse.ast, snap.text, span).map((h) => ({ position: snap.lines.positionAt(h.offset), label: h.label, kind: InlayHintKind.Parameter, tooltip: h.tooltip }));
    }),
  );
}
