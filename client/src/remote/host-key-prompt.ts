// The editor's answer to an unknown or changed SSH host key: a modal with the fingerprint
// (host-key-decision.ts decides the wording and what each button means).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { appendKnownHost, type HostKeyPrompt } from '../../../server/src/remote';
import { decideHostKey, hostKeyDialog } from './host-key-decision';

export function makeHostKeyPrompt(saveFile: string, log: (m: string) => void): HostKeyPrompt {
  return async (q) => {
    const dialog = hostKeyDialog(q, saveFile);
    const titles = dialog.buttons.map((b) => b.title);
    const options = { modal: true, detail: dialog.detail };
    // Modal: Cancel (and Escape) is the default answer, i.e. refuse.
    const picked = dialog.severity === 'error'
      ? await vscode.window.showErrorMessage(dialog.message, options, ...titles)
      : await vscode.window.showWarningMessage(dialog.message, options, ...titles);
    const d = decideHostKey(dialog, picked);
    log(`host key ${q.kind} for ${q.host}:${q.port} (${q.keyType} ${q.fingerprint}): ${d.choice}`);
    if (d.save) {
      try {
        // NOTE: ~/.ssh may not exist yet on a fresh machine; OpenSSH creates it with mode 0700.
        await mkdir(dirname(saveFile), { recursive: true, mode: 0o700 });
        await appendKnownHost(saveFile, q.host, q.port, q.key);
      } catch (e) {
        void vscode.window.showWarningMessage(`Could not save the host key to ${saveFile}: ${(e as Error).message}. It is trusted for this connection only.`);
      }
    }
    return d.trust;
  };
}
