#!/usr/bin/env node
// Runs the same e2e suite (test/e2e/suite) in a desktop VS Code downloaded by @vscode/test-electron,
// for machines that can reach update.code.visualstudio.com (this project's CI machines cannot:
// there `npm test` uses run-code-server.mjs). The packaged .vsix is installed into a throwaway
// extensions dir first, so this also tests what users get. No screenshots: those need the
// Playwright driver of run-code-server.mjs (the suite's `shot`/`ui` helpers are no-ops here).
//
// Usage: node test/e2e/run-test-electron.mjs [--grep REGEXP]   (npm run test:e2e-electron)
//   env VSCODE_VERSION (default 1.139.1, the code-server build's VS Code), NFO_E2E_VSIX=path.
//   On Linux without a display run it under `xvfb-run -a`.
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { HOST_EXTENSION, packagedVsix, prepareRun, ROOT, run, startVmLabInBackground, SUITE_ENTRY } from './prepare-run.mjs';

const RUN = join(ROOT, '.vscode-test/runs', String(process.pid));
const i = process.argv.indexOf('--grep');
const grep = i > 0 ? process.argv[i + 1] : (process.env.NFO_E2E_GREP ?? '');

let lab;
let vm;
let status = 2;
try {
  const vsix = packagedVsix();
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version: process.env.VSCODE_VERSION || '1.139.1',
      cachePath: join(ROOT, '.vscode-test'),
    });
  } catch (e) {
    throw new Error(`cannot download VS Code (${e.message}); on machines without access to ` +
      'update.code.visualstudio.com use `npm run test:e2e` (code-server from npm)');
  }
  const prep = await prepareRun(RUN, { grep });
  lab = prep.lab;
  vm = startVmLabInBackground(RUN);
  if (vm) prep.env.NFO_E2E_VM_STATE = vm.stateFile;
  const profile = ['--user-data-dir', prep.userDataDir, '--extensions-dir', prep.extensionsDir];
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  // resolveCliArgs adds its own --extensions-dir/--user-data-dir; ours come last and win.
  run(cli, [...cliArgs, ...profile, '--install-extension', vsix]);
  status = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: HOST_EXTENSION, // an empty extension: the one under test is the .vsix
    extensionTestsPath: SUITE_ENTRY,
    extensionTestsEnv: prep.env,
    launchArgs: [prep.ws, ...profile, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  }).then(() => 0, (e) => {
    console.error(`[e2e-electron] ${e.message ?? e}`);
    return 1;
  });
} catch (e) {
  console.error(`[e2e-electron] ${e.message ?? e}`);
} finally {
  lab?.down();
  await vm?.down();
}
process.exit(status);
