// Status bar item "⚡ offloaded/total" for the selected router; shown while it is connected.
// The numbers refresh with the hub (every `nftablesOffload.remote.refreshSeconds`).
import * as vscode from 'vscode';
import { CommandIds } from '../commands/command-ids';
import { countFlows, statusBarText, statusBarTooltip } from './flow-summary';
import type { RouterHub } from './router-hub';

export class OffloadStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nftablesOffload.remote.offloadStatus', vscode.StatusBarAlignment.Left, 50);
  private readonly sub: vscode.Disposable;

  constructor(private readonly hub: RouterHub) {
    this.item.name = 'nftables offload: live flows';
    this.item.command = { command: CommandIds.dashboard, title: 'Open offload dashboard', arguments: [] };
    this.sub = hub.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const e = this.hub.selected;
    if (!e || e.state.connection !== 'connected') {
      this.item.hide();
      return;
    }
    const counts = e.state.flows ? countFlows(e.state.flows) : undefined;
    this.item.text = statusBarText(counts);
    this.item.tooltip = statusBarTooltip(e.state.name, counts, e.flowsAt) + '\nClick for the offload dashboard';
    this.item.command = { command: CommandIds.dashboard, title: 'Open offload dashboard', arguments: [e.state.name] };
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
