/**
 * The confirm/rollback countdown on screen: a status bar item "Confirm <router>: 42 s" (click =
 * confirm), a notification with "Confirm" and "Roll back now", and the context key
 * `nftablesOffload.remote.applyPending` for the two commands. The logic is confirm-countdown.ts.
 */
import * as vscode from 'vscode';
import { CommandIds, ContextKeys } from '../commands/command-ids';
import { ConfirmCountdown, type CountdownState } from './confirm-countdown';

export class ApplyCountdownUi implements vscode.Disposable {
  private current: ConfirmCountdown | undefined;
  private readonly item = vscode.window.createStatusBarItem('nftablesOffload.remote.applyCountdown', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = 'nftables offload: confirm apply';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.command = CommandIds.confirmApply;
  }

  get pending(): boolean {
    return this.current?.state.phase === 'pending';
  }

  confirm(): boolean {
    return this.current?.confirm() ?? false;
  }

  rollback(): boolean {
    return this.current?.rollback() ?? false;
  }

  /**
   * Shows the countdown until `deadline` and resolves true (confirm) or false (roll back: the
   * button, the command, or the countdown running out). `report` gets a line per second for the
   * progress notification.
   */
  ask(router: string, deadline: number, report: (message: string) => void): Promise<boolean> {
    this.current?.dispose();
    const render = (state: CountdownState, left: number) => {
      if (state.phase === 'pending') {
        this.item.text = `$(watch) Confirm ${router}: ${left} s`;
        this.item.tooltip = `The new ruleset is live on ${router}. Click to keep it; it rolls back by itself in ${left} s.`;
        this.item.show();
        report(`Live on ${router}. Rolls back in ${left} s unless you confirm.`);
      } else {
        this.item.hide();
        report(state.phase === 'confirmed' ? 'Confirming from a new SSH connection…' : state.by === 'timeout' ? 'No confirmation: rolling back…' : 'Rolling back…');
      }
    };
    const countdown = new ConfirmCountdown(deadline, render);
    this.current = countdown;
    void vscode.commands.executeCommand('setContext', ContextKeys.applyPending, countdown.state.phase === 'pending');
    if (countdown.state.phase === 'pending') {
      const confirm = 'Confirm';
      const rollback = 'Roll back now';
      void vscode.window
        .showWarningMessage(`The new ruleset is live on ${router}. Check that you can still reach what you need, then confirm; without confirmation it rolls back in ${countdown.secondsLeft()} s.`, confirm, rollback)
        .then((b) => {
          if (b === confirm) countdown.confirm();
          else if (b === rollback) countdown.rollback();
        });
    }
    return countdown.decision.finally(() => {
      void vscode.commands.executeCommand('setContext', ContextKeys.applyPending, false);
      this.item.hide();
      countdown.dispose();
    });
  }

  dispose(): void {
    // Closing the window while asking rolls back (the router would anyway when its timer fires).
    this.current?.rollback();
    this.current?.dispose();
    this.item.dispose();
  }
}
