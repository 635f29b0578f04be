/**
 * Safe apply from the editor: preview (where the rules go on OpenWrt fw4, where live flows would
 * go) → modal "Apply" → the engine's check → snapshot → rollback timer → apply → countdown with
 * Confirm / Roll back now → the engine confirms from a NEW connection (safe-apply.ts
 * `beforeConfirm`). The countdown ends a margin before the router's own timer
 * (confirm-countdown.ts); when it ends unanswered the engine rolls back at once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectRouterProfile, prepareUpload, safeApply, type ApplyOutcome } from '../../../server/src/remote';
import { previewApply } from '../../../server/src/preview';
import type { ApplyCountdownUi } from '../remote/apply-ui';
import { userDeadline } from '../remote/confirm-countdown';
import { routerTarget } from '../remote/connect-options';
import type { RouterHub } from '../remote/router-hub';
import { readSettings } from '../settings';
import { findingsToDiagnostics } from './document-commands';
import { documentCommandArgs, pickNftablesDocument, pickRouter } from './pick-router';

interface Preflight {
  notes: string[];
  error?: string;
  preview?: string;
}

/** What the user should know before saying "Apply"; never fails (a failed preview is a note). */
async function preflight(hub: RouterHub, name: string, text: string, file: string): Promise<Preflight> {
  const session = await hub.connect(name);
  const profile = await detectRouterProfile(session);
  const prep = prepareUpload(text, profile.fw4, profile.openwrt);
  if (prep.error) return { notes: [], error: prep.error };
  const out: Preflight = { notes: [...prep.notes] };
  try {
    out.preview = await previewApply(session, file, text, hub.get(name)?.facts);
  } catch (e) {
    out.notes.push(`no hardware preview: ${(e as Error).message}`);
  }
  return out;
}

export async function runSafeApply(
  hub: RouterHub, ui: ApplyCountdownUi, diagnostics: vscode.DiagnosticCollection, log: vscode.OutputChannel, args: unknown[],
): Promise<ApplyOutcome | undefined> {
  if (ui.pending) {
    void vscode.window.showWarningMessage('Another apply is waiting for confirmation; confirm or roll it back first.');
    return undefined;
  }
  const a = documentCommandArgs(args);
  const doc = await pickNftablesDocument(a.uri);
  if (!doc) return undefined;
  const name = await pickRouter(hub, a.router, 'Apply to', true);
  if (!name) return undefined;
  const text = doc.getText();
  const file = doc.uri.fsPath || doc.uri.toString();
  const base = path.basename(doc.uri.path);
  const secs = Math.max(10, Math.floor(readSettings().remote.rollbackSeconds));

  let pre: Preflight;
  try {
    pre = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Preparing to apply ${base} to ${name}…` }, () => preflight(hub, name, text, file));
  } catch (e) {
    void vscode.window.showErrorMessage(`${name}: ${(e as Error).message}`);
    return undefined;
  }
  if (pre.error) {
    void vscode.window.showErrorMessage(`${name}: ${pre.error}`, { modal: true });
    return undefined;
  }
  const detail = [
    `The router checks the ruleset with nft -c, snapshots the live ruleset, arms a ${secs} s rollback timer and applies. ` +
      `You then confirm (from a new SSH connection); without confirmation the old ruleset comes back. Nothing is written to the router's boot configuration.`,
    ...pre.notes,
    ...(pre.preview ? [pre.preview] : []),
  ].join('\n\n');
  const go = 'Apply';
  // `(uri, router, { approved: true })`, from code only (tasks, other extensions, the e2e suite,
  // where VS Code refuses modal dialogs): skips this prompt; the confirm countdown still guards.
  const approved = (args[2] as { approved?: unknown } | undefined)?.approved === true;
  if (!approved && (await vscode.window.showWarningMessage(`Apply ${base} to ${name}?`, { modal: true, detail }, go)) !== go) return undefined;

  const target = routerTarget(hub.get(name)!.setting);
  if ('error' in target) {
    void vscode.window.showErrorMessage(`${name}: ${target.error}`);
    return undefined;
  }
  diagnostics.delete(doc.uri);
  let armedAt = Date.now();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Safe apply to ${name}` },
    (progress) =>
      safeApply({
        connect: () => hub.newConnection(name),
        target,
        ruleset: text,
        file,
        rollbackAfterSeconds: secs,
        log: (m) => {
          log.appendLine(m);
          // safe-apply.ts logs this line right before it arms the router's timer (`armedAt`).
          if (/arming rollback/.test(m)) armedAt = Date.now();
          progress.report({ message: m.replace(/^[^:]*: /, '') });
        },
        beforeConfirm: () => ui.ask(name, userDeadline(secs, armedAt), (message) => progress.report({ message })),
      }),
  );
  for (const n of outcome.notes) log.appendLine(`${name}: note: ${n}`);
  log.appendLine(`${name}: ${outcome.status}: ${outcome.message}`);
  if (outcome.findings.length) diagnostics.set(doc.uri, findingsToDiagnostics(doc, outcome.findings, name));
  if (outcome.status === 'confirmed') void vscode.window.showInformationMessage(`${name}: ${base} applied and confirmed. ${outcome.notes.join(' ')}`.trim());
  else if (outcome.status === 'rolled-back') void vscode.window.showWarningMessage(`${name}: ${outcome.message}`);
  else void vscode.window.showErrorMessage(`${name}: ${outcome.message}`);
  void hub.refresh(name, { pull: true });
  return outcome;
}
