// Extension entry point: wiring only. Features live in the language server; editor-side commands
// (remote check/apply/confirm, the Routers view) will register here next to the client.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './language-client';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    client = createLanguageClient(context);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return;
  }
  // Remote commands and the Routers view go here, e.g. context.subscriptions.push(registerRemoteCommands(client)).
  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
