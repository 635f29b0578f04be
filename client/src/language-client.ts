// Starts the nftables offload language server (server/out/server.js, built by esbuild) as a child
// Node process talking over IPC, as lsp-sample does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { readSettings, SETTINGS_SECTION } from './settings';

/**
 * The client id doubles as the settings prefix: vscode-languageclient reads `<id>.trace.server`,
 * so it must stay `nftablesOffload` for the contributed trace setting to work.
 */
export const CLIENT_ID = 'nftablesOffload';
export const CLIENT_NAME = 'nftables offload';
/** Port for attaching a debugger to the server when the extension runs in debug mode. */
const DEBUG_PORT = 6009;

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  if (!fs.existsSync(serverModule)) {
    // NOTE: without this the client fails later with a bare "connection got disposed".
    throw new Error(`nftables offload: language server not found at ${serverModule}; run \`npm run build\`.`);
  }

  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', `--inspect=${DEBUG_PORT}`] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nftables' },
      { scheme: 'untitled', language: 'nftables' },
    ],
    synchronize: {
      // Pushes `workspace/didChangeConfiguration` with this section whenever it changes.
      configurationSection: SETTINGS_SECTION,
    },
    // A function so the values are read when the server starts (and on restart), not at activation.
    initializationOptions: () => ({ settings: readSettings() }),
    outputChannelName: CLIENT_NAME,
  };

  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
