// Registers every `nftablesOffload.remote.*` command (ids in command-ids.ts).
import * as vscode from 'vscode';
import type { ApplyCountdownUi } from '../remote/apply-ui';
import type { DashboardPanels } from '../remote/dashboard-panel';
import type { LiveRulesetProvider } from '../remote/live-ruleset-provider';
import type { RouterHub } from '../remote/router-hub';
import type { RouterSecrets } from '../remote/router-secrets';
import { CommandIds, type CommandId } from './command-ids';
import { checkOnRouter, diffWithRouter, pullLiveRuleset } from './document-commands';
import { pickRouter } from './pick-router';
import { addRouter, forgetSecret, removeRouter } from './router-settings-commands';
import { runSafeApply } from './safe-apply-command';

export interface RemoteServices {
  hub: RouterHub;
  secrets: RouterSecrets;
  live: LiveRulesetProvider;
  diagnostics: vscode.DiagnosticCollection;
  applyUi: ApplyCountdownUi;
  dashboards: DashboardPanels;
  log: vscode.OutputChannel;
}

export function registerRemoteCommands(s: RemoteServices): vscode.Disposable[] {
  const { hub } = s;
  const connect = async (arg: unknown) => {
    const name = await pickRouter(hub, arg, 'Connect to');
    if (!name) return;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${name}…` }, () => hub.connect(name));
      hub.select(name);
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
    }
  };
  const handlers: Record<CommandId, (arg?: unknown, ...rest: unknown[]) => unknown> = {
    [CommandIds.addRouter]: () => addRouter(hub),
    [CommandIds.removeRouter]: (arg) => removeRouter(hub, s.secrets, arg),
    [CommandIds.connect]: connect,
    [CommandIds.disconnect]: async (arg) => {
      const name = await pickRouter(hub, arg, 'Disconnect from');
      if (name) hub.disconnect(name);
    },
    [CommandIds.pullRuleset]: (arg) => pullLiveRuleset(hub, s.live, arg),
    [CommandIds.diff]: (...args) => diffWithRouter(hub, s.live, args),
    [CommandIds.check]: (...args) => checkOnRouter(hub, s.diagnostics, args),
    [CommandIds.safeApply]: (...args) => runSafeApply(hub, s.applyUi, s.diagnostics, s.log, args),
    [CommandIds.confirmApply]: () => s.applyUi.confirm(),
    [CommandIds.rollbackNow]: () => s.applyUi.rollback(),
    [CommandIds.refreshFlows]: async (arg) => {
      const name = await pickRouter(hub, arg, 'Refresh flows of');
      if (!name) return;
      if (hub.get(name)?.state.connection !== 'connected') return connect(name);
      await hub.refresh(name, { pull: true });
    },
    [CommandIds.forgetSecret]: (arg) => forgetSecret(hub, s.secrets, arg),
    [CommandIds.dashboard]: async (arg) => {
      const name = await pickRouter(hub, arg ?? hub.selected?.setting.name, 'Offload dashboard of');
      if (!name) return;
      s.dashboards.show(name);
      if (hub.get(name)?.state.connection !== 'connected') void connect(name);
    },
    [CommandIds.selectRouter]: async (arg) => {
      const name = await pickRouter(hub, arg, 'Show live flows of');
      if (name) hub.select(name);
    },
  };
  return Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn));
}
