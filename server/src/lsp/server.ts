import {
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { ServerState } from './state';
import { parseRuleset } from '../syntax/parse';
import { readSettings } from './protocol';
import { guardNotification } from './guard';
import { Diagnostics } from './features/diagnostics';
import { registerEditing } from './features/editing';
import { registerNavigation } from './features/navigation';
import { registerPresentation, SEMANTIC_LEGEND, type PresentationHooks } from './features/presentation';

export interface StartOptions {
  /** A ready connection (tests); by default one is created from argv (`--stdio`, `--node-ipc`). */
  connection?: Connection;
  hooks?: PresentationHooks;
}

/**
 * Starts the nftables language server on a connection and returns it. Each feature
 * handler is a thin adapter over server/src/ide; the state (documents, results) lives in
 * one ServerState. The CLI calls this for `nft-offload lsp --stdio`.
 */
export function startServer(options: StartOptions = {}): Connection {
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  const state = new ServerState();
  const diagnostics = new Diagnostics(connection, state);

  connection.onInitialize((params): InitializeResult => {
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    state.settings = readSettings(init?.settings);
    // Build the parser now (Chevrotain's grammar analysis, about 0.3 s): part of start-up,
    // not of the first document's diagnostics.
    parseRuleset('');
    // Pull when the client can; otherwise push after each edit.
    diagnostics.push = !params.capabilities.textDocument?.diagnostic;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['@', '$', ' '] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        documentLinkProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'nftables-offload', version: '0.1.0' },
    };
  });

  connection.onDidOpenTextDocument(
    guardNotification(connection, 'didOpen', (p) => {
      state.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      diagnostics.changed(p.textDocument.uri, true);
    }),
  );
  connection.onDidChangeTextDocument(
    guardNotification(connection, 'didChange', (p) => {
      state.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
      diagnostics.changed(p.textDocument.uri, false);
    }),
  );
  connection.onDidCloseTextDocument(
    guardNotification(connection, 'didClose', (p) => {
      state.close(p.textDocument.uri);
      diagnostics.closed(p.textDocument.uri);
    }),
  );
  connection.onDidChangeConfiguration(
    guardNotification(connection, 'didChangeConfiguration', (p) => {
      const s = (p.settings as { nftablesOffload?: unknown } | undefined)?.nftablesOffload;
      if (s) {
        state.settings = readSettings(s);
        diagnostics.refreshAll();
      }
    }),
  );

  diagnostics.register();
  registerEditing(connection, state);
  registerNavigation(connection, state);
  registerPresentation(connection, state, options.hooks);

  connection.listen();
  return connection;
}
