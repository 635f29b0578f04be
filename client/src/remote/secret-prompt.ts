// Asks for an SSH passphrase or password in a password input box (never echoed, never logged).
import * as vscode from 'vscode';
import type { SecretRequest } from '../../../server/src/remote';

export async function promptSecret(req: SecretRequest, routerName: string): Promise<string | undefined> {
  const what = req.kind === 'passphrase' ? `Passphrase for ${req.keyPath ?? 'the SSH key'}` : `SSH password for ${req.target}`;
  return vscode.window.showInputBox({
    title: `${routerName}: ${what}`,
    prompt: `${what}. Stored in VS Code's secret storage after a successful login ("Forget router secret" removes it).`,
    password: true,
    ignoreFocusOut: true,
  });
}
