// The offload dashboard webview with live counters. From the VM lab (a real 6.1 kernel with
// flowtables, QEMU; the runner boots it in the background when qemu is installed and writes its
// state to NFO_E2E_VM_STATE) when there is one; else from the netns lab, whose kernel has no
// flowtables, so the page must say so. Nothing is mocked.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const vscode = require('vscode');
const { waitFor, openEditor, shot, ui, sleep, lab: labInfo, activate, revertAndCloseAll } = require('./helpers');
const traffic = require('./lab-traffic');

const DASHBOARD = 'nftablesOffload.remote.dashboard';
const CONNECT = 'nftablesOffload.remote.connect';
const NETNS_RULESET = `flush ruleset
table inet lab {
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct state established,related counter accept
\t\tcounter accept
\t}
}
`;

/** The VM lab the runner booted, or why there is none. */
async function vmLab() {
  const file = process.env.NFO_E2E_VM_STATE;
  if (!file) return { reason: 'the runner did not start a VM (no qemu, or NFO_E2E_VM=0)' };
  // The VM boots in the background while the other tests run (build + boot 15-60 s), but the VM
  // lab admits one VM per machine (test/vm/lab/vm-lab.ts takes a lock), so during `npm test` it
  // may wait for the VM test files. Past this wait the dashboard is shown from the netns lab.
  const waitMs = Number(process.env.NFO_E2E_VM_WAIT_MS || 180000);
  let state;
  try {
    state = await waitFor('the VM lab to boot', () => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')), waitMs);
  } catch {
    return { reason: `the VM lab was not ready within ${waitMs / 1000} s (another VM held the lab's lock?)` };
  }
  return state.url ? { vm: state } : { reason: `the VM lab did not start: ${state.reason}` };
}

describe('offload dashboard with live counters', function () {
  this.timeout(360000);
  const lab = labInfo();

  before(async function () {
    await activate(); // the extension registers the commands when it activates
    const have = new Set(await vscode.commands.getCommands(true));
    const why = !lab ? `no router lab: ${process.env.NFO_E2E_LAB_SKIP || 'the runner did not start one'}`
      : !have.has(DASHBOARD) ? `the dashboard is not registered yet (missing: ${DASHBOARD})` : undefined;
    if (why) {
      console.log(`    SKIPPED: ${why}`);
      this.skip();
    }
  });
  after(async () => {
    traffic.stop();
    await revertAndCloseAll();
  });

  it('renders live counters and the chart (VM lab with flowtables, else the netns lab without)', async () => {
    const { vm, reason } = await vmLab();
    let router = lab.routerName;
    if (vm) {
      // The VM router joins the configured routers; its known_hosts pins the VM's host key.
      const config = vscode.workspace.getConfiguration('nftablesOffload');
      const routers = config.get('remote.routers', []).filter((r) => r.name !== 'vm-lab');
      routers.push({ name: 'vm-lab', url: vm.url, identityFile: vm.identity, knownHostsFile: vm.knownHosts });
      await config.update('remote.routers', routers, vscode.ConfigurationTarget.Global);
      router = 'vm-lab';
      console.log('    (VM lab: real flowtables, traffic started by the runner)');
    } else {
      console.log(`    (netns lab, no flowtables: ${reason})`);
      // a ruleset that uses conntrack (else the namespace tracks no flow), then traffic
      execFileSync('ip', ['netns', 'exec', lab.ns.rtr, 'nft', '-f', '-'], { input: NETNS_RULESET });
      traffic.start(lab);
    }
    await vscode.commands.executeCommand(CONNECT, router);
    await vscode.commands.executeCommand(DASHBOARD, router);
    await ui('webview-text', { pattern: `Offload dashboard: ${router}`, timeout: 60000 });
    // live flow counts, then a chart with at least two samples (the rates line)
    await ui('webview-text', { pattern: '\\d+ of [1-9]\\d* flows offloaded', timeout: 90000, hint: 'Offload dashboard' });
    await ui('webview-text', { pattern: 'now .+/s fast, .+/s slow', timeout: 90000, hint: 'Offload dashboard' });
    if (vm) {
      await ui('webview-text', { pattern: '[1-9]\\d* of \\d+ flows offloaded', timeout: 90000, hint: 'Offload dashboard' });
      await ui('webview-text', { pattern: 'flags offload|software only', hint: 'Offload dashboard' });
    } else {
      await ui('webview-text', { pattern: 'no flowtable on this router', hint: 'Offload dashboard' });
    }
    // the chart draws its lines from the third sample on; wait for them, then a few more samples
    await ui('webview-selector', { selector: '#chart polyline.fast', timeout: 90000 });
    await sleep(vm ? 10000 : 5000);
    await vscode.commands.executeCommand('workbench.action.closeSidebar'); // the page at full width
    await shot('dashboard', 500);
  });
});
