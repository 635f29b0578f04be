// Remote routers from the real VS Code UI against the netns router lab (test/remote/lab/netns-lab.ts,
// started by the runner): a real sshd and the real nft inside network namespaces. Nothing is
// mocked. The host kernel has no flowtables, so the rulesets here have none.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const { waitFor, wsUri, openEditor, shot, ui, sleep, lab: labInfo, activate, revertAndCloseAll } = require('./helpers');
const traffic = require('./lab-traffic');

const IDS = {
  connect: 'nftablesOffload.remote.connect',
  pullRuleset: 'nftablesOffload.remote.pullRuleset',
  safeApply: 'nftablesOffload.remote.safeApply',
  confirmApply: 'nftablesOffload.remote.confirmApply',
  rollbackNow: 'nftablesOffload.remote.rollbackNow',
};
const VIEW = 'nftablesOffload.routers';
const ROLLBACK_SECONDS = 20; // nftablesOffload.remote.rollbackSeconds in the runner's settings

const ruleset = (marker) => `flush ruleset
table inet lab {
\tchain input {
\t\ttype filter hook input priority filter; policy accept;
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct state established,related counter accept
\t\tmeta l4proto tcp counter accept comment "${marker}"
\t}
}
`;

/** Why the remote tests cannot run here, or undefined. */
async function skipReason(lab) {
  if (!lab) return `no router lab: ${process.env.NFO_E2E_LAB_SKIP || 'the runner did not start one'}`;
  await activate(); // the extension registers the commands when it activates
  const have = new Set(await vscode.commands.getCommands(true));
  const missing = [...Object.values(IDS), `${VIEW}.focus`].filter((c) => !have.has(c));
  return missing.length ? `the remote UI is not registered yet (missing: ${missing.join(', ')})` : undefined;
}

describe('remote routers in real VS Code (netns lab: real sshd, real nft)', function () {
  this.timeout(180000); // hang guard: an apply waits for a dialog, SSH and a 10 s rollback window
  const lab = labInfo();
  const router = lab?.routerName;
  const nft = (args, input) => execFileSync('ip', ['netns', 'exec', lab.ns.rtr, 'nft', ...args], { input, encoding: 'utf8' });
  const live = () => nft(['list', 'ruleset']);

  before(async function () {
    const why = await skipReason(lab);
    if (why) {
      console.log(`    SKIPPED: ${why}`);
      this.skip();
    }
    nft(['-f', '-'], ruleset('e2e-initial'));
    traffic.start(lab); // a bounded TCP stream lan -> wan through the router, for live flows
  });
  after(async () => {
    if (lab) traffic.stop();
    await revertAndCloseAll();
  });

  it('the Routers view connects to the lab router and pulls the live ruleset', async () => {
    await vscode.commands.executeCommand(`${VIEW}.focus`);
    await ui('widen-sidebar', { dx: 180 }); // flow rows readable in the screenshot
    await vscode.commands.executeCommand(IDS.connect, router);
    await vscode.commands.executeCommand(IDS.pullRuleset, router);
    // The pulled ruleset opens in a new (untitled) nftables editor.
    const editor = await waitFor('an editor with the live ruleset', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'file' && e.document.getText().includes('comment "e2e-initial"')));
    assert.strictEqual(editor.document.languageId, 'nftables');
    assert.match(editor.document.getText(), /table inet lab \{/);
    await sleep(2500); // one flow refresh, so the view lists the live flow
    // Expand the router in the view (a real click on its arrow), then its collapsed children.
    const collapsed = '.pane-body .monaco-list-row[aria-expanded="false"]';
    await ui('click', { selector: collapsed, text: router, exact: false, inner: '.monaco-tl-twistie' });
    for (let i = 0; i < 3; i++) await ui('click', { selector: collapsed, inner: '.monaco-tl-twistie', timeout: 2000 }).catch(() => undefined);
    await shot('routers-view', 800);
  });

  it('a safe apply, confirmed during the countdown, stays after the rollback deadline', async () => {
    const uri = wsUri('lab-confirm.nft');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(ruleset('e2e-confirmed')));
    await openEditor('lab-confirm.nft');
    // { approved: true } skips the modal "Apply?" prompt: VS Code refuses modal dialogs while
    // extension tests run ("DialogService: refused to show dialog in tests").
    const applying = vscode.commands.executeCommand(IDS.safeApply, uri, router, { approved: true });
    await waitFor('the new ruleset live on the router', () => live().includes('e2e-confirmed'), 60000);
    // The countdown: status bar item, and its notification (opened in the notification centre,
    // since a toast may already have slid away).
    await vscode.commands.executeCommand('notifications.showList');
    await shot('apply-countdown', 800);
    // Confirm the way a user does: the notification's button (the command without a driver).
    if (process.env.NFO_E2E_SHOTS) await ui('click', { selector: '.notifications-center .monaco-button', text: 'Confirm' });
    else await vscode.commands.executeCommand(IDS.confirmApply);
    await vscode.commands.executeCommand('notifications.hideList');
    const outcome = await applying;
    if (outcome) assert.strictEqual(outcome.status, 'confirmed', outcome.message);
    await sleep((ROLLBACK_SECONDS + 3) * 1000); // past the router's own rollback timer
    assert.match(live(), /e2e-confirmed/, 'the confirmed ruleset was rolled back');
  });

  it('a safe apply left unconfirmed rolls back to the previous ruleset', async () => {
    const uri = wsUri('lab-rollback.nft');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(ruleset('e2e-unconfirmed')));
    await openEditor('lab-rollback.nft');
    const applying = vscode.commands.executeCommand(IDS.safeApply, uri, router, { approved: true });
    await waitFor('the new ruleset live on the router', () => live().includes('e2e-unconfirmed'), 60000);
    // Nobody confirms: the countdown runs out and the old ruleset comes back.
    const outcome = await applying;
    if (outcome) assert.strictEqual(outcome.status, 'rolled-back', outcome.message);
    await waitFor('the previous ruleset back on the router', () => {
      const now = live();
      return !now.includes('e2e-unconfirmed') && now.includes('e2e-confirmed');
    }, (ROLLBACK_SECONDS + 20) * 1000);
  });
});
