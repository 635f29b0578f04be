// Real VS Code (code-server 1.139.1), real Chromium, the packaged .vsix, the real language server,
// and for the remote tests a real sshd and nft in network namespaces. Nothing is mocked.
// This wrapper makes `npm test` run the whole e2e suite (test/e2e/suite, mocha inside the extension
// host) through test/e2e/run-code-server.mjs and fail when it fails. The first run installs
// code-server, Node 24, Chromium and vsce into .vscode-test/ (a few minutes; cached afterwards).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const FIRST_RUN_LIMIT_MS = 20 * 60_000; // hang guard: install (~4.5 min on 2 busy cores) + suite

it('e2e suite in real VS Code (code-server + Chromium) passes', async () => {
  const out: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test/e2e/run-code-server.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TEST_TIMEOUT_MS: String(10 * 60_000) },
    });
    const collect = (d: Buffer) => {
      out.push(d.toString());
      if (process.env.NFO_E2E_STREAM) process.stdout.write(d);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = out.join('');
  // The whole mocha report when something failed; else the totals and the timings line.
  const report = text.split('\n').filter((l) => !/^\s*(INFO|DONE|[│├└])|^\s+[│├└]/.test(l));
  const ok = code === 0 && /\d+ passed, 0 failed/.test(text);
  console.log((ok ? report.filter((l) => /passed, \d+ failed|^\[e2e\]/.test(l)) : report).join('\n').slice(-20_000));
  expect(code, 'run-code-server.mjs exit code (see the report above)').toBe(0);
  expect(text).toMatch(/\d+ passed, 0 failed/);
}, FIRST_RUN_LIMIT_MS);
