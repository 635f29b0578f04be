// Router lab for the remote tests, modelled on /work/shared/lab/netns-up.sh (BRIDGE=unix mode):
// namespaces lan -- rtr -- wan, a real sshd daemon inside rtr on rtr's own 127.0.0.1:22, reached
// from the host through socat (host TCP 127.0.0.1:PORT -> unix socket -> rtr 127.0.0.1:22), so
// rtr's input hook sees the management traffic and a ruleset can really lock SSH out.
// Names are unique per process and lab (netns names are global to the machine, lab gotcha 13).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NetnsLab {
  dir: string;
  port: number;
  url: string;
  identity: string;
  knownHosts: string;
  hostPub: string;
  ns: { lan: string; rtr: string; wan: string };
  /** Runs a command inside a namespace (argument array, no shell). */
  inNs(ns: string, args: string[], input?: string): string;
  down(): void;
}

let labCount = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

async function waitForBanner(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.setTimeout(1000);
      c.on('data', (d) => { c.destroy(); resolve(d.toString().startsWith('SSH-')); });
      c.on('error', () => resolve(false));
      c.on('timeout', () => { c.destroy(); resolve(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd bridge on port ${port} not answering`);
}

const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

export async function netnsLabUp(): Promise<NetnsLab> {
  const id = `nfo${process.pid}x${labCount++}`;
  const ns = { lan: `${id}l`, rtr: `${id}r`, wan: `${id}w` };
  const dir = mkdtempSync(join(tmpdir(), `${id}-`));
  const children: ChildProcess[] = [];
  const made: string[] = [];
  const lab: NetnsLab = {
    dir, port: 0, url: '', identity: join(dir, 'id_ed25519'), knownHosts: join(dir, 'known_hosts'), hostPub: '', ns,
    inNs: (n, args, input) => run('ip', ['netns', 'exec', n, ...args], input),
    down() {
      for (const c of children) if (c.pid) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
      for (const n of made) {
        // the router-side helper keeps its state per netns under the shared /tmp (safe-apply-script.ts)
        try {
          const inode = run('ip', ['netns', 'exec', n, 'readlink', '/proc/self/ns/net']).replace(/[^0-9]/g, '');
          if (inode) rmSync(`/tmp/nft-offload/state-${inode}`, { recursive: true, force: true });
        } catch { /* gone */ }
        // kill what runs in our namespaces (sshd, its sessions, rollback timers), then delete them
        let pids = '';
        try { pids = run('ip', ['netns', 'pids', n]); } catch { /* gone */ }
        for (const p of pids.split('\n').filter(Boolean)) try { process.kill(Number(p), 'SIGKILL'); } catch { /* gone */ }
        try { run('ip', ['netns', 'del', n]); } catch { /* gone */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab-host', '-f', join(dir, 'host_ed25519')]);
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab-client', '-f', lab.identity]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(lab.identity + '.pub'), { mode: 0o600 });
    execFileSync('mkdir', ['-p', '/run/sshd']);
    writeFileSync(join(dir, 'sshd_config'), [
      'Port 22', 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_ed25519`, `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`, 'PermitRootLogin prohibit-password', 'PubkeyAuthentication yes',
      'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'UseDNS no',
      'PrintMotd no', 'MaxStartups 50:30:100', 'LogLevel ERROR', '',
    ].join('\n'));
    for (const n of [ns.lan, ns.rtr, ns.wan]) {
      run('ip', ['netns', 'add', n]);
      made.push(n);
      run('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
    }
    run('ip', ['link', 'add', 'lan0', 'netns', ns.lan, 'type', 'veth', 'peer', 'name', 'rlan', 'netns', ns.rtr]);
    run('ip', ['link', 'add', 'wan0', 'netns', ns.wan, 'type', 'veth', 'peer', 'name', 'rwan', 'netns', ns.rtr]);
    run('ip', ['-n', ns.lan, 'addr', 'add', '10.10.1.2/24', 'dev', 'lan0']);
    run('ip', ['-n', ns.rtr, 'addr', 'add', '10.10.1.1/24', 'dev', 'rlan']);
    run('ip', ['-n', ns.rtr, 'addr', 'add', '10.10.2.1/24', 'dev', 'rwan']);
    run('ip', ['-n', ns.wan, 'addr', 'add', '10.10.2.2/24', 'dev', 'wan0']);
    for (const [n, d] of [[ns.lan, 'lan0'], [ns.rtr, 'rlan'], [ns.rtr, 'rwan'], [ns.wan, 'wan0']]) run('ip', ['-n', n, 'link', 'set', d, 'up']);
    run('ip', ['-n', ns.lan, 'route', 'add', 'default', 'via', '10.10.1.1']);
    run('ip', ['-n', ns.wan, 'route', 'add', '10.10.1.0/24', 'via', '10.10.2.1']);
    lab.inNs(ns.rtr, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    try { lab.inNs(ns.rtr, ['sysctl', '-qw', 'net.netfilter.nf_conntrack_acct=1']); } catch { /* module not loaded yet */ }
    // sshd runs the session commands with root's shell, which reads root's ~/.bashrc: on a host
    // whose .bashrc runs `pyenv rehash`, a session killed mid-rehash (the lock-out and kill -9 tests
    // do that) left a lock that made every later session wait. A router has no such home: sshd gets
    // a private, empty /root of its own.
    lab.inNs(ns.rtr, [
      'unshare', '--mount', '--propagation', 'private', '--',
      'sh', '-c', 'mount -t tmpfs lab-root /root && exec "$0" "$@"', '/usr/sbin/sshd', '-f', join(dir, 'sshd_config'),
    ]);
    const sock = join(dir, 'rtr-ssh.sock');
    children.push(spawn('ip', ['netns', 'exec', ns.rtr, 'socat', `UNIX-LISTEN:${sock},unlink-early,fork`, 'TCP:127.0.0.1:22'], { detached: true, stdio: 'ignore' }));
    for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    lab.port = await freePort();
    children.push(spawn('socat', [`TCP-LISTEN:${lab.port},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${sock}`], { detached: true, stdio: 'ignore' }));
    await waitForBanner(lab.port);
    lab.hostPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(lab.knownHosts, `[127.0.0.1]:${lab.port} ${lab.hostPub}\n`);
    lab.url = `ssh://root@127.0.0.1:${lab.port}`;
    return lab;
  } catch (e) {
    lab.down();
    throw e;
  }
}
