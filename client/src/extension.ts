// Extension entry point: wiring only. Language features live in the language server; the
// remote-router UI (Routers view, commands, status bar, dashboard) lives in remote/ and commands/.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './language-client';
import { activateRemote } from './remote/activate-remote';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // First, so routers stay usable even when the language server is missing.
  context.subscriptions.push(activateRemote(context));
  try {
    client = createLanguageClient(context);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return;
  }
  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
