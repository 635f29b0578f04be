// What both e2e runners (run-code-server.mjs, run-test-electron.mjs) prepare before starting
// VS Code: the packaged .vsix, a fresh run folder (user settings, extensions dir, a copy of
// examples/ as the workspace, since the tests edit files), the netns router lab, and the
// environment the suite reads.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HOST_EXTENSION = join(ROOT, 'test/e2e/host');
export const SUITE_ENTRY = join(ROOT, 'test/e2e/suite/index.js');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** `npm run package`'s .vsix (built now), or the one named by NFO_E2E_VSIX. */
export function packagedVsix() {
  if (process.env.NFO_E2E_VSIX) return resolve(process.env.NFO_E2E_VSIX);
  run('bash', [join(ROOT, 'scripts/package.sh')]);
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const vsix = join(ROOT, `nftables-offload-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} not found`);
  return vsix;
}

/** The netns router lab of the SSH tests (test/remote/lab/netns-lab.ts), bundled on the fly. */
async function startLab(runDir) {
  if (process.getuid?.() !== 0) return { labSkip: 'not root: the netns router lab needs root' };
  for (const tool of ['ip', 'sshd', 'socat', 'nft']) {
    const where = spawnSync('sh', ['-c', 'command -v "$1" || test -x "/usr/sbin/$1"', 'sh', tool]);
    if (where.status !== 0) return { labSkip: `${tool} is not installed` };
  }
  const esbuild = await import('esbuild');
  const out = join(runDir, 'netns-lab.cjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/remote/lab/netns-lab.ts')], bundle: true, platform: 'node', format: 'cjs',
    outfile: out, logLevel: 'warning',
  });
  const { netnsLabUp } = createRequire(import.meta.url)(out);
  return { lab: await netnsLabUp() };
}

/**
 * Makes `runDir` afresh: ud/User/settings.json, exts/, ws/ (copy of examples/), and starts the lab.
 * Returns the lab (call `lab.down()` when done) and the extension host environment for the suite.
 */
export async function prepareRun(runDir, { shots = '', grep = '' } = {}) {
  rmSync(runDir, { recursive: true, force: true });
  for (const d of ['ud/User', 'exts', 'ws']) mkdirSync(join(runDir, d), { recursive: true });
  if (shots) mkdirSync(shots, { recursive: true });
  cpSync(join(ROOT, 'examples'), join(runDir, 'ws'), { recursive: true });
  const { lab, labSkip } = await startLab(runDir);
  const routerName = 'netns-lab';
  const routers = lab ? [{ name: routerName, url: lab.url, identityFile: lab.identity, knownHostsFile: lab.knownHosts }] : [];
  const extensionSettings = {
    'nftablesOffload.remote.routers': routers,
    // short, so the rollback test waits little, yet long enough to confirm on a loaded machine
    'nftablesOffload.remote.rollbackSeconds': 20,
  };
  // Both settings are machine-overridable: in a remote window (code-server) VS Code reads them from
  // the remote machine's settings (ud/Machine), not the user's; a desktop VS Code reads ud/User.
  mkdirSync(join(runDir, 'ud/Machine'), { recursive: true });
  writeFileSync(join(runDir, 'ud/Machine/settings.json'), JSON.stringify(extensionSettings, null, 2));
  writeFileSync(join(runDir, 'ud/User/settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'security.workspace.trust.enabled': false,
    'window.restoreWindows': 'none',
    'editor.minimap.enabled': false,
    'editor.stickyScroll.enabled': false,
    // Tests edit workspace files and revert them afterwards; nothing may reach the disk. A rename
    // saves the files it changed by default (files.refactoring.autoSave), which once left the
    // renamed set in home-router.nft for every later test to see.
    'files.autoSave': 'off',
    'files.refactoring.autoSave': false,
    ...extensionSettings,
  }, null, 2));
  const env = {
    NFO_E2E_SHOTS: shots,
    NFO_E2E_GREP: grep,
    NFO_E2E_LAB: lab ? JSON.stringify({ url: lab.url, identity: lab.identity, knownHosts: lab.knownHosts, ns: lab.ns, routerName }) : '',
    NFO_E2E_LAB_SKIP: labSkip ?? '',
  };
  return {
    lab, env, ws: join(runDir, 'ws'), userDataDir: join(runDir, 'ud'), extensionsDir: join(runDir, 'exts'),
  };
}

// The VM router: flowtable `ft` on both router ports with `counter` (so offloaded flows keep
// counting, offload.md §3), `flow add` before the established rule, and bounded iperf3 traffic
// lan -> wan (4 Mbit/s for at most 10 minutes; the VM dies with the run anyway).
const VM_SETUP = `set -e
nft -f - <<'RULES'
flush ruleset
table inet lab {
	flowtable ft {
		hook ingress priority filter; devices = { rlan, rwan }
		counter
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta l4proto { tcp, udp } flow add @ft
		ct state established,related counter accept
		counter accept comment "new flows"
	}
}
RULES
sysctl -qw net.netfilter.nf_conntrack_acct=1 || true
ip netns exec wan iperf3 --server --daemon --bind 10.10.2.2
sleep 1
ip netns exec lan iperf3 --client 10.10.2.2 --bitrate 4M --time 600 </dev/null >/dev/null 2>&1 &
`;

/**
 * Boots the VM lab (test/vm/lab/vm-lab.ts: a real 6.1 kernel with flowtables under QEMU) in the
 * background for the dashboard test, and writes its state (url, identity, knownHosts, or a reason)
 * to `<runDir>/vm-lab.json`, which the suite polls. Undefined when there is nothing to boot for:
 * no qemu, NFO_E2E_VM=0, no VM lab module, or no dashboard contributed yet.
 */
export function startVmLabInBackground(runDir) {
  const moduleFile = join(ROOT, 'test/vm/lab/vm-lab.ts');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const hasDashboard = (pkg.contributes?.commands ?? []).some((c) => c.command === 'nftablesOffload.remote.dashboard');
  if (process.env.NFO_E2E_VM === '0' || !hasDashboard || !existsSync(moduleFile)) return undefined;
  if (spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status !== 0) return undefined;
  const stateFile = join(runDir, 'vm-lab.json');
  let lab;
  const ready = (async () => {
    try {
      const esbuild = await import('esbuild');
      const out = join(runDir, 'vm-lab.cjs');
      await esbuild.build({
        entryPoints: [moduleFile], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning',
        external: ['cpu-features', '*.node'],
        // the module finds vm-build.sh and the repository from its own folder
        define: { __dirname: JSON.stringify(dirname(moduleFile)) },
      });
      const t0 = Date.now();
      lab = await createRequire(import.meta.url)(out).vmLabUp();
      await lab.ok(VM_SETUP, 60_000);
      writeFileSync(stateFile, JSON.stringify({ url: lab.url, identity: lab.identity, knownHosts: lab.knownHosts, timings: lab.timings, readyMs: Date.now() - t0 }));
      console.log(`[e2e] VM lab up in ${((Date.now() - t0) / 1000).toFixed(1)}s (${JSON.stringify(lab.timings)})`);
    } catch (e) {
      writeFileSync(stateFile, JSON.stringify({ reason: String(e.message ?? e).split('\n')[0] }));
    }
  })();
  return {
    stateFile,
    async down() {
      // A VM still waiting for the lab's lock (or booting) when the suite ends is not waited for:
      // its lock holder and qemu are this process's children, stopped here by name.
      await Promise.race([ready, new Promise((r) => setTimeout(r, 15000))]);
      if (lab) return lab.down();
      for (const name of ['qemu-system-x86_64', 'flock']) {
        const pids = spawnSync('pgrep', ['-P', String(process.pid), '-x', name], { encoding: 'utf8' }).stdout ?? '';
        for (const pid of pids.split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch { /* gone */ }
        }
      }
    },
  };
}
