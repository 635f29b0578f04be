// Resolves the router a command acts on: a name (from code or tests), a Routers-view node, or a
// quick pick when invoked from the command palette.
import * as vscode from 'vscode';
import type { RouterHub } from '../remote/router-hub';
import { CommandIds } from './command-ids';

export function routerNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { router?: unknown }).router === 'string') return (arg as { router: string }).router;
  return undefined;
}

/**
 * With `preferSelected` (commands on a document: check, diff, safe apply), no explicit router means
 * the selected connected router (the one in the status bar); its name is in every message and in
 * the apply dialog, so nothing happens to a router the user did not see named.
 */
export async function pickRouter(hub: RouterHub, arg: unknown, placeHolder = 'Router', preferSelected = false): Promise<string | undefined> {
  const named = routerNameOf(arg);
  if (named !== undefined) {
    if (hub.get(named)) return named;
    void vscode.window.showErrorMessage(`No router named "${named}" in nftablesOffload.remote.routers.`);
    return undefined;
  }
  const selected = hub.selected;
  if (preferSelected && selected?.state.connection === 'connected') return selected.setting.name;
  const all = hub.list();
  if (all.length === 0) {
    const add = 'Add router…';
    if ((await vscode.window.showInformationMessage('No router is configured yet.', add)) === add) await vscode.commands.executeCommand(CommandIds.addRouter);
    return undefined;
  }
  if (all.length === 1) return all[0].setting.name;
  const picked = await vscode.window.showQuickPick(
    all.map((e) => ({ label: e.setting.name, description: e.setting.url, detail: e.state.connection })),
    { placeHolder, ignoreFocusOut: true },
  );
  return picked?.label;
}

/**
 * Splits a document command's arguments: `(uri?, router?)` from code and tests, a Routers-view
 * node from a context menu, or nothing from the palette / editor menus.
 */
export function documentCommandArgs(args: unknown[]): { uri?: vscode.Uri; router?: unknown } {
  const [a, b] = args;
  if (a instanceof vscode.Uri) return { uri: a, router: b };
  return { router: a };
}

/** The nftables document a command acts on: a Uri argument, else the active (or only visible) nftables editor. */
export async function pickNftablesDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'nftables') return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => d.languageId === 'nftables');
  if (visible.length === 1) return visible[0];
  void vscode.window.showErrorMessage('Open the nftables ruleset file first (the active editor is not an nftables document).');
  return undefined;
}
