// Read-only documents `nftables-live:/<router>/live-ruleset.nft` holding the last pulled live
// ruleset of a router (the left side of "Diff with router"). The `.nft` ending gives them the
// nftables language; the language client only serves file/untitled documents, so none are analysed.
import * as vscode from 'vscode';
import { LIVE_RULESET_SCHEME } from '../commands/command-ids';

export class LiveRulesetProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  static uriFor(router: string): vscode.Uri {
    return vscode.Uri.from({ scheme: LIVE_RULESET_SCHEME, path: `/${encodeURIComponent(router)}/live-ruleset.nft` });
  }

  set(router: string, text: string): vscode.Uri {
    const uri = LiveRulesetProvider.uriFor(router);
    this.texts.set(router, text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const router = decodeURIComponent(uri.path.split('/')[1] ?? '');
    return this.texts.get(router) ?? '# not pulled yet: run "Pull live ruleset" or "Diff with router"\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}
