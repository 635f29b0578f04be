// Real components: network namespaces, a real sshd and the real nft inside them (netns lab, no
// flowtables on this host kernel). Nothing is mocked.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteCommand } from '../../server/src/cli/remote-command';
import {
  connectRouter, installSafeApplyHelper, newApplyToken, RouterCommands, safeApply, type ConnectOptions,
} from '../../server/src/remote';
import { parseSshUrl, type SshTarget } from '../../server/src/remote/ssh-url';
import { netnsLabUp, type NetnsLab } from './lab/netns-lab';

let lab: NetnsLab;
let lab2: NetnsLab;
const PWN = `/tmp/nfo-pwned-${process.pid}`;

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runRemoteCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}
const common = (l: NetnsLab) => ['--identity', l.identity, '--known-hosts', l.knownHosts];
const liveRuleset = (l: NetnsLab) => l.inNs(l.ns.rtr, ['nft', 'list', 'ruleset']);
const setRuleset = (l: NetnsLab, text: string) => l.inNs(l.ns.rtr, ['nft', '-f', '-'], text);
const write = (l: NetnsLab, name: string, text: string) => {
  const p = join(l.dir, name);
  writeFileSync(p, text);
  return p;
};
const target = (l: NetnsLab) => parseSshUrl(l.url) as SshTarget;
const connectOpts = (l: NetnsLab, extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
  target: target(l), identityFile: l.identity, knownHostsFiles: [l.knownHosts], agentSocket: null, ...extra,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const BASE = 'flush ruleset\ntable inet base {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n';
const GOOD = `flush ruleset
table inet lab {
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\tct state established,related counter accept
\t\tmeta l4proto udp counter
\t}
}
`;
const BAD = 'flush ruleset\ntable inet lab {\n\tchain forward {\n\t\ttype filter hook forward priority filter;\n\t\ttcp dport 22 jump nowhere\n\t}\n}\n';
const LOCKOUT = 'flush ruleset\ntable inet lockout {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 counter drop\n\t}\n}\n';

beforeAll(async () => {
  [lab, lab2] = await Promise.all([netnsLabUp(), netnsLabUp()]);
}, 30_000);
afterAll(() => {
  lab?.down();
  lab2?.down();
});

// Each case runs real ssh and nft round trips; on a loaded 2-core CI machine one takes several
// seconds, so the default 5 s limit is too tight. Longer cases set their own.
describe('remote over real sshd in network namespaces', { timeout: 30_000 }, () => {
  it('pull prints the live ruleset', async () => {
    setRuleset(lab, BASE);
    const r = await cli(['pull', lab.url, ...common(lab)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('table inet base');
  });

  it('check maps router errors onto the local file and changes nothing', async () => {
    setRuleset(lab, BASE);
    const f = write(lab, 'bad.nft', BAD);
    const r = await cli(['check', lab.url, f, ...common(lab), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.findings[0]).toMatchObject({ code: 'NFT101', line: 5, column: 21, endColumn: 28 });
    expect(j.findings[0].message).toContain('Could not process rule');
    expect(liveRuleset(lab)).toContain('table inet base');
    const ok = await cli(['check', lab.url, write(lab, 'good.nft', GOOD), ...common(lab)]);
    expect(ok.code).toBe(0);
  });

  it('apply + confirm from a new connection keeps the ruleset after the window', async () => {
    setRuleset(lab, BASE);
    const r = await cli(['apply', lab.url, write(lab, 'good.nft', GOOD), ...common(lab), '--rollback-after', '5']);
    expect(r.stdout).toContain('applied and confirmed');
    expect(r.code).toBe(0);
    // The hardware preview comes before the apply (this lab has no offload hardware: it says so).
    expect(r.stderr).toMatch(/: preview: /);
    await sleep(6500);
    const live = liveRuleset(lab);
    expect(live).toContain('table inet lab');
    expect(live).not.toContain('table inet base');
  }, 30_000);

  it('a bad ruleset is rejected with exit 1 and changes nothing', async () => {
    setRuleset(lab, BASE);
    const r = await cli(['apply', lab.url, write(lab, 'bad.nft', BAD), ...common(lab), '--rollback-after', '5', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.results[0].status).toBe('rejected');
    expect(j.results[0].findings[0].line).toBe(5);
    expect(liveRuleset(lab)).toContain('table inet base');
  });

  it('diff compares by table, chain and rule, ignoring handles and counters', async () => {
    setRuleset(lab, GOOD);
    // generate counter values so the listing differs from the file in numbers only
    lab.inNs(lab.ns.lan, ['sh', '-c', 'echo x | socat - UDP:10.10.2.2:7000 || true']);
    const same = await cli(['diff', lab.url, write(lab, 'good.nft', GOOD), ...common(lab)]);
    expect(same.stdout).not.toMatch(/^[+-] /m);
    expect(same.code).toBe(0);
    const changed = GOOD.replace('meta l4proto udp counter', 'meta l4proto tcp counter');
    const d = await cli(['diff', lab.url, write(lab, 'changed.nft', changed), ...common(lab)]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('@@ table inet lab / chain forward');
    expect(d.stdout).toContain('+ meta l4proto tcp counter');
    expect(d.stdout).toContain('- meta l4proto udp counter');
  });

  it('lock-out: the new ruleset blocks SSH, the confirm cannot connect, the router rolls back by itself', async () => {
    setRuleset(lab, BASE);
    const logs: string[] = [];
    const res = await safeApply({
      connect: () => connectRouter(connectOpts(lab, { readyTimeoutMs: 3000 })),
      target: target(lab), ruleset: LOCKOUT, file: 'lockout.nft', rollbackAfterSeconds: 6, log: (m) => logs.push(m),
    });
    expect(res.status).toBe('rolled-back');
    expect(res.message).toMatch(/new SSH connection failed/);
    expect(res.message).toContain('verified');
    expect(liveRuleset(lab)).toContain('table inet base');
    expect(liveRuleset(lab)).not.toContain('lockout');
  }, 40_000);

  it('client killed (-9) after the apply, before confirming: the router rolls back', async () => {
    setRuleset(lab, BASE);
    const child = await buildChild();
    const p = spawn(process.execPath, [child, lab.url, lab.identity, lab.knownHosts, write(lab, 'good.nft', GOOD), '6'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (d) => { out += d; if (out.includes('APPLIED')) resolve(); });
      p.on('exit', (c) => reject(new Error(`child exited early (${c}): ${out}`)));
      setTimeout(() => reject(new Error('child never applied')), 20_000);
    });
    expect(liveRuleset(lab)).toContain('table inet lab'); // the new ruleset is live...
    p.kill('SIGKILL');
    await sleep(8000);
    expect(liveRuleset(lab)).toContain('table inet base'); // ...and gone after the window
    expect(liveRuleset(lab)).not.toContain('table inet lab');
  }, 40_000);

  it('truncated upload (only the first line arrives) is refused by checksum, nothing applied', async () => {
    setRuleset(lab, BASE);
    const s = await connectRouter(connectOpts(lab));
    try {
      await installSafeApplyHelper(s);
      const tok = newApplyToken();
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(GOOD).digest('hex');
      const r = await s.exec(RouterCommands.safeApply, `NFTOFFLOAD1 ${tok} ${sha} 5 full\nflush ruleset\n`);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('checksum mismatch');
      const st = await s.exec(RouterCommands.safeStatus, tok + '\n');
      expect(st.stdout.trim()).toBe('unknown');
    } finally {
      s.close();
    }
    expect(liveRuleset(lab)).toContain('table inet base');
  });

  it('malformed helper requests (injection attempts in the header) are refused', async () => {
    const s = await connectRouter(connectOpts(lab));
    try {
      await installSafeApplyHelper(s);
      const bad = [`NFTOFFLOAD1 $(touch ${PWN}) ${'a'.repeat(64)} 5 full\n`, `NFTOFFLOAD1 ${'a'.repeat(32)} ${'a'.repeat(64)} 5;touch${PWN} full\n`,
        `NFTOFFLOAD1 ${'a'.repeat(32)} ${'a'.repeat(64)} 5 tables\nTABLES inet x;touch${PWN}\n`];
      for (const h of bad) expect((await s.exec(RouterCommands.safeApply, h + 'flush ruleset\n')).code).toBe(64);
      expect((await s.exec(RouterCommands.safeConfirm, '`touch ' + PWN + '`\n')).code).toBe(64);
    } finally {
      s.close();
    }
    expect(existsSync(PWN)).toBe(false);
  });

  it('unknown host key is refused with a clear message (nothing applied); the prompt hook can accept it', async () => {
    setRuleset(lab, BASE);
    const empty = write(lab, 'empty_known_hosts', '');
    const r = await cli(['apply', lab.url, write(lab, 'good.nft', GOOD), '--identity', lab.identity, '--known-hosts', empty, '--rollback-after', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is not in known_hosts');
    expect(liveRuleset(lab)).toContain('table inet base');
    const asked: string[] = [];
    const s = await connectRouter(connectOpts(lab, { knownHostsFiles: [empty], hostKeyPrompt: async (q) => (asked.push(`${q.kind} ${q.keyType}`), true) }));
    s.close();
    expect(asked).toEqual(['unknown ssh-ed25519']);
  });

  it('changed host key is refused as a possible man-in-the-middle', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(lab.dir, 'other')]);
    const other = readFileSync(join(lab.dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const kh = write(lab, 'changed_known_hosts', `[127.0.0.1]:${lab.port} ${other}\n`);
    const r = await cli(['pull', lab.url, '--identity', lab.identity, '--known-hosts', kh]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HOST KEY CHANGED');
  });

  it('hostile comments and names never execute, on the router or locally', async () => {
    setRuleset(lab, BASE);
    const hostile = `flush ruleset
table inet lab {
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\tmeta l4proto udp counter comment "$(touch ${PWN}-a) \`touch ${PWN}-b\` ';touch ${PWN}-c;'"
\t}
}
`;
    const local = `nfo-pwned-${process.pid}-d`;
    const dir = join(lab.dir, `$(touch ${local})`);
    mkdirSync(dir);
    const f = join(dir, "`touch x`'q'.nft");
    writeFileSync(f, hostile);
    for (const verb of ['check', 'diff']) await cli([verb, lab.url, f, ...common(lab)]);
    const r = await cli(['apply', lab.url, f, ...common(lab), '--rollback-after', '5']);
    expect(r.code).toBe(0);
    expect(liveRuleset(lab)).toContain(`$(touch ${PWN}-a)`);
    const bad = await cli(['pull', `ssh://$(touch ${PWN}-e)@127.0.0.1:${lab.port}`]);
    expect(bad.code).toBe(2);
    for (const s of ['', '-a', '-b', '-c', '-e']) expect(existsSync(PWN + s)).toBe(false);
    for (const d of [process.cwd(), lab.dir, dir, '/root', '/']) expect(existsSync(join(d, local))).toBe(false);
  });

  it('OpenWrt fw4: never flushes the ruleset there; applies only its own table and says so', async () => {
    setRuleset(lab, 'flush ruleset\ntable inet fw4 {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n');
    const r = await cli(['apply', lab.url, write(lab, 'good.nft', GOOD), ...common(lab), '--rollback-after', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('flush ruleset');
    const own = GOOD.replace('flush ruleset\n', '');
    const f = write(lab, 'own.nft', own);
    const a = await cli(['apply', lab.url, f, ...common(lab), '--rollback-after', '5']);
    expect(a.stdout).toContain('applying only table inet lab');
    expect(a.code).toBe(0);
    // applying again replaces the table instead of duplicating its rules
    expect((await cli(['apply', lab.url, f, ...common(lab), '--rollback-after', '5'])).code).toBe(0);
    const live = liveRuleset(lab);
    expect(live).toContain('table inet fw4');
    expect(live.match(/meta l4proto udp counter/g)).toHaveLength(1);
    // a lock-out in fw4 mode rolls back only our table
    const s = await safeApply({
      connect: () => connectRouter(connectOpts(lab, { readyTimeoutMs: 3000 })), target: target(lab), file: 'x.nft', rollbackAfterSeconds: 5,
      ruleset: LOCKOUT.replace('flush ruleset\n', ''),
    });
    expect(s.status).toBe('rolled-back');
    const after = liveRuleset(lab);
    expect(after).toContain('table inet fw4');
    expect(after).toContain('table inet lab');
    expect(after).not.toContain('lockout');
  }, 60_000);

  it('flows lists live conntrack entries with actual and predicted state', async () => {
    setRuleset(lab, GOOD);
    lab.inNs(lab.ns.lan, ['sh', '-c', 'echo x | socat - UDP:10.10.2.2:7001,sourceport=40123 || true']);
    const r = await cli(['flows', lab.url, ...common(lab), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const f = j.flows.find((x: { dport: number }) => x.dport === 7001);
    // predicted from the live ruleset (no `flow add`: OFF001), interfaces from the router's routes
    expect(f).toMatchObject({ proto: 'udp', src: '10.10.1.2', dst: '10.10.2.2', sport: 40123, actual: 'slow', predicted: 'slow', iif: 'rlan', oif: 'rwan', reasons: [expect.objectContaining({ code: 'OFF001' })] });
    expect(f.packets).toBeGreaterThanOrEqual(1);
  });

  it('apply to several routers in parallel (targets and inventory), each with its own result', async () => {
    setRuleset(lab, BASE);
    setRuleset(lab2, BASE);
    const kh = write(lab, 'both_known_hosts', readFileSync(lab.knownHosts, 'utf8') + readFileSync(lab2.knownHosts, 'utf8'));
    // lab2 does not trust our key for this run: it must fail alone
    const inv = write(lab, 'inventory', `# routers\n${lab.url}\n\n${lab2.url}\n`);
    const r = await cli(['apply', '--inventory', inv, write(lab, 'good.nft', GOOD), '--identity', lab.identity, '--known-hosts', kh, '--rollback-after', '5', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.results).toHaveLength(2);
    expect(j.results[0].status).toBe('confirmed');
    expect(j.results[1].status).toBe('rejected');
    expect(j.results[1].message).toMatch(/authentication/);
    expect(r.code).toBe(1);
    const both = await cli(['apply', lab.url, lab2.url, write(lab2, 'good.nft', GOOD), '--identity', lab.identity, '--known-hosts', kh, '--rollback-after', '5']);
    expect(both.code).toBe(1); // lab2 still rejects our key
    writeFileSync(join(lab2.dir, 'authorized_keys'), readFileSync(lab.identity + '.pub'));
    const ok = await cli(['apply', lab.url, lab2.url, write(lab2, 'good.nft', GOOD), '--identity', lab.identity, '--known-hosts', kh, '--rollback-after', '5']);
    expect(ok.stdout.match(/applied and confirmed/g)).toHaveLength(2);
    expect(ok.code).toBe(0);
    expect(liveRuleset(lab2)).toContain('table inet lab');
  }, 60_000);
});

/** Bundles test/remote/lab/apply-child.ts so it can run (and be killed) as a real process. */
async function buildChild(): Promise<string> {
  const { build } = await import('esbuild');
  const outDir = join(process.cwd(), 'node_modules', '.cache', 'nft-offload-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `apply-child-${process.pid}.cjs`);
  await build({ entryPoints: [join(__dirname, 'lab', 'apply-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, external: ['ssh2'], logLevel: 'error' });
  return outfile;
}
