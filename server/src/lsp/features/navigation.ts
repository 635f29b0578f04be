import { SymbolKind, type Connection, type Location, type DocumentSymbol, type WorkspaceEdit } from 'vscode-languageserver';
import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { guard } from '../guard';
import { renameEdits } from '../../ide/symbols';
import { symbolHitAt } from '../../semantics';
import { outline, type OutlineItem, type OutlineKind } from '../../ide/structure';
import type { Loc, SymbolKind as ModelKind } from '../../semantics/model';
import { pathToUri } from '../paths';
import { toDocumentChanges } from './editing';

const OUTLINE_KIND: Record<OutlineKind, SymbolKind> = {
  table: SymbolKind.Namespace,
  chain: SymbolKind.Function,
  set: SymbolKind.Array,
  map: SymbolKind.Object,
  flowtable: SymbolKind.Class,
  object: SymbolKind.Struct,
  define: SymbolKind.Constant,
  include: SymbolKind.File,
  rule: SymbolKind.Event,
};
/** Semantic symbol kinds are a subset of the outline's. */
const MODEL_KIND: Record<ModelKind, SymbolKind> = OUTLINE_KIND;

export function registerNavigation(connection: Connection, state: ServerState): void {
  /** A model location in the current text of its file (open buffer or disk copy). */
  const toLocation = (l: Loc, span: Loc['span'] | undefined): Location | undefined => {
    const s = state.fileSnapshot(l.file);
    return s && span ? { uri: pathToUri(l.file), range: s.lines.rangeOf(span) } : undefined;
  };
  // Definition, references and rename answer from the current model (the analysis runs if it is behind).
  const at = (uri: string, pos: { line: number; character: number }) => {
    const snap = state.snapshot(uri);
    const view = snap ? state.modelView(uri, 'wait') : undefined;
    if (!snap || !view) return undefined;
    const offset = view.back(snap.file, snap.lines.offsetAt(pos));
    const hit = offset === undefined ? undefined : symbolHitAt(view.model, snap.file, offset);
    return hit ? { snap, view, symbol: hit.symbol, at: hit.at } : undefined;
  };
  const locations = (h: NonNullable<ReturnType<typeof at>>, locs: Loc[]) => locs.map((l) => toLocation(l, h.view.span(l))).filter((x): x is Location => !!x);

  connection.onDefinition(
    guard(connection, 'definition', (p) => {
      const h = at(p.textDocument.uri, p.position);
      return h ? locations(h, h.symbol.declarations) : null;
    }),
  );
  connection.onReferences(
    guard(connection, 'references', (p) => {
      const h = at(p.textDocument.uri, p.position);
      if (!h) return null;
      return locations(h, [...(p.context.includeDeclaration ? h.symbol.declarations : []), ...h.symbol.references]);
    }),
  );
  connection.onPrepareRename(
    guard(connection, 'prepareRename', (p) => {
      const h = at(p.textDocument.uri, p.position);
      const span = h ? h.view.span(h.at) : undefined;
      return h && span ? { range: h.snap.lines.rangeOf(span), placeholder: h.symbol.name } : null;
    }),
  );
  connection.onRenameRequest(
    guard(connection, 'rename', (p): WorkspaceEdit | ResponseError<void> | null => {
      const h = at(p.textDocument.uri, p.position);
      if (!h) return null;
      const edits = renameEdits(h.symbol, p.newName);
      if (typeof edits === 'string') return new ResponseError<void>(ErrorCodes.InvalidParams, edits);
      return { documentChanges: toDocumentChanges(state, edits) };
    }),
  );
  connection.onDocumentSymbol(
    guard(connection, 'documentSymbol', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const conv = (o: OutlineItem): DocumentSymbol => ({
        name: o.name || '?',
        detail: o.detail,
        kind: OUTLINE_KIND[o.kind],
        range: snap.lines.rangeOf(o.span),
        selectionRange: snap.lines.rangeOf(o.selection.start >= o.span.start && o.selection.end <= o.span.end ? o.selection : o.span),
        children: o.children.map(conv),
      });
      return outline(snap.parse).map(conv);
    }),
  );
  // Workspace symbols come from the last analysis of each open entry document (never waits for one).
  connection.onWorkspaceSymbol(
    guard(connection, 'workspaceSymbol', (p) => {
      const q = p.query.toLowerCase();
      const seen = new Set<string>();
      const out = [];
      for (const a of state.allAnalyses()) {
        const view = state.modelView(a.uri, 'last');
        if (!view) continue;
        for (const s of view.model.symbols) {
          if (!s.declarations.length || (q && !s.name.toLowerCase().includes(q))) continue;
          const d = s.declarations[0];
          const key = `${s.kind}:${d.file}:${d.span.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const loc = toLocation(d, view.span(d));
          if (loc) out.push({ name: s.name, kind: MODEL_KIND[s.kind], containerName: s.container || undefined, location: loc });
          if (out.length >= 1000) return out;
        }
      }
      return out;
    }),
  );
  connection.onDocumentLinks(
    guard(connection, 'documentLinks', (p) => {
      const snap = state.snapshot(p.textDocument.uri);
      if (!snap) return null;
      const links = [];
      for (const l of state.includeLinks(snap)) {
        const range = snap.lines.rangeOf({ start: l.span.start + 1, end: Math.max(l.span.start + 1, l.span.end - 1) });
        if (l.targets.length === 0) continue;
        links.push({ range, target: pathToUri(l.targets[0]), tooltip: l.targets.length > 1 ? `${l.targets.length} files: ${l.targets.join(', ')}` : l.targets[0] });
      }
      return links;
    }),
  );
}
