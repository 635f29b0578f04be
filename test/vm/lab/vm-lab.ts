// Router VM for the tests that need a real kernel with flowtables (the host kernel has none).
// Debian's stock 6.1 kernel under QEMU TCG with a busybox initramfs, built by vm-build.sh (cached
// in <repo>/.cache/vm-lab, git-ignored) and booted here with a free loopback port forwarded to the
// guest's sshd. Approach measured in /work/shared/lab/README.md §2 (vm-build.sh, vm-up.sh): TCG,
// -smp 1, PVH vmlinux; KVM on these machines is nested kvm_pvm and unusable.
// Topology inside the VM (guest-rcS.sh): router = root namespace, lan (10.10.1.2 on lan0) behind
// rlan 10.10.1.1, wan (10.10.2.2 on wan0) behind rwan 10.10.2.1; management eth0 10.0.2.15.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'ssh2';

export const REPO_DIR = resolve(__dirname, '../../..');
export const VM_CACHE_DIR = process.env.NFO_VM_CACHE ?? join(REPO_DIR, '.cache', 'vm-lab');
const BUILD_SCRIPT = join(__dirname, 'vm-build.sh');

/** Why the VM tests cannot run here, or undefined when they can. Only a missing QEMU is a reason. */
export function vmSkipReason(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86 kmod cpio): VM lab tests skipped';
}

export interface VmExec {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface VmLab {
  port: number;
  url: string;
  identity: string;
  knownHosts: string;
  /** Milliseconds: waiting for another test file's VM, build (~1 s when cached), qemu start → SSH answering. */
  timings: { waitMs: number; buildMs: number; bootMs: number; cachedBuild: boolean };
  /** Runs a fixed test script in the router's root namespace (sent on stdin, run by bash from a temp file). */
  sh(script: string, timeoutMs?: number): Promise<VmExec>;
  /** Like sh, but throws on a non-zero exit. */
  ok(script: string, timeoutMs?: number): Promise<string>;
  console(): string;
  down(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

function buildVm(): Promise<{ ms: number; cached: boolean; log: string }> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    // generous hang guard: a cold build downloads 70 MB and unpacks 400 MB (27 s measured under load)
    execFile('bash', [BUILD_SCRIPT, VM_CACHE_DIR], { encoding: 'utf8', timeout: 600_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return rej(new Error(`vm-build.sh failed: ${err.message}\n${stdout}\n${stderr}`));
      res({ ms: Date.now() - t0, cached: stdout.startsWith('cached:'), log: stdout });
    });
  });
}

function connectOnce(port: number, identity: Buffer, hostKey: Buffer, timeoutMs: number): Promise<Client> {
  return new Promise((res, rej) => {
    const c = new Client();
    c.on('ready', () => res(c));
    c.on('error', (e) => rej(e));
    c.connect({
      host: '127.0.0.1', port, username: 'root', privateKey: identity, readyTimeout: timeoutMs,
      // the throwaway host key written by vm-build.sh: anything else is refused
      hostVerifier: (key: Buffer) => key.equals(hostKey),
    });
  });
}

function execOn(c: Client, script: string, timeoutMs: number): Promise<VmExec> {
  return new Promise((res, rej) => {
    // The script goes to a file first: with `bash -s`, any command that reads stdin would eat the rest of the script.
    c.exec('t=$(mktemp) && cat > "$t" && bash "$t" </dev/null; r=$?; rm -f "$t"; exit $r', (err, ch) => {
      if (err) return rej(err);
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => { ch.close(); rej(new Error(`VM command timed out after ${timeoutMs} ms:\n${script}`)); }, timeoutMs);
      ch.on('data', (d: Buffer) => (stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      ch.on('close', (code: number | null) => { clearTimeout(timer); res({ code: code ?? null, stdout, stderr }); });
      ch.end(script);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One VM at a time on this machine: two TCG guests on 2 cores slow each other down enough to blur
 * the traffic timing the tests rely on. The lock is held by a `flock` child that waits on a pipe
 * from us, so it is released when down() closes the pipe or when this process dies.
 */
async function acquireRunLock(): Promise<ChildProcess> {
  mkdirSync(VM_CACHE_DIR, { recursive: true });
  const holder = spawn('flock', ['-w', '900', join(VM_CACHE_DIR, '.run-lock'), 'sh', '-c', 'echo locked; read x'], { stdio: ['pipe', 'pipe', 'ignore'] });
  await new Promise<void>((res, rej) => {
    holder.stdout!.once('data', () => res());
    holder.once('exit', (code) => rej(new Error(`could not take the VM lab lock (flock exit ${code})`)));
  });
  return holder;
}

/** Builds (or reuses) the image, boots a VM on a free port and waits for SSH. */
export async function vmLabUp(): Promise<VmLab> {
  const w0 = Date.now();
  const lock = await acquireRunLock();
  const waitMs = Date.now() - w0;
  const release = () => { lock.stdin?.end(); };
  try {
    return await bootVm(waitMs, release);
  } catch (e) {
    release();
    throw e;
  }
}

async function bootVm(waitMs: number, release: () => void): Promise<VmLab> {
  const build = await buildVm();
  const dir = mkdtempSync(join(tmpdir(), `nfo-vm-${process.pid}-`));
  const port = await freePort();
  const kernel = existsSync(join(VM_CACHE_DIR, 'vmlinux')) ? join(VM_CACHE_DIR, 'vmlinux') : join(VM_CACHE_DIR, 'vmlinuz');
  const consoleLog = join(dir, 'console.log');
  const identityPath = join(dir, 'id_ed25519');
  writeFileSync(identityPath, readFileSync(join(VM_CACHE_DIR, 'id_ed25519')), { mode: 0o600 });
  const hostPub = readFileSync(join(VM_CACHE_DIR, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub.join(' ')}\n`);
  const hostKey = Buffer.from(hostPub[1], 'base64');
  const identity = readFileSync(identityPath);

  const t0 = Date.now();
  const qemu: ChildProcess = spawn('qemu-system-x86_64', [
    '-name', 'nfo-vm-router', '-machine', 'q35,accel=tcg', '-cpu', 'max', '-smp', '1', '-m', '512',
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-kernel', kernel, '-initrd', join(VM_CACHE_DIR, 'initrd.img'),
    '-append', 'console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init',
    '-serial', `file:${consoleLog}`, '-monitor', 'none',
    // restrict=on: the guest reaches nothing; only the forwarded SSH port comes in (gotcha 15)
    '-netdev', `user,id=mgmt,restrict=on,ipv6=off,net=10.0.2.0/24,host=10.0.2.2,hostfwd=tcp:127.0.0.1:${port}-:22`,
    '-device', 'virtio-net-pci,netdev=mgmt',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let qemuErr = '';
  qemu.stderr?.on('data', (d: Buffer) => (qemuErr += d.toString()));
  let exited = false;
  qemu.on('exit', () => (exited = true));
  const readConsole = () => (existsSync(consoleLog) ? readFileSync(consoleLog, 'utf8') : '');

  const stop = async () => {
    if (!exited && qemu.pid) {
      qemu.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) qemu.kill('SIGKILL');
    }
  };

  let client: Client | undefined;
  // hang guard: 5.5 s on a quiet machine, 7-9 s under load (lab README §2); allow far more
  const deadline = Date.now() + 180_000;
  while (!client) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`qemu exited before SSH answered: ${qemuErr}\n${readConsole()}`);
    }
    if (Date.now() > deadline) {
      const log = readConsole();
      await stop();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`VM did not answer SSH on 127.0.0.1:${port} within 180 s\n${log}`);
    }
    try {
      client = await connectOnce(port, identity, hostKey, 5000);
    } catch {
      await sleep(200);
    }
  }
  const bootMs = Date.now() - t0;
  const conn = client;
  conn.on('error', () => { /* reported by the next exec */ });

  const lab: VmLab = {
    port, url: `ssh://root@127.0.0.1:${port}`, identity: identityPath, knownHosts,
    timings: { waitMs, buildMs: build.ms, bootMs, cachedBuild: build.cached },
    sh: (script, timeoutMs = 60_000) => execOn(conn, script, timeoutMs),
    async ok(script, timeoutMs) {
      const r = await lab.sh(script, timeoutMs);
      if (r.code !== 0) throw new Error(`VM script failed (exit ${r.code}): ${r.stderr}\n--- script\n${script}`);
      return r.stdout;
    },
    console: readConsole,
    async down() {
      conn.end();
      await stop();
      rmSync(dir, { recursive: true, force: true });
      release();
    },
  };
  return lab;
}
