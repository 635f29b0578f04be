// The offload dashboard webview (one panel per router), fed by postMessage on every hub refresh.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../commands/command-ids';
import { renderDashboardHtml } from './dashboard-html';
import { dashboardUpdate } from './dashboard-model';
import type { RouterHub } from './router-hub';

export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly hub: RouterHub) {}

  show(router: string): void {
    const existing = this.panels.get(router);
    if (existing) {
      existing.reveal();
      this.post(router);
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `Offload: ${router}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
      retainContextWhenHidden: false,
    });
    const nonce = randomBytes(16).toString('base64');
    panel.webview.html = renderDashboardHtml({ nonce, cspSource: panel.webview.cspSource, title: `Offload dashboard: ${router}` });
    const subs = [
      this.hub.onDidChange((name) => {
        if (name === undefined || name === router) this.post(router);
      }),
      // The page asks for data when it (re)loads, e.g. after being hidden.
      panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'ready') this.post(router);
      }),
    ];
    panel.onDidDispose(() => {
      this.panels.delete(router);
      for (const s of subs) s.dispose();
    });
    this.panels.set(router, panel);
  }

  private post(router: string): void {
    const panel = this.panels.get(router);
    const e = this.hub.get(router);
    if (!panel || !e) return;
    void panel.webview.postMessage(dashboardUpdate(e.state, e.series.samples, e.flowsAt));
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
  }
}
