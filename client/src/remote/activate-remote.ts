// Builds the remote-router UI (Routers view, status bar, dashboard, commands) and returns one
// Disposable for extension.ts to push. Works without the language server.
import * as vscode from 'vscode';
import { ContextKeys, LIVE_RULESET_SCHEME, REMOTE_DIAGNOSTICS, ViewIds } from '../commands/command-ids';
import { registerRemoteCommands } from '../commands/register-remote-commands';
import { ApplyCountdownUi } from './apply-ui';
import { DashboardPanels } from './dashboard-panel';
import { LiveRulesetProvider } from './live-ruleset-provider';
import { RouterHub } from './router-hub';
import { RouterSecrets } from './router-secrets';
import { RoutersTreeProvider } from './routers-view';
import { OffloadStatusBar } from './status-bar';
import type { TreeNodeSpec } from './router-tree-model';

export function activateRemote(context: vscode.ExtensionContext): vscode.Disposable {
  const log = vscode.window.createOutputChannel('nftables offload: routers');
  const secrets = new RouterSecrets(context.secrets);
  const hub = new RouterHub(secrets, log);
  const tree = new RoutersTreeProvider(hub);
  const view = vscode.window.createTreeView<TreeNodeSpec>(ViewIds.routers, { treeDataProvider: tree, showCollapseAll: true });
  const live = new LiveRulesetProvider();
  const diagnostics = vscode.languages.createDiagnosticCollection(REMOTE_DIAGNOSTICS);
  const applyUi = new ApplyCountdownUi();
  const dashboards = new DashboardPanels(hub);
  const statusBar = new OffloadStatusBar(hub);
  const setEditorContext = () =>
    void vscode.commands.executeCommand('setContext', ContextKeys.activeEditorIsNftables, vscode.window.activeTextEditor?.document.languageId === 'nftables');
  setEditorContext();
  const disposables: vscode.Disposable[] = [
    log, hub, tree, view, live, diagnostics, applyUi, dashboards, statusBar,
    vscode.workspace.registerTextDocumentContentProvider(LIVE_RULESET_SCHEME, live),
    // The status bar follows the router picked in the view.
    view.onDidChangeSelection((e) => {
      const router = e.selection[0]?.router;
      if (router) hub.select(router);
    }),
    // Router errors are for the text that was checked; an edit makes them stale.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && diagnostics.has(e.document.uri)) diagnostics.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    vscode.window.onDidChangeActiveTextEditor(setEditorContext),
    ...registerRemoteCommands({ hub, secrets, live, diagnostics, applyUi, dashboards, log }),
  ];
  return vscode.Disposable.from(...disposables.reverse());
}
