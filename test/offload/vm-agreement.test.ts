// Real components: a QEMU VM running Debian's 6.1 kernel with real flowtables (test/vm/lab), the real
// nft, conntrack, iperf3 and socat inside it, and our predictFlow on the same rulesets. Nothing is
// mocked. Skips only when qemu-system-x86_64 is not installed.
//
// For each ruleset: load it on the VM router together with a counters-only forward chain at
// priority -400 (table inet probe: packets per input device that still take the slow path), run
// bounded lan -> wan traffic, read `conntrack -L`, and compare with predictFlow for the same
// 5-tuple and interfaces (from the router's routes, remote/flow-routing.ts):
//  - offload: conntrack `[OFFLOAD]` vs the prediction naming a flowtable;
//  - directions: a direction is fast in the kernel when the probe saw under a quarter of the packets
//    the flow carried that way (offload.md §7 method), fast in the prediction when its packets bypass;
//  - verdict: fast (both directions), slow, or dropped (the traffic did not get through).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectRouter, interfacesFor, parseConntrackListing, parseSshUrl, readDeviceLinks, readFlowRouting, type ConntrackEntry, type FlowRouting,
  type RouterSession, type SshTarget,
} from '../../server/src/remote';
import { natOf, predictFlow, type FlowPrediction, type FlowSpec } from '../../server/src/offload';
import { packetsFor } from '../../server/src/offload/predict-flow';
import { buildRulesetModel, NO_INCLUDES } from '../../server/src/semantics';
import { vmLabUp, vmSkipReason, type VmLab } from '../vm/lab/vm-lab';
import { icmpTraffic, parseTrafficOutput, PROBE_TABLE, tcpTraffic, udpTraffic } from '../vm/lab/traffic';

const skipReason = vmSkipReason();
if (skipReason) console.warn(skipReason);

const flowtable = (devices: string) => `\tflowtable ft {\n\t\thook ingress priority 0; devices = { ${devices} };\n\t\tcounter;\n\t}\n`;
const forward = (policy: string, ...rules: string[]) =>
  `\tchain forward {\n\t\ttype filter hook forward priority 0; policy ${policy};\n${rules.map((r) => `\t\t${r}\n`).join('')}\t}\n`;
const table = (...parts: string[]) => `flush ruleset\ntable inet lab {\n${parts.join('')}}\n${PROBE_TABLE}`;

/** Fast path: flowtable on both devices, `flow add` for TCP and UDP first. */
const FAST = table(flowtable('rlan, rwan'), forward('accept', 'meta l4proto { tcp, udp } flow add @ft'));
/** `flow add` after `ct state established accept`: the classic slow ruleset (OFF002). */
const ESTABLISHED_FIRST = table(flowtable('rlan, rwan'), forward('accept', 'ct state established,related accept', 'meta l4proto { tcp, udp } flow add @ft'));
/** Flowtable without the wan device (OFF003): only the direction entering rlan can be fast. */
const LAN_ONLY = table(flowtable('rlan'), forward('accept', 'meta l4proto { tcp, udp } flow add @ft'));
/** Unguarded `flow add`: ICMP reaches it but is never offloaded (R04). */
const UNGUARDED = table(flowtable('rlan, rwan'), forward('accept', 'flow add @ft'));
/** `flow add … accept` before a policy drop (offload.md §7): the SYN-ACK is not eligible, so TCP dies. */
const FLOW_ADD_ACCEPT_DROP = table(flowtable('rlan, rwan'), forward('drop', 'ct state new accept', 'meta l4proto { tcp, udp } flow add @ft accept'));
/** A port forward: the client dials the router (10.10.1.1), prerouting translates to the server behind rwan. */
const DSTNAT = '\tchain dstnat {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tiifname "rlan" ip daddr 10.10.1.1 meta l4proto { tcp, udp } th dport { 5201, 7000 } dnat ip to 10.10.2.2\n\t}\n';
/**
 * The lan side as a bridge (brl, port rlan), firewall4's layout: the flowtable lists the port, the rules
 * name the bridge. Since 5.13 the kernel records rlan as the flow's input device (offload.md §1.2).
 * The probe counts forward-hook packets by the bridge's name, which is the input device there.
 */
const BRIDGED = `flush ruleset\ntable inet lab {\n${flowtable('rlan, rwan')}${forward('drop', 'meta l4proto { tcp, udp } flow add @ft', 'ct state established,related accept', 'iifname "brl" oifname "rwan" accept')}}\n${PROBE_TABLE.replace('iifname "rlan"', 'iifname "brl"')}`;
const BRIDGE_UP = 'ip link add brl type bridge && ip addr del 10.10.1.1/24 dev rlan && ip link set rlan master brl && ip addr add 10.10.1.1/24 dev brl && ip link set brl up && sleep 1';
const BRIDGE_DOWN = 'ip link set rlan nomaster 2>/dev/null; ip link del brl 2>/dev/null; ip addr replace 10.10.1.1/24 dev rlan; true';
/** firewall4's way: new connections are accepted by their NAT status (`ct status dnat`), policy drop. */
const DNAT_STATUS = table(flowtable('rlan, rwan'), DSTNAT, forward('drop', 'meta l4proto { tcp, udp } flow add @ft', 'ct state established,related accept', 'ct status dnat accept'));
/** The forward chain names the server by its own address: it sees the packets already translated. */
const DNAT_ADDRESS = table(flowtable('rlan, rwan'), DSTNAT, forward('drop', 'meta l4proto { tcp, udp } flow add @ft', 'ct state established,related accept', 'ip daddr 10.10.2.2 ct state new accept'));

type Traffic = 'tcp' | 'udp' | 'udp-stream' | 'icmp';
type Dirs = 'both' | 'orig' | 'reply' | 'none' | 'n/a';
type Verdict = 'fast' | 'slow' | 'dropped';
interface Scenario {
  name: string;
  ruleset: string;
  traffic: Traffic;
  /** What offload.md says the kernel does; checks the lab itself, next to the agreement. */
  kernel: { offload: boolean; verdict: Verdict };
  /** The address the client dials (default the server's own, 10.10.2.2). */
  target?: string;
  /** Router commands run before the scenario and after it (whatever happened). */
  setup?: { up: string; down: string };
  /** The routing devices of the flow (default rlan, rwan). */
  via?: [string, string];
  /** Predict with the router's device stack (`ip -d link`), as `remote flows` does. */
  deviceStack?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'fast path, TCP', ruleset: FAST, traffic: 'tcp', kernel: { offload: true, verdict: 'fast' } },
  { name: 'fast path, UDP', ruleset: FAST, traffic: 'udp', kernel: { offload: true, verdict: 'fast' } },
  { name: 'established accept first, TCP', ruleset: ESTABLISHED_FIRST, traffic: 'tcp', kernel: { offload: false, verdict: 'slow' } },
  { name: 'established accept first, UDP request/response', ruleset: ESTABLISHED_FIRST, traffic: 'udp', kernel: { offload: false, verdict: 'slow' } },
  { name: 'established accept first, UDP stream', ruleset: ESTABLISHED_FIRST, traffic: 'udp-stream', kernel: { offload: true, verdict: 'fast' } },
  { name: 'flowtable missing rwan, TCP', ruleset: LAN_ONLY, traffic: 'tcp', kernel: { offload: true, verdict: 'slow' } },
  { name: 'unguarded flow add, ICMP', ruleset: UNGUARDED, traffic: 'icmp', kernel: { offload: false, verdict: 'slow' } },
  { name: 'flow add accept then policy drop, TCP', ruleset: FLOW_ADD_ACCEPT_DROP, traffic: 'tcp', kernel: { offload: false, verdict: 'dropped' } },
  { name: 'flow add accept then policy drop, UDP', ruleset: FLOW_ADD_ACCEPT_DROP, traffic: 'udp', kernel: { offload: true, verdict: 'fast' } },
  { name: 'port forward, ct status dnat accept, TCP', ruleset: DNAT_STATUS, traffic: 'tcp', target: '10.10.1.1', kernel: { offload: true, verdict: 'fast' } },
  { name: 'port forward, forward matches the server, UDP', ruleset: DNAT_ADDRESS, traffic: 'udp', target: '10.10.1.1', kernel: { offload: true, verdict: 'fast' } },
  {
    name: 'bridge with its port listed, TCP', ruleset: BRIDGED, traffic: 'tcp', setup: { up: BRIDGE_UP, down: BRIDGE_DOWN }, via: ['brl', 'rwan'], deviceStack: true,
    kernel: { offload: true, verdict: 'fast' },
  },
];

interface Row {
  scenario: string;
  flow: string;
  kernel: { offload: boolean; dirs: Dirs; verdict: Verdict };
  predicted: { offload: boolean; dirs: Dirs; verdict: Verdict | 'unknown'; certain: boolean; fromListing: Verdict };
  agree: boolean;
  /** What the traffic did: `iperf3 running` at the second read, `echoed 20`, `ping rc 0`. */
  traffic: string;
  ms: number;
}

let lab: VmLab;
let session: RouterSession;
const rows: Row[] = [];
const timings: string[] = [];

const dirsOf = (orig: boolean, reply: boolean): Dirs => (orig && reply ? 'both' : orig ? 'orig' : reply ? 'reply' : 'none');

/** Directions whose packets take the flowtable in the prediction (a `bypass` step in the trace). */
function predictedDirs(p: FlowPrediction, spec: FlowSpec): Dirs {
  const packets = packetsFor(spec);
  const fast = new Set(p.trace.filter((s) => s.kind === 'bypass').map((s) => packets[s.packet]?.dir));
  return dirsOf(fast.has('original'), fast.has('reply'));
}

/** The flow as the ruleset alone describes it: any NAT must come from the ruleset's own nat chains. */
function specOf(e: ConntrackEntry, routing: FlowRouting, traffic: Traffic): FlowSpec {
  const ifs = interfacesFor({ src: e.orig.src, dst: e.orig.dst, replySrc: e.reply?.src }, routing);
  return {
    family: e.l3 === 'ipv6' || e.orig.src.includes(':') ? 'ip6' : 'ip', l4proto: e.protoNum,
    saddr: e.orig.src, daddr: e.orig.dst, sport: e.orig.sport, dport: e.orig.dport, iif: ifs.iif, oif: ifs.oif,
    ...(traffic === 'udp-stream' ? { udpTiming: 'stream' as const } : {}),
  };
}

const fmt = (e: ConntrackEntry) => `${e.proto} ${e.orig.src}:${e.orig.sport ?? '-'} > ${e.orig.dst}:${e.orig.dport ?? '-'}`;

describe.skipIf(!!skipReason)(`prediction vs a real kernel with flowtables (VM)${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  beforeAll(async () => {
    lab = await vmLabUp();
    timings.push(`waited ${lab.timings.waitMs} ms for the lab, build ${lab.timings.buildMs} ms${lab.timings.cachedBuild ? ' (cached)' : ''}, boot to SSH ${lab.timings.bootMs} ms`);
    session = await connectRouter({ target: parseSshUrl(lab.url) as SshTarget, identityFile: lab.identity, knownHostsFiles: [lab.knownHosts], agentSocket: null });
  }, 1_200_000);

  afterAll(async () => {
    session?.close();
    await lab?.down();
    if (rows.length) {
      const line = (c: string[]) => c.map((x, i) => x.padEnd([46, 36, 8, 8, 7, 7, 8, 8, 6, 16, 7][i] ?? 0)).join(' ').trimEnd();
      console.log([
        `VM lab: ${timings.join('; ')}`,
        'k = kernel, p = predicted; offl = [OFFLOAD] / enters a flowtable; dirs = directions whose packets skip the forward hook; verd = fast, slow or dropped',
        line(['scenario', 'flow', 'k.offl', 'p.offl', 'k.dirs', 'p.dirs', 'k.verd', 'p.verd', 'agree', 'traffic', 'ms']),
        ...rows.map((r) => line([r.scenario, r.flow, String(r.kernel.offload), String(r.predicted.offload), r.kernel.dirs, r.predicted.dirs, r.kernel.verdict, `${r.predicted.verdict}${r.predicted.certain ? '' : '?'}`, r.agree ? 'yes' : 'NO', r.traffic, String(r.ms)])),
      ].join('\n'));
    }
  }, 60_000);

  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      if (sc.setup) await lab.ok(sc.setup.up);
      try {
        await runScenario(sc);
      } finally {
        if (sc.setup) await lab.ok(sc.setup.down);
      }
    }, 120_000);
  }

  async function runScenario(sc: Scenario): Promise<void> {
    {
      const t0 = Date.now();
      await lab.ok(`nft -f - <<'RULESET'\n${sc.ruleset}RULESET\n[ $? = 0 ] || exit 1; conntrack -F >/dev/null 2>&1; true`);
      const target = sc.target ?? '10.10.2.2';
      const script = sc.traffic === 'tcp' ? tcpTraffic(10, target) : sc.traffic === 'icmp' ? icmpTraffic() : udpTraffic(sc.traffic === 'udp' ? 'reply' : 'stream', target);
      const out = (await lab.sh(script, 90_000)).stdout;
      const run = parseTrafficOutput(out);
      const snap = run.snaps.get('mid2');
      expect(snap, out).toBeDefined();
      const flows = parseConntrackListing(snap!.conntrack).filter((e) => e.orig.src === '10.10.1.2' && e.orig.dst === target);
      expect(flows.length, snap!.conntrack).toBeGreaterThan(0);

      // The same ruleset twice: as written, and as the kernel lists it back (what `remote flows` sees).
      const source = buildRulesetModel({ path: 'scenario.nft', text: sc.ruleset }, NO_INCLUDES);
      const listed = buildRulesetModel({ path: '(live ruleset)', text: await lab.ok('nft list ruleset') }, NO_INCLUDES);
      const routing = await readFlowRouting(session, flows.flatMap((e) => [e.orig.src, e.orig.dst, ...(e.reply ? [e.reply.src] : [])]));
      const deviceStack = sc.deviceStack ? await readDeviceLinks(session) : undefined;

      // Kernel side. The probe counts every lab packet per input device that reached the forward hook.
      const sum = (f: (e: ConntrackEntry) => number | undefined) => flows.reduce((n, e) => n + (f(e) ?? 0), 0);
      const origPackets = sum((e) => e.orig.packets);
      const replyPackets = sum((e) => e.reply?.packets);
      const hookLan = snap!.counters.from_lan ?? 0;
      const hookWan = snap!.counters.from_wan ?? 0;
      // TCP got through when some handshake completed (iperf3 may still be retrying a dropped one).
      const through = sc.traffic === 'tcp'
        ? flows.some((e) => e.actual !== 'slow' || e.assured || e.state === 'ESTABLISHED')
        : sc.traffic === 'icmp' ? run.rc === 0 : (run.echoed ?? 0) > 0;
      const bypass = (hook: number, packets: number) => packets >= 8 && hook * 4 <= packets;
      const kDirs = through ? dirsOf(bypass(hookLan, origPackets), bypass(hookWan, replyPackets)) : 'n/a';
      const kVerdict: Verdict = !through ? 'dropped' : kDirs === 'both' ? 'fast' : 'slow';

      for (const e of flows) {
        const spec = { ...specOf(e, routing, sc.traffic), ...(deviceStack ? { deviceStack } : {}) };
        expect([spec.iif, spec.oif]).toEqual(sc.via ?? ['rlan', 'rwan']);
        const p = predictFlow(source, spec);
        const pl = predictFlow(listed, spec);
        // As `remote flows` predicts it: with the translation conntrack recorded (live flows).
        const observedNat = natOf({ ...e.orig, proto: e.proto, entry: e });
        const po = predictFlow(listed, { ...spec, ...(observedNat ? { observedNat } : {}) });
        if (target !== '10.10.2.2') expect(observedNat?.dnat?.daddr, fmt(e)).toBe('10.10.2.2');
        const pDirs = p.verdict === 'dropped' ? 'n/a' : predictedDirs(p, spec);
        const kernel = { offload: e.actual !== 'slow', dirs: kDirs, verdict: kVerdict };
        const predicted = { offload: p.flowtable !== null, dirs: pDirs, verdict: p.verdict, certain: p.certain, fromListing: pl.verdict };
        const agree = kernel.offload === predicted.offload && kernel.dirs === predicted.dirs && kernel.verdict === predicted.verdict && pl.verdict === p.verdict && po.verdict === p.verdict;
        const traffic = sc.traffic === 'tcp' ? `iperf3 ${run.rc === 'running' ? 'running' : `rc ${run.rc}`}` : sc.traffic === 'icmp' ? `ping rc ${run.rc}` : `echoed ${run.echoed}`;
        rows.push({ scenario: sc.name, flow: fmt(e), kernel, predicted, agree, traffic, ms: Date.now() - t0 });
        const context = `${sc.name}: ${fmt(e)}\nkernel ${JSON.stringify(kernel)} (probe lan=${hookLan} wan=${hookWan}, flows orig=${origPackets} reply=${replyPackets})\n` +
          `predicted ${JSON.stringify(predicted)}\n${p.reasons.map((r) => `${r.code} ${r.message}`).join('\n')}\n${out}`;
        expect(predicted.certain, context).toBe(true);
        expect({ offload: predicted.offload, dirs: predicted.dirs, verdict: predicted.verdict }, context).toEqual({ offload: kernel.offload, dirs: kernel.dirs, verdict: kernel.verdict });
        expect(pl.verdict, `prediction from the listed ruleset differs\n${context}`).toBe(p.verdict);
        expect(po.verdict, `prediction with conntrack's NAT differs\n${context}`).toBe(p.verdict);
      }
      // The lab measured what offload.md §7 says (if this fails, the VM lab, not the engine, is off).
      // A dropped TCP handshake leaves no offloaded entry; any one offloaded entry counts.
      expect({ offload: flows.some((e) => e.actual !== 'slow'), verdict: kVerdict }, out).toEqual(sc.kernel);
      timings.push(`${sc.name} ${Date.now() - t0} ms`);
    }
  }

  it('the flowtable counter keeps conntrack counting offloaded packets, which skip the forward hook', async () => {
    const t0 = Date.now();
    await lab.ok(`nft -f - <<'RULESET'\n${FAST}RULESET\n[ $? = 0 ] || exit 1; conntrack -F >/dev/null 2>&1; true`);
    const run = parseTrafficOutput((await lab.sh(tcpTraffic(), 90_000)).stdout);
    const read = (name: string) => {
      const s = run.snaps.get(name)!;
      const data = parseConntrackListing(s.conntrack)
        .filter((e) => e.orig.dport === 5201 && e.actual === 'sw-offload')
        .sort((a, b) => (b.orig.bytes ?? 0) - (a.orig.bytes ?? 0))[0];
      return { data, hook: s.counters.from_lan ?? 0 };
    };
    const a = read('mid1');
    const b = read('mid2');
    expect(a.data, 'an offloaded iperf3 data flow at the first read').toBeDefined();
    expect(b.data?.orig.sport).toBe(a.data.orig.sport);
    const moved = (b.data!.orig.bytes ?? 0) - (a.data.orig.bytes ?? 0);
    const movedPackets = (b.data!.orig.packets ?? 0) - (a.data.orig.packets ?? 0);
    console.log(`flowtable counter: ${a.data.orig.bytes} -> ${b.data!.orig.bytes} bytes (+${movedPackets} packets) in ~1 s; forward hook from lan ${a.hook} -> ${b.hook}`);
    expect(moved).toBeGreaterThan(0);
    // offloaded packets never reach the forward hook (H01/H02): the probe barely moves
    expect(b.hook - a.hook).toBeLessThan(Math.max(8, movedPackets / 100));
    timings.push(`flowtable counter ${Date.now() - t0} ms`);
  }, 120_000);
});
