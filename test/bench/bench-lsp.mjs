#!/usr/bin/env node
// Language server benchmark: drives the bundled server (server/out/server.js) over stdio
// and prints medians. Run `npm run build` first.
//   node test/bench/bench-lsp.mjs [--runs N]
// Budgets (issue 5): edit + textDocument/diagnostic on a 6,000-line ruleset ≤ 50 ms;
// first diagnostics on the 3.4 MB ruleset ≤ 1.5 s; completion and hover ≤ 20 ms;
// server memory ≤ 400 MB with the large file open.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import rpc from 'vscode-jsonrpc/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gen = process.env.NFT_BENCH_GEN ?? '/work/shared/bench/gen-ruleset.mjs';
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 15);

function startServer() {
  const child = spawn(process.execPath, [path.join(root, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  conn.listen();
  return { child, conn };
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
  const { child, conn } = startServer();
  await init(conn);
  const uri = pathToFileURL(midFile).href;
  const text = fs.readFileSync(midFile, 'utf8');
  const lines = text.split('\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
  await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const mid = Math.floor(lines.length / 2);
  const line = lines.findIndex((l, i) => i >= mid && /^\t\t\S/.test(l));
  const times = [];
  for (let i = 0; i < runs; i++) {
    const ch = i % 2 === 0 ? ' ' : '';
    const t0 = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 + i },
      contentChanges: [{ range: { start: { line, character: 2 }, end: { line, character: i % 2 === 0 ? 2 : 3 } }, text: ch }],
    });
    await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    times.push(performance.now() - t0);
  }
  results.editDiagnostic = median(times);
  // Completion and hover on the same document (no edit in between).
  const ct = [];
  const ht = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 2 } });
    ct.push(performance.now() - t0);
    t0 = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    ht.push(performance.now() - t0);
  }
  results.completion = median(ct);
  results.hover = median(ht);
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  child.kill();
}
{
  // 2. Open the 3.4 MB ruleset: time to first diagnostics, and memory.
  const { child, conn } = startServer();
  await init(conn);
  const uri = pathToFileURL(bigFile).href;
  const text = fs.readFileSync(bigFile, 'utf8');
  const t0 = performance.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
  const r = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  results.openLarge = performance.now() - t0;
  results.largeDiagnostics = r.items.length;
  await new Promise((res) => setTimeout(res, 500));
  results.rssMB = rss(child.pid);
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  child.kill();
}
fs.rmSync(tmp, { recursive: true, force: true });

const row = (name, v, budget, unit = 'ms') => console.log(`${name.padEnd(42)} ${unit === 'ms' ? ms(v).padStart(10) : `${v.toFixed(0)} MB`.padStart(10)}   budget ${budget}${v <= budget ? '' : '  OVER'}`);
console.log(`lsp bench (median of ${runs})`);
row('edit + textDocument/diagnostic (6k lines)', results.editDiagnostic, 50);
row('completion (6k lines)', results.completion, 20);
row('hover (6k lines)', results.hover, 20);
row('open 3.4 MB → first diagnostics', results.openLarge, 1500);
row('server RSS with 3.4 MB open', results.rssMB, 400, 'MB');
