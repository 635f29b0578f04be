// Drives the BUILT `nft-offload` binary (bin/nft-offload.js → server/out/cli.js) as a child
// process, with the real `nft` where a test says --nft. Nothing is mocked: the "nft absent" case
// points --nft-path at a path that does not exist, the "not permitted" case drops root with setpriv.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/nft-offload.js');
const FIX = 'test/cli/fixtures';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { prefix?: string[]; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const [cmd, ...pre] = opts.prefix?.length ? opts.prefix : [process.execPath];
  const argv = opts.prefix?.length ? [...pre, process.execPath, BIN, ...args] : [BIN, ...args];
  const env = { ...process.env, NO_COLOR: '1', NFT_OFFLOAD_NFT: '', ...opts.env };
  const r = spawnSync(cmd, argv, { cwd: ROOT, env, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Expected files hold no machine paths (bash-language-server's __REPO_ROOT_FOLDER__). */
const normalize = (s: string) => s.split(ROOT).join('<REPO>');

const canUnshare = (() => {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return existsSync('/usr/sbin/nft') || spawnSync('nft', ['--version']).status === 0;
  } catch {
    return false;
  }
})();
const canDropRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

beforeAll(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

describe('nft-offload check (human output)', () => {
  it('valid ruleset: no findings, exit 0', async () => {
    const r = run(['check', `${FIX}/valid.nft`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(normalize(r.stdout)).toMatchFileSnapshot('__expected__/valid.txt');
  });

  it('two syntax errors: compiler-style lines with source and carets, exit 1', async () => {
    const r = run(['check', `${FIX}/two-syntax-errors.nft`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    await expect(normalize(r.stdout)).toMatchFileSnapshot('__expected__/two-syntax-errors.txt');
  });

  it('no colour codes unless stdout is a TTY, even without NO_COLOR', () => {
    const r = run(['check', `${FIX}/two-syntax-errors.nft`], { env: { NO_COLOR: '' } });
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('several files: one summary for all of them', () => {
    const r = run(['check', `${FIX}/valid.nft`, `${FIX}/two-syntax-errors.nft`]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 errors, 0 warnings in 2 files');
  });

  it('reads standard input for `-`', () => {
    const r = run(['check', '-'], { input: 'table ip t {\n\tchain c {\n\t\tip daddr 10.0.0.1 jump\n\t}\n}\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:3:25: error SYN001: /);
  });

  it('findings inside an included file are reported under that file (include found next to the entry)', () => {
    const r = run(['check', '--json', `${FIX}/with-include/main.nft`]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.files.map((f: { path: string; diagnostics: { code: string }[] }) => [f.path, f.diagnostics.map((d) => d.code)])).toEqual([
      [`${FIX}/with-include/main.nft`, []],
      [`${FIX}/with-include/rules/forward.nft`, [expect.stringMatching(/^SEM\d{3}$/)]],
    ]);
    expect(j.files[1].diagnostics[0].range.start).toEqual({ line: 3, character: 22 });
  });

  it('bundled example examples/home-router.nft (README quick start)', async () => {
    const r = run(['check', 'examples/home-router.nft']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(normalize(r.stdout)).toMatchFileSnapshot('__expected__/home-router.txt');
  });
});

describe('nft-offload check --json', () => {
  it('valid ruleset', async () => {
    const r = run(['check', '--json', `${FIX}/valid.nft`]);
    expect(r.code).toBe(0);
    await expect(normalize(r.stdout)).toMatchFileSnapshot('__expected__/valid.json');
  });

  it('two syntax errors: 0-based LSP ranges, exit 1', async () => {
    const r = run(['check', '--json', resolve(ROOT, FIX, 'two-syntax-errors.nft')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.files).toHaveLength(1);
    expect(j.files[0].diagnostics.map((d: { code: string; severity: string }) => `${d.code} ${d.severity}`)).toEqual(['SYN001 error', 'SYN001 error']);
    // `tcp dport 22 counter packets accept` on line 6 (0-based 5): `accept` at columns 31..37.
    expect(j.files[0].diagnostics[0].range).toEqual({ start: { line: 5, character: 31 }, end: { line: 5, character: 37 } });
    await expect(normalize(r.stdout)).toMatchFileSnapshot('__expected__/two-syntax-errors.json');
  });
});

describe('exit status 2: usage and I/O problems', () => {
  it('missing file: one line, no stack trace; the other files are still checked', () => {
    const r = run(['check', `${FIX}/does-not-exist.nft`, `${FIX}/valid.nft`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`nft-offload: cannot read ${FIX}/does-not-exist.nft: No such file or directory\n`);
    expect(r.stdout).toBe('0 errors, 0 warnings in 1 file\n');
  });

  it('usage errors', () => {
    const noFile = run(['check']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^nft-offload: check needs at least one FILE\nusage: nft-offload check /);
    const badOpt = run(['check', '--frobnicate', `${FIX}/valid.nft`]);
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr.split('\n')[0]).toBe('nft-offload: unknown option --frobnicate');
    expect(run([]).code).toBe(2);
    expect(run(['frobnicate']).stderr.split('\n')[0]).toBe('nft-offload: unknown command "frobnicate"');
    const explain = run(['explain']);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain('usage: nft-offload explain FILE');
    expect(run(['lsp'])).toMatchObject({ code: 2, stderr: 'usage: nft-offload lsp --stdio\n' });
    // `remote` lives in a bundle of its own (server/out/cli-remote.js): this loads it.
    const remote = run(['remote']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('usage: nft-offload remote <check|apply|pull|diff|flows>');
  });

  it('--help and --version exit 0', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: nft-offload <command>/);
    expect(help.stdout).toContain('check [--json] [--nft] FILE...');
    const version = run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^nft-offload \d+\.\d+\.\d+\n$/);
  });
});

describe('the launcher (bin/nft-offload.js run as a program, as npm links it)', () => {
  it('runs through a symlink, passes stdin, argv and the exit status, and starts Node with its flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfo-bin-'));
    const link = join(dir, 'nft-offload');
    symlinkSync(BIN, link);
    try {
      const bad = spawnSync(link, ['check', '-'], { cwd: ROOT, input: 'table ip t {\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/error SYN001/);
      const ok = spawnSync(link, ['check', 'examples/home-router.nft'], { cwd: ROOT, encoding: 'utf8' });
      expect(ok.status).toBe(0);
      // The shell execs Node in its own process: its command line carries the V8 flag.
      const { spawn } = await import('node:child_process');
      const lsp = spawn(link, ['lsp', '--stdio'], { cwd: ROOT });
      try {
        let cmdline = '';
        for (let i = 0; i < 50 && !cmdline.includes('cli.js') && !cmdline.includes('nft-offload'); i++) {
          await new Promise((r) => setTimeout(r, 100));
          cmdline = readFileSync(`/proc/${lsp.pid}/cmdline`, 'utf8').split('\0').join(' ');
        }
        expect(cmdline).toMatch(/node --max-semi-space-size=4 \S*nft-offload lsp --stdio/);
      } finally {
        lsp.kill();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the start-up snapshot for check (bin/nft-offload.js, server/src/cli/snapshot-main.ts)', () => {
  /** The launcher run as a program; `snapshot: false` sets NFT_OFFLOAD_NO_SNAPSHOT. */
  const launch = (bin: string, args: string[], snapshot: boolean, input = '') => {
    const env = { ...process.env, NO_COLOR: '1', NFT_OFFLOAD_NFT: '', NFT_OFFLOAD_NO_SNAPSHOT: snapshot ? '' : '1' };
    const r = spawnSync(bin, args, { cwd: ROOT, env, input, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  /** The command line of a launched `check -` while it waits for its input. */
  const commandLine = async (bin: string, env: NodeJS.ProcessEnv = {}): Promise<string> => {
    const { spawn } = await import('node:child_process');
    const child = spawn(bin, ['check', '-'], { cwd: ROOT, env: { ...process.env, ...env } });
    try {
      let cmdline = '';
      for (let i = 0; i < 50 && !/nft-offload\S* check/.test(cmdline); i++) {
        await new Promise((r) => setTimeout(r, 100));
        cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
      }
      return cmdline;
    } finally {
      child.stdin.end('table ip t {\n}\n');
      await new Promise((done) => child.on('close', done));
    }
  };

  it('is used when the build made it with this Node', async () => {
    expect(await commandLine(BIN)).toMatch(/node --snapshot-blob \S*server\/out\/check\.blob --max-semi-space-size=4 \S*nft-offload\.js check -/);
    expect(await commandLine(BIN, { NFT_OFFLOAD_NO_SNAPSHOT: '1' })).toMatch(/node --max-semi-space-size=4 \S*nft-offload\.js check -/);
  });

  it.each([
    [['check', 'examples/home-router.nft']],
    [['check', '--json', `${FIX}/two-syntax-errors.nft`, 'examples/home-router.nft']],
    [['check', `${FIX}/two-syntax-errors.nft`]],
    [['check', 'no/such/file.nft']],
    [['check', '--nft-path', '/nonexistent/nft', 'examples/home-router.nft']],
    [['check', '--bogus']],
    [['check', '--help']],
    [['check', '-']],
  ])('gives what cli.js gives: %j', (args) => {
    const input = 'table ip t {\n\tchain c {\n\t\tjump nowhere\n\t}\n'; // for `-`
    const fromSnapshot = launch(BIN, args, true, input);
    const fromBundle = launch(BIN, args, false, input);
    expect(fromSnapshot).toEqual(fromBundle);
    expect(fromSnapshot.stdout + fromSnapshot.stderr).not.toMatch(/internal error|snapshot/i);
  });

  it('is not used when the stamp names another Node: check starts from cli.js', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfo-snap-'));
    try {
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'server/out'), { recursive: true });
      copyFileSync(BIN, join(dir, 'bin/nft-offload.js'));
      chmodSync(join(dir, 'bin/nft-offload.js'), 0o755);
      for (const f of readdirSync(join(ROOT, 'server/out'))) if (f !== 'check.blob.node') symlinkSync(join(ROOT, 'server/out', f), join(dir, 'server/out', f));
      // A Node upgraded since the build: its size, mtime and inode differ from the stamp.
      writeFileSync(join(dir, 'server/out/check.blob.node'), '1 2 3\n');
      const bin = join(dir, 'bin/nft-offload.js');
      expect(await commandLine(bin)).toMatch(/node --max-semi-space-size=4 \S*nft-offload\.js check -/);
      const r = launch(bin, ['check', `${FIX}/two-syntax-errors.nft`], true);
      expect(r).toEqual(launch(BIN, ['check', `${FIX}/two-syntax-errors.nft`], false));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a reader that stops early', () => {
  it('check | head: the closed pipe ends the check quietly, with its status', async () => {
    const { spawn } = await import('node:child_process');
    // Far more report than a pipe holds: 3000 syntax errors.
    const text = Array.from({ length: 3000 }, (_, i) => `table ip t${i} { chain c { accept } }`).join('\n');
    for (const env of [{}, { NFT_OFFLOAD_NO_SNAPSHOT: '1' }]) {
      const child = spawn(BIN, ['check', '-'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const firstChunk = new Promise<void>((done) => child.stdout.once('data', () => done()));
      child.stdin.end(text);
      await firstChunk;
      child.stdout.destroy();
      const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
      expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(code).toBe(1);
    }
  });
});

describe('other commands are dispatched', () => {
  it('explain FILE --flow: the offload trace (exit 0)', () => {
    const r = run(['explain', 'examples/home-router.nft', '--flow', 'family=ip l4proto=tcp iif=lan0 oif=wan0 saddr=192.168.1.20 daddr=192.0.2.1 sport=40000 dport=443']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^flow family=ip l4proto=tcp/);
  });

  it('lsp --stdio: answers initialize, ends on shutdown + exit', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT });
    const send = (m: object) => {
      const s = JSON.stringify({ jsonrpc: '2.0', ...m });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
    };
    let out = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const initialized = new Promise<void>((done) => child.stdout.on('data', (d) => {
      out += d;
      if (/"id":1,"result"/.test(out)) done();
    }));
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    await initialized;
    expect(out).toContain('"capabilities"');
    send({ id: 2, method: 'shutdown' });
    send({ method: 'exit' });
    expect(await exited).toBe(0);
  });
});

describe('nft-offload check --nft (the real nft -c)', () => {
  it.runIf(canUnshare)('in a network namespace: nft errors in an included file land in that file, exit 1', () => {
    const r = run(['check', '--nft', '--json', `${FIX}/with-include/main.nft`], { prefix: ['unshare', '-n'] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const nft = j.files.flatMap((f: { path: string; diagnostics: { source: string }[] }) =>
      f.diagnostics.filter((d) => d.source === 'nft').map((d) => ({ path: f.path, ...d })));
    expect(nft).toEqual([
      {
        path: `${FIX}/with-include/rules/forward.nft`,
        code: 'NFT001',
        severity: 'error',
        message: 'Could not process rule: No such file or directory',
        // `jump lan_to_wan`: nft underlines the chain name (line 4, 1-based 23-32 → 0-based 22..32).
        range: { start: { line: 3, character: 22 }, end: { line: 3, character: 32 } },
        source: 'nft',
        codeDescription: { href: expect.stringContaining('NFT001') },
        related: [{ path: `${FIX}/with-include/main.nft`, range: { start: { line: 6, character: 0 }, end: { line: 6, character: 27 } }, message: 'included from here' }],
      },
    ]);
  });

  it.runIf(canUnshare)('in a network namespace: a ruleset nft accepts adds nothing, exit 0', () => {
    const r = run(['check', '--nft', `${FIX}/valid.nft`], { prefix: ['unshare', '-n'] });
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 1 file\n', stderr: '' });
  });

  it('nft absent: one note on stderr, exit status unaffected', () => {
    const ok = run(['check', '--nft-path', '/nonexistent/nft', `${FIX}/valid.nft`]);
    expect(ok).toEqual({
      code: 0,
      stdout: '0 errors, 0 warnings in 1 file\n',
      stderr: 'nft-offload: note: /nonexistent/nft not found; nft -c check skipped (install nftables or set the nft path)\n',
    });
    const viaEnv = run(['check', '--nft', `${FIX}/two-syntax-errors.nft`, `${FIX}/valid.nft`], { env: { NFT_OFFLOAD_NFT: '/nonexistent/nft' } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it.runIf(canDropRoot)('nft not permitted (no CAP_NET_ADMIN): one note, exit status unaffected', () => {
    const r = run(['check', '--nft', `${FIX}/valid.nft`], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
    expect(r).toEqual({
      code: 0,
      stdout: '0 errors, 0 warnings in 1 file\n',
      stderr: 'nft-offload: note: nft -c needs CAP_NET_ADMIN (run as root or inside a network namespace: unshare -n); nft -c check skipped\n',
    });
  });
});
