// Real components: `nft-offload remote flows` (runRemoteCommand, the CLI's own code path) over real
// SSH (ssh2, host key checked against known_hosts) to a QEMU VM running Debian's 6.1 kernel with
// real flowtables (test/vm/lab), with real iperf3 traffic through it. Nothing is mocked. Skips only
// when qemu-system-x86_64 is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteCommand } from '../../server/src/cli/remote-command';
import type { FlowsReport } from '../../server/src/remote';
import { vmLabUp, vmSkipReason, type VmLab } from './lab/vm-lab';

const skipReason = vmSkipReason();
if (skipReason) console.warn(skipReason);

const ruleset = (...rules: string[]) => `flush ruleset
table inet lab {
\tflowtable ft {
\t\thook ingress priority 0; devices = { rlan, rwan };
\t\tcounter;
\t}
\tchain forward {
\t\ttype filter hook forward priority 0; policy accept;
${rules.map((r) => `\t\t${r}\n`).join('')}\t}
}
`;
const FAST = ruleset('meta l4proto { tcp, udp } flow add @ft');
const SLOW = ruleset('ct state established,related accept', 'meta l4proto { tcp, udp } flow add @ft');
/** Flowtable without rwan (OFF003): conntrack says [OFFLOAD], but replies entering rwan stay slow (offload.md §7). */
const LAN_ONLY = ruleset('meta l4proto { tcp, udp } flow add @ft').replace('devices = { rlan, rwan }', 'devices = { rlan }');

/**
 * Long-running bounded iperf3 in the background (≤ 90 s; stopped by the next load or at teardown), at
 * 100 Mbit/s: unlimited, it starves the VM's single TCG vCPU and each SSH read takes 10-15 s.
 */
const START_TRAFFIC = `
ip netns exec wan timeout 90 iperf3 -s -1 -B 10.10.2.2 -p 5201 >/dev/null 2>&1 </dev/null &
for i in $(seq 1 50); do ip netns exec wan netstat -lnt 2>/dev/null | grep -q ':5201 ' && break; sleep 0.1; done
ip netns exec lan timeout 90 iperf3 -c 10.10.2.2 -p 5201 -t 80 -b 100M >/dev/null 2>&1 </dev/null &
echo $! > /run/nfo-iperf-client.pid
`;
/** Stops the client started above by its pid file (the server exits after its one test). */
const STOP_TRAFFIC = `p=$(cat /run/nfo-iperf-client.pid 2>/dev/null) && kill $p 2>/dev/null; rm -f /run/nfo-iperf-client.pid; sleep 0.5; true`;

let lab: VmLab;
const timings: string[] = [];

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const t0 = Date.now();
  const code = await runRemoteCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  timings.push(`remote flows${args.includes('--json') ? ' --json' : ''} ${Date.now() - t0} ms`);
  return { code, stdout, stderr };
}
const flowsArgs = (json: boolean) => ['flows', lab.url, '--known-hosts', lab.knownHosts, '--identity', lab.identity, ...(json ? ['--json'] : [])];

async function load(text: string): Promise<void> {
  await lab.ok(`${STOP_TRAFFIC}\nnft -f - <<'RULESET'\n${text}RULESET\n[ $? = 0 ] || exit 1\nconntrack -F >/dev/null 2>&1; true`);
}

/** Waits (bounded) until conntrack shows the iperf3 data connection in the wanted state. */
async function waitForFlow(offloaded: boolean): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const ct = await lab.ok('conntrack -L 2>/dev/null; true');
    const lines = ct.split('\n').filter((l) => l.includes('dport=5201') && /packets=\d{3,}/.test(l));
    if (lines.some((l) => l.includes('[OFFLOAD]') === offloaded && (offloaded || l.includes('ESTABLISHED')))) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no ${offloaded ? 'offloaded' : 'established'} iperf3 flow appeared:\n${await lab.ok('conntrack -L 2>&1; true')}`);
}

const labFlows = (r: FlowsReport) => r.flows.filter((f) => f.src === '10.10.1.2' && f.dst === '10.10.2.2' && f.dport === 5201);
const biggest = (r: FlowsReport) => labFlows(r).sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))[0];

describe.skipIf(!!skipReason)(`remote flows against a real kernel with flowtables (VM)${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  beforeAll(async () => {
    lab = await vmLabUp();
    timings.push(`waited ${lab.timings.waitMs} ms for the lab, build ${lab.timings.buildMs} ms${lab.timings.cachedBuild ? ' (cached)' : ''}, boot to SSH ${lab.timings.bootMs} ms`);
  }, 1_200_000);

  afterAll(async () => {
    if (lab) await lab.ok(STOP_TRAFFIC).catch(() => '');
    await lab?.down();
    if (timings.length) console.log(`remote flows VM test timings: ${timings.join('; ')}`);
  }, 60_000);

  it('shows live [OFFLOAD] flows as the software fast path, predicted from the live ruleset, with moving counters', async () => {
    const t0 = Date.now();
    await load(FAST);
    await lab.ok(START_TRAFFIC);
    await waitForFlow(true);
    timings.push(`ruleset + traffic until [OFFLOAD] ${Date.now() - t0} ms`);

    const first = await cli(flowsArgs(true));
    expect(first.code, first.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const second = await cli(flowsArgs(true));
    expect(second.code, second.stderr).toBe(0);
    const text = await cli(flowsArgs(false));
    expect(text.code).toBe(0);
    const a: FlowsReport = JSON.parse(first.stdout);
    const b: FlowsReport = JSON.parse(second.stdout);

    // accounting is on and the flowtable has `counter`: no warnings
    expect(b.warnings).toEqual([]);
    expect(b.flowtables).toEqual([expect.objectContaining({ family: 'inet', table: 'lab', name: 'ft', devices: ['rlan', 'rwan'], counter: true, offload: false })]);
    const fa = biggest(a);
    const fb = biggest(b);
    expect(fb, second.stdout).toMatchObject({ proto: 'tcp', actual: 'sw-offload', predicted: 'sw-offload', iif: 'rlan', oif: 'rwan' });
    expect(fb.reasons.map((r) => r.code)).toContain('OFF014');
    // Every lab flow is predicted fast. iperf3's idle control connection is offloaded too, but leaves
    // the flowtable after 30 s without packets (flowtable idle timeout, offload.md §1.4) and then shows
    // as slow: the prediction is about the connection's path, not about idle eviction.
    for (const f of labFlows(b)) expect(f.predicted).toBe('sw-offload');
    // the counters move between two reads (flowtable `counter` + nf_conntrack_acct)
    expect(fb.sport).toBe(fa.sport);
    expect(fb.bytes!).toBeGreaterThan(fa.bytes!);
    expect(fb.packets!).toBeGreaterThan(fa.packets!);
    // the management SSH connection terminates on the router: not forwarded, predicted slow
    const mgmt = b.flows.find((f) => f.dst === '10.0.2.15' && f.dport === 22);
    expect(mgmt).toMatchObject({ actual: 'slow', predicted: 'slow', reasons: [expect.objectContaining({ code: 'not-forwarded' })] });

    const line = text.stdout.split('\n').find((l) => l.includes(`10.10.1.2:${fb.sport} -> 10.10.2.2:5201`));
    expect(line, text.stdout).toMatch(/^tcp 10\.10\.1\.2:\d+ -> 10\.10\.2\.2:5201 via rlan->rwan actual=sw-offload predicted=sw-offload \d+ bytes \d+ packets/);
    console.log(`remote flows (text):\n${text.stdout}\nbytes of the data flow: ${fa.bytes} -> ${fb.bytes} between two reads 1 s apart`);
    timings.push(`fast ruleset ${Date.now() - t0} ms`);
  }, 180_000);

  it('follows the live ruleset: with `ct state established accept` first, the same traffic is predicted and measured slow', async () => {
    const t0 = Date.now();
    await load(SLOW);
    await lab.ok(START_TRAFFIC);
    await waitForFlow(false);
    const r = await cli(flowsArgs(true));
    expect(r.code, r.stderr).toBe(0);
    const report: FlowsReport = JSON.parse(r.stdout);
    const f = biggest(report);
    expect(f, r.stdout).toMatchObject({ actual: 'slow', predicted: 'slow', iif: 'rlan', oif: 'rwan' });
    expect(f.reasons.map((x) => x.code)).toContain('OFF002');
    for (const x of labFlows(report)) expect({ actual: x.actual, predicted: x.predicted }).toEqual({ actual: 'slow', predicted: 'slow' });
    timings.push(`slow ruleset ${Date.now() - t0} ms`);
  }, 180_000);

  it('a flowtable missing a device: conntrack says [OFFLOAD], the prediction says offloaded, partly slow, and why', async () => {
    const t0 = Date.now();
    await load(LAN_ONLY);
    await lab.ok(START_TRAFFIC);
    await waitForFlow(true);
    const r = await cli(flowsArgs(true));
    expect(r.code, r.stderr).toBe(0);
    const f = biggest(JSON.parse(r.stdout) as FlowsReport);
    // Not a disagreement: the entry is offloaded, and only the original direction takes the
    // flowtable (measured in test/offload/vm-agreement.test.ts): `partial` says which half.
    expect(f, r.stdout).toMatchObject({ actual: 'sw-offload', predicted: 'sw-offload', partial: true, iif: 'rlan', oif: 'rwan' });
    expect(f.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['OFF014', 'OFF003']));
    timings.push(`one-device flowtable ${Date.now() - t0} ms`);
  }, 180_000);
});
