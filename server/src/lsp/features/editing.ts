import { CodeActionKind, type CodeAction, type Connection, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { guard } from '../guard';
import { formatDocument, formatRange } from '../../ide/format';
import { fixActions, missingDeclarationActions } from '../../ide/actions';
import { unresolvedRefs } from '../../ide/symbols';
import { pathToUri } from '../paths';
import { LineIndex } from '../../core/line-index';
import type { TextEdit as CoreEdit } from '../../core/finding';

export function registerEditing(connection: Connection, state: ServerState): void {
  connection.onDocumentFormatting(
    guard(connection, 'formatting', (params) => {
      const snap = state.snapshot(params.textDocument.uri);
      if (!snap || snap.refused) return null;
      return formatDocument(snap.text, snap.parse).map((e) => ({ range: snap.lines.rangeOf(e.span), newText: e.newText }));
    }),
  );
  connection.onDocumentRangeFormatting(
    guard(connection, 'rangeFormatting', (params) => {
      const snap = state.snapshot(params.textDocument.uri);
      if (!snap || snap.refused) return null;
      const span = { start: snap.lines.offsetAt(params.range.start), end: snap.lines.offsetAt(params.range.end) };
      return formatRange(snap.text, span, snap.parse).map((e) => ({ range: snap.lines.rangeOf(e.span), newText: e.newText }));
    }),
  );
  connection.onCodeAction(
    guard(connection, 'codeAction', (params) => {
      const uri = params.textDocument.uri;
      const snap = state.snapshot(uri);
      if (!snap || snap.refused) return null;
      const span = { start: snap.lines.offsetAt(params.range.start), end: snap.lines.offsetAt(params.range.end) };
      // Quick-fixes only from a current analysis: fixes of an older one would edit the wrong text.
      const raw = state.rawFindings(uri);
      const actions = fixActions(raw, span, snap.file);
      const unresolved = unresolvedRefs(raw, snap.file, (f) => state.fileText(f));
      if (unresolved.length) actions.push(...missingDeclarationActions(snap.file, snap.text, snap.parse.ast, snap.lines, unresolved, span));
      return actions.map((a): CodeAction => {
        const diag = params.context.diagnostics.find((d) => a.finding && d.code === a.finding.code && snap.lines.offsetAt(d.range.start) === a.finding.span.start);
        return {
          title: a.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: a.preferred || undefined,
          diagnostics: diag ? [diag] : undefined,
          edit: { documentChanges: toDocumentChanges(state, a.edits) },
        };
      });
    }),
  );
}

/** Groups core edits by file into versioned document edits (a fix for older text is refused by the client). */
export function toDocumentChanges(state: ServerState, edits: readonly CoreEdit[]): TextDocumentEdit[] {
  const byFile = new Map<string, CoreEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out: TextDocumentEdit[] = [];
  for (const [file, es] of byFile) {
    const uri = pathToUri(file);
    const open = state.docs.get(uri);
    const snap = open ? state.snapshot(uri) : state.fileSnapshot(file);
    if (!snap) continue;
    const lines = snap.lines ?? new LineIndex(snap.text);
    out.push({
      textDocument: { uri, version: open ? open.version : null },
      edits: es.map((e): TextEdit => ({ range: lines.rangeOf(e.span), newText: e.newText })),
    });
  }
  return out;
}
