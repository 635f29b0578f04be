#!/usr/bin/env node
// Language server benchmark: drives the bundled server (server/out/server.js) over stdio
// and prints medians. Run `npm run build` first.
//   node test/bench/bench-lsp.mjs [--runs N]
// Budgets (issue 5): edit + textDocument/diagnostic on a 6,000-line ruleset ≤ 50 ms;
// first diagnostics on the 3.4 MB ruleset ≤ 1.5 s; completion and hover ≤ 20 ms;
// server memory ≤ 400 MB with the large file open.
// Rows with `cpu` also give the CPU time of the server's main thread for the same span
// (/proc/PID/schedstat): on a shared, loaded machine the wall time is mostly waiting for
// a core, and the CPU time says what the server itself spent.
// Diagnostics of large files come in two steps: at once this version's syntax findings
// (incremental re-parse) plus the last full analysis's findings moved through the edits,
// then, once edits pause, the full analysis and a `workspace/diagnostic/refresh`.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import rpc from 'vscode-jsonrpc/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gen = process.env.NFT_BENCH_GEN ?? path.join(root, '../shared/bench/gen-ruleset.mjs');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15);

function startServer() {
  const child = spawn(process.execPath, [path.join(root, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  // The server asks for a new pull when a background analysis finishes.
  let refreshed = () => {};
  conn.onRequest('workspace/diagnostic/refresh', () => {
    refreshed();
    return null;
  });
  conn.listen();
  const nextRefresh = () => new Promise((res) => (refreshed = res));
  return { child, conn, nextRefresh };
}

/** CPU time of the server's main (JavaScript) thread, in ms: /proc/PID/schedstat counts nanoseconds. */
function cpuMs(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

function peakMB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

async function init(conn) {
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: {} } }, initializationOptions: { settings: {} } });
  conn.sendNotification('initialized', {});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
function rss(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024;
  } catch {
    return NaN;
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nft-bench-lsp-'));
const midFile = path.join(tmp, 'mid.nft');
const bigFile = path.join(tmp, 'big.nft');
fs.writeFileSync(midFile, execFileSync(process.execPath, [gen, '--elements', '2000', '--rules', '2000'], { maxBuffer: 1 << 28 }));
fs.writeFileSync(bigFile, execFileSync(process.execPath, [gen, '--flowtable', '0'], { maxBuffer: 1 << 28 }));
const results = {};

{
  // 1. One-character edit in the middle of a 6,000-line ruleset, then pull diagnostics.
  const { child, conn, nextRefresh } = startServer();
  await init(conn);
  const uri = pathToFileURL(midFile).href;
  const text = fs.readFileSync(midFile, 'utf8');
  const lines = text.split('\n');
  const full = nextRefresh();
  let t0 = performance.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
  await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  // As a user would: the file is open and checked before typing starts.
  await full;
  results.openMidFull = performance.now() - t0;
  await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const mid = Math.floor(lines.length / 2);
  const line = lines.findIndex((l, i) => i >= mid && /^\t\t\S/.test(l));
  const times = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const ch = i % 2 === 0 ? ' ' : '';
    const c0 = cpuMs(child.pid);
    t0 = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 + i },
      contentChanges: [{ range: { start: { line, character: 2 }, end: { line, character: i % 2 === 0 ? 2 : 3 } }, text: ch }],
    });
    await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    times.push(performance.now() - t0);
    cpus.push(cpuMs(child.pid) - c0);
  }
  results.editDiagnostic = median(times);
  results.editDiagnosticCpu = median(cpus);
  // Completion and hover on the same document (no edit in between).
  const ct = [];
  const ht = [];
  for (let i = 0; i < runs; i++) {
    let t1 = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 2 } });
    ct.push(performance.now() - t1);
    t1 = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    ht.push(performance.now() - t1);
  }
  results.completion = median(ct);
  results.hover = median(ht);
  // After the last edit: the full analysis once typing pauses.
  t0 = performance.now();
  await nextRefresh();
  results.editFull = performance.now() - t0;
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  child.kill();
}
{
  // 2. Open the 3.4 MB ruleset: time to first diagnostics, to the full analysis, and memory.
  const { child, conn, nextRefresh } = startServer();
  await init(conn);
  const uri = pathToFileURL(bigFile).href;
  const text = fs.readFileSync(bigFile, 'utf8');
  const full = nextRefresh();
  const c0 = cpuMs(child.pid);
  const t0 = performance.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
  const r = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  results.openLarge = performance.now() - t0;
  results.openLargeCpu = cpuMs(child.pid) - c0;
  results.largeDiagnostics = r.items.length;
  await new Promise((res) => setTimeout(res, 500));
  results.rssMB = rss(child.pid);
  await full;
  results.openLargeFull = performance.now() - t0;
  const r2 = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  results.largeFullDiagnostics = r2.items.length;
  await new Promise((res) => setTimeout(res, 500));
  results.rssFullMB = rss(child.pid);
  results.peakMB = peakMB(child.pid);
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  child.kill();
}
fs.rmSync(tmp, { recursive: true, force: true });

const load = os.loadavg()[0];
const row = (name, v, budget, unit = 'ms', cpu) =>
  console.log(`${name.padEnd(46)} ${unit === 'ms' ? ms(v).padStart(10) : `${v.toFixed(0)} MB`.padStart(10)}${cpu === undefined ? ''.padEnd(16) : `  cpu ${cpu.toFixed(0).padStart(5)} ms`}   ${budget === undefined ? '' : `budget ${budget}${v <= budget ? '' : '  OVER'}`}`);
console.log(`lsp bench (median of ${runs}; load average ${load.toFixed(1)} on ${os.cpus().length} cores)`);
row('edit + textDocument/diagnostic (6k lines)', results.editDiagnostic, 50, 'ms', results.editDiagnosticCpu);
row('completion (6k lines)', results.completion, 20);
row('hover (6k lines)', results.hover, 20);
row('open 6k lines → full analysis (background)', results.openMidFull);
row('last edit → full analysis (after 300 ms idle)', results.editFull);
row(`open 3.4 MB → first diagnostics (${results.largeDiagnostics})`, results.openLarge, 1500, 'ms', results.openLargeCpu);
row(`open 3.4 MB → full analysis (${results.largeFullDiagnostics})`, results.openLargeFull);
row('server RSS 0.5 s after first diagnostics', results.rssMB, 400, 'MB');
row('server RSS after the full analysis', results.rssFullMB, 400, 'MB');
row('server peak RSS (VmHWM)', results.peakMB, undefined, 'MB');
