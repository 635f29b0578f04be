import { SymbolKind, type Connection, type Location, type DocumentSymbol, type WorkspaceEdit } from 'vscode-languageserver';
import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { guard } from '../guard';
import { symbolAt, renameEdits } from '../../ide/symbols';
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
const MODEL_KIND: Record<ModelKind, SymbolKind> = {
  table: SymbolKind.Namespace,
  chain: SymbolKind.Function,
  set: SymbolKind.Array,
  map: SymbolKind.Object,
  flowtable: SymbolKind.Class,
  object: SymbolKind.Struct,
  define: SymbolKind.Constant,
};

export function registerNavigation(connection: Connection, state: ServerState): void {
  const toLocation = (l: Loc): Location | undefined => {
    const s = state.fileSnapshot(l.file);
    return s ? { uri: pathToUri(l.file), range: s.lines.rangeOf(l.span) } : undefined;
  };
  const at = (uri: string, pos: { line: number; character: number }) => {
    const snap = state.snapshot(uri);
    const unit = state.unit(uri);
    if (!snap || !unit) return undefined;
    const hit = symbolAt(unit.index.symbols, snap.file, snap.lines.offsetAt(pos));
    return hit ? { snap, unit, ...hit } : undefined;
  };
  const locations = (locs: Loc[]) => locs.map(toLocation).filter((x): x is Location => !!x);

  connection.onDefinition(
    guard(connection, 'definition', (p) => {
      const h = at(p.textDocument.uri, p.position);
      return h ? locations(h.symbol.declarations) : null;
    }),
  );
  connection.onReferences(
    guard(connection, 'references', (p) => {
      const h = at(p.textDocument.uri, p.position);
      if (!h) return null;
      return locations([...(p.context.includeDeclaration ? h.symbol.declarations : []), ...h.symbol.references]);
    }),
  );
  connection.onPrepareRename(
    guard(connection, 'prepareRename', (p) => {
      const h = at(p.textDocument.uri, p.position);
      if (!h) return null;
      const loc = [...h.symbol.declarations, ...h.symbol.references].find((l) => l.file === h.snap.file && l.span.start <= h.snap.lines.offsetAt(p.position) && h.snap.lines.offsetAt(p.position) <= l.span.end);
      return loc ? { range: h.snap.lines.rangeOf(loc.span), placeholder: h.symbol.name } : null;
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
  connection.onWorkspaceSymbol(
    guard(connection, 'workspaceSymbol', (p) => {
      const q = p.query.toLowerCase();
      const seen = new Set<string>();
      const out = [];
      for (const uri of state.docs.keys()) {
        const unit = state.unit(uri);
        if (!unit) continue;
        for (const s of unit.index.symbols) {
          if (!s.declarations.length || (q && !s.name.toLowerCase().includes(q))) continue;
          const d = s.declarations[0];
          const key = `${d.file}:${d.span.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const loc = toLocation(d);
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
