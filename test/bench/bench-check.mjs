#!/usr/bin/env node
// `npm run bench`: `nft-offload check` against `nft -c -f` on a large generated ruleset.
//
// 1. Generates the ruleset with ../shared/bench/gen-ruleset.mjs --flowtable 0 (the host kernel
//    has no flowtables, and nft -c would refuse the file) into a temporary directory.
// 2. Alternates runs of `bin/nft-offload.js check FILE` (run as users run `nft-offload`: executed,
//    so it starts Node with its V8 flag) and `nft -c -f FILE`, nft inside a
//    throw-away network namespace (`unshare -n`, or `ip netns add nfo-bench-<pid>` as fallback),
//    so contention from other work on the machine hits both sides alike.
// 3. Wall time from here (hrtime around the child), peak RSS from GNU time's %M (apt: `time`), or
//    else from VmHWM in /proc/<pid>/status, polled while the child runs.
// 4. Times parseRuleset alone, in-process (bundled from server/src/syntax/parse.ts).
// Writes bench/results.md. Environment: BENCH_RUNS (default 5), BENCH_GEN (generator path),
// BENCH_OUT (results file), NFT (nft binary).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const GEN = process.env.BENCH_GEN ?? join(ROOT, '../shared/bench/gen-ruleset.mjs');
const OUT = process.env.BENCH_OUT ?? join(ROOT, 'bench/results.md');
const NFT = process.env.NFT ?? (existsSync('/usr/sbin/nft') ? '/usr/sbin/nft' : 'nft');
const CLI = join(ROOT, 'server/out/cli.js');
const BIN = join(ROOT, 'bin/nft-offload.js');
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const tmp = mkdtempSync(join(tmpdir(), 'nfo-bench-'));
let netns;
const cleanup = () => {
  if (netns) spawnSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

if (!existsSync(CLI)) fail(`${CLI} is missing: run \`npm run build\` first`);
const file = join(tmp, 'bench.nft');
const gen = spawnSync(process.execPath, [GEN, '--flowtable', '0'], { maxBuffer: 1 << 30 });
if (gen.status !== 0) fail(`generator failed: ${gen.stderr}`);
writeFileSync(file, gen.stdout);
const size = statSync(file).size;
log(`ruleset: ${(size / 1e6).toFixed(2)} MB, ${gen.stdout.toString().split('\n').length} lines (${GEN} --flowtable 0)`);

// nft needs CAP_NET_ADMIN; a fresh namespace keeps the host's ruleset out of it.
let nsPrefix;
if (spawnSync('unshare', ['-n', 'true']).status === 0) nsPrefix = ['unshare', '-n'];
else {
  netns = `nfo-bench-${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', netns]).status !== 0) fail('cannot create a network namespace (needs root): nft -c cannot run');
  nsPrefix = ['ip', 'netns', 'exec', netns];
}

/** Runs a command; resolves to { ms, rssKb, code, stderr }. */
function measure(cmd, args) {
  return new Promise((done, reject) => {
    const timed = GNU_TIME ? [GNU_TIME, ['-f', '@@RSS %M %U %S', cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const child = spawn(timed[0], timed[1], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let hwm = 0;
    child.stderr.on('data', (d) => (stderr += d));
    // Without GNU time: poll VmHWM (the kernel's own peak RSS) while the child lives.
    const poll = GNU_TIME ? undefined : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 5);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      const m = /@@RSS (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      const cpuMs = m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN;
      done({ ms, cpuMs, rssKb: m ? Number(m[1]) : hwm, code, stderr: stderr.replace(/@@RSS .*\n?/, '') });
    });
  });
}

const ours = [];
const theirs = [];
for (let i = 0; i < RUNS; i++) {
  const a = await measure(BIN, ['check', file]);
  if (a.code !== 0) fail(`nft-offload check exited ${a.code}: ${a.stderr}`);
  ours.push(a);
  const b = await measure(nsPrefix[0], [...nsPrefix.slice(1), NFT, '-c', '-f', file]);
  if (b.code !== 0) fail(`nft -c exited ${b.code}: ${b.stderr}`);
  theirs.push(b);
  log(`run ${i + 1}/${RUNS}: nft-offload ${fmtS(a.ms)} (cpu ${fmtS(a.cpuMs)}) ${fmtMb(a.rssKb)} | nft -c ${fmtS(b.ms)} (cpu ${fmtS(b.cpuMs)}) ${fmtMb(b.rssKb)}`);
}

// parseRuleset alone, in one process: the parser's share of the CLI's time.
const parseBundle = join(tmp, 'parse-only.cjs');
await esbuild.build({
  stdin: {
    resolveDir: ROOT,
    loader: 'ts',
    contents: `
      import { readFileSync } from 'node:fs';
      import { parseRuleset } from './server/src/syntax/parse';
      const text = readFileSync(process.argv[2], 'utf8');
      const t0 = performance.now();
      parseRuleset('table ip t {\\n}\\n');
      const init = performance.now() - t0;
      const times: number[] = [];
      let tokens = 0;
      for (let i = 0; i < Number(process.argv[3]); i++) {
        const t = performance.now();
        const r = parseRuleset(text);
        times.push(performance.now() - t);
        tokens = r.tokens.length;
        if (r.findings.length) throw new Error('unexpected findings: ' + r.findings[0].message);
      }
      console.log(JSON.stringify({ init, times, tokens, rssKb: Math.round(process.memoryUsage().rss / 1024) }));
    `,
  },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: parseBundle, logLevel: 'warning',
  // As in esbuild.mjs: production bundles skip Chevrotain's grammar validations.
  define: { 'process.env.NODE_ENV': '"production"' },
});
const p = spawnSync(process.execPath, [parseBundle, file, String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (p.status !== 0) fail(`parse-only run failed: ${p.stderr}`);
const parse = JSON.parse(p.stdout);
log(`parseRuleset in-process: ${parse.times.map(fmtS).join(', ')} (first call / grammar set-up ${fmtS(parse.init)})`);

const med = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const oursMs = med(ours.map((r) => r.ms));
const nftMs = med(theirs.map((r) => r.ms));
const oursRss = med(ours.map((r) => r.rssKb));
const nftRss = med(theirs.map((r) => r.rssKb));
const oursCpu = med(ours.map((r) => r.cpuMs));
const nftCpu = med(theirs.map((r) => r.cpuMs));
const ratio = oursMs / nftMs;
const timeOk = ratio <= 0.25;
const memOk = oursRss < nftRss;
const nftVersion = spawnSync(NFT, ['--version'], { encoding: 'utf8' }).stdout.trim();

const md = `# Benchmark: \`nft-offload check\` vs \`nft -c -f\`

Generated by \`npm run bench\` (test/bench/bench-check.mjs) on ${new Date().toISOString().slice(0, 10)}.

- Input: \`node gen-ruleset.mjs --flowtable 0\`, ${(size / 1e6).toFixed(2)} MB, ${parse.tokens.toLocaleString('en-US')} tokens.
- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${nftVersion}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}.
- ${RUNS} alternating runs each; wall time measured around the child process; peak RSS from ${GNU_TIME ? 'GNU time `%M`' : 'VmHWM polled from /proc'}.
- nft ran as \`${[...nsPrefix, 'nft', '-c', '-f', 'FILE'].join(' ')}\` (fresh network namespace).

| | median wall time | median CPU (user+sys) | peak RSS (median) | wall time, all runs |
| --- | ---: | ---: | ---: | --- |
| \`nft-offload check FILE\` | ${fmtS(oursMs)} | ${fmtS(oursCpu)} | ${fmtMb(oursRss)} | ${ours.map((r) => fmtS(r.ms)).join(', ')} |
| \`nft -c -f FILE\` | ${fmtS(nftMs)} | ${fmtS(nftCpu)} | ${fmtMb(nftRss)} | ${theirs.map((r) => fmtS(r.ms)).join(', ')} |
| \`parseRuleset\` alone (in-process, warm parser) | ${fmtS(med(parse.times))} | | ${fmtMb(parse.rssKb)} (process, after ${RUNS} parses) | ${parse.times.map(fmtS).join(', ')} |

- Ratio ours / nft (wall time): **${ratio.toFixed(2)}** (target ≤ 0.25: ${timeOk ? 'met' : '**not met**'}); CPU time (user+sys) ratio ${(oursCpu / nftCpu).toFixed(2)} (ours includes V8 GC and compiler helper threads).
- Peak memory: ours ${fmtMb(oursRss)} vs nft ${fmtMb(nftRss)} (target: lower than nft: ${memOk ? 'met' : '**not met**'}).
- First \`parseRuleset\` call (builds the Chevrotain parser): ${fmtS(parse.init)}.
`;
// Hand-written analysis below the marker survives a re-run.
const MARKER = '<!-- notes: kept by bench-check.mjs -->';
const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
const notes = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER)) : `${MARKER}\n`;
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${md}\n${notes}`);
log(`\n${md}\nwritten to ${OUT}`);

function fmtS(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  return `${(ms / 1000).toFixed(2)} s`;
}
function fmtMb(kb) {
  return `${Math.round(kb / 1024)} MB`;
}
function log(s) {
  process.stdout.write(`${s}\n`);
}
function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}
