// Pull, diff and check: the read-only remote operations on the active nftables document.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkRemote, pullRuleset } from '../../../server/src/remote';

/** The shape of a finding as `checkRemote` returns it (core's Finding, without importing core). */
type Finding = Awaited<ReturnType<typeof checkRemote>>['findings'][number];
import { LiveRulesetProvider } from '../remote/live-ruleset-provider';
import type { RouterHub } from '../remote/router-hub';
import { documentCommandArgs, pickNftablesDocument, pickRouter } from './pick-router';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Router findings on the local document (nft's messages for other files land at its start). */
export function findingsToDiagnostics(doc: vscode.TextDocument, findings: Finding[], router: string): vscode.Diagnostic[] {
  return findings.map((f) => {
    const range = new vscode.Range(doc.positionAt(f.span.start), doc.positionAt(f.span.end));
    const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
    d.code = f.code;
    d.source = `nft on ${router}`;
    return d;
  });
}

async function withProgress<T>(title: string, task: () => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
}

export async function pullLiveRuleset(hub: RouterHub, live: LiveRulesetProvider, arg: unknown): Promise<void> {
  const name = await pickRouter(hub, arg, 'Pull the live ruleset of');
  if (!name) return;
  const text = await withProgress(`Pulling the live ruleset of ${name}…`, async () => pullRuleset(await hub.connect(name)));
  if (text === undefined) return;
  live.set(name, text);
  const doc = await vscode.workspace.openTextDocument({ language: 'nftables', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
}

export async function diffWithRouter(hub: RouterHub, live: LiveRulesetProvider, args: unknown[]): Promise<void> {
  const a = documentCommandArgs(args);
  const doc = await pickNftablesDocument(a.uri);
  if (!doc) return;
  const name = await pickRouter(hub, a.router, 'Diff with the live ruleset of', true);
  if (!name) return;
  const text = await withProgress(`Pulling the live ruleset of ${name}…`, async () => pullRuleset(await hub.connect(name)));
  if (text === undefined) return;
  const left = live.set(name, text);
  await vscode.commands.executeCommand('vscode.diff', left, doc.uri, `${name} (live) ↔ ${path.basename(doc.uri.path)}`);
}

export async function checkOnRouter(hub: RouterHub, diagnostics: vscode.DiagnosticCollection, args: unknown[]): Promise<void> {
  const a = documentCommandArgs(args);
  const doc = await pickNftablesDocument(a.uri);
  if (!doc) return;
  const name = await pickRouter(hub, a.router, 'Check with nft -c on', true);
  if (!name) return;
  const text = doc.getText();
  const r = await withProgress(`nft -c on ${name}…`, async () => checkRemote(await hub.connect(name), text, doc.uri.fsPath || doc.uri.toString()));
  if (!r) return;
  diagnostics.set(doc.uri, findingsToDiagnostics(doc, r.findings, name));
  if (r.ok) void vscode.window.showInformationMessage(`${path.basename(doc.uri.path)}: accepted by nft -c on ${name}.`);
  else void vscode.window.showErrorMessage(`${path.basename(doc.uri.path)}: nft -c on ${name} reported ${r.findings.length || 'an'} error${r.findings.length === 1 ? '' : 's'}${r.findings.length ? '' : `: ${r.stderr.trim()}`}.`);
}
