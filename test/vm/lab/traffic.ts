// Bounded lan -> wan traffic inside the router VM (vm-lab.ts), as fixed bash scripts run in the
// router's root namespace. Every server and client runs under `timeout`; nothing leaves the VM.
// Measured shapes (lab README §2 / flow-test.sh): iperf3 through the flowtable ~1 Gbit/s under TCG.

/** Waits (bounded) until something listens on PORT in the wan namespace. */
const waitListen = (proto: 'tcp' | 'udp', port: number) =>
  `for i in $(seq 1 50); do ip netns exec wan netstat -ln${proto === 'tcp' ? 't' : 'u'} 2>/dev/null | grep -q ':${port} ' && break; sleep 0.1; done`;

/**
 * Stops this script's server (\$S) so the next script can bind the port: a server left waiting (a
 * handshake the ruleset dropped, socat's idle timer) would otherwise answer the next test's client
 * from a socket connected to the old peer (port unreachable). ip netns exec and busybox timeout both
 * exec, so \$! is the server itself.
 */
const STOP_SERVER = 'kill $S 2>/dev/null; wait $S 2>/dev/null';

/** `=== SNAP name` + conntrack listing, then `=== COUNTERS name` + the probe table's counters as JSON. */
export const SNAP_FN = `snap() { echo "=== SNAP $1"; conntrack -L 2>/dev/null; echo "=== COUNTERS $1"; nft -j list counters table inet probe 2>/dev/null || echo '{}'; echo "=== END $1"; }`;

/**
 * iperf3 lan -> wan at 100 Mbit/s (unlimited, it starves the single TCG vCPU and every read over SSH
 * crawls), at most SECONDS; snapshots `mid1` at 1.5 s and `mid2` a second later, then stops
 * the client. Prints `=== RC running` when the transfer was still going at the second snapshot (it got
 * through), else the client's exit code (a failed handshake exits after --connect-timeout).
 * `target` is the address the client dials: the server's own, or one the router translates to it.
 */
export function tcpTraffic(seconds = 10, target = '10.10.2.2'): string {
  return `${SNAP_FN}
ip netns exec wan timeout 30 iperf3 -s -1 -B 10.10.2.2 -p 5201 >/dev/null 2>&1 & S=$!
${waitListen('tcp', 5201)}
ip netns exec lan timeout 30 iperf3 -c ${target} -p 5201 -t ${seconds} -b 100M --connect-timeout 3000 >/tmp/iperf.txt 2>&1 & C=$!
sleep 1.5; snap mid1
sleep 1; snap mid2
if kill -0 $C 2>/dev/null; then echo "=== RC running"; kill $C; wait $C; else wait $C; echo "=== RC $?"; fi
${STOP_SERVER}
grep -E 'receiver|error' /tmp/iperf.txt | sed 's/^/# /'
`;
}

/**
 * UDP lan -> wan, 20 exchanges through one connected socket (bash /dev/udp; fixed source port for
 * the connection's life). Request/response: each datagram waits for its echo before the next.
 * `stream`: the first two datagrams leave before any reply (QUIC/RTP-like timing, offload.md §7).
 * One-byte datagrams, because bash's `read` takes a socket one byte per recv().
 * `target` as for tcpTraffic.
 */
export function udpTraffic(mode: 'reply' | 'stream', target = '10.10.2.2'): string {
  const first = mode === 'stream'
    ? 'printf "\\n" >&3; printf "\\n" >&3; read -t 2 -r <&3 && n=$((n+1)); read -t 1 -r <&3 && n=$((n+1)); start=3'
    : 'start=1';
  return `${SNAP_FN}
ip netns exec wan timeout 30 socat -T 4 UDP-LISTEN:7000,bind=10.10.2.2 EXEC:cat >/dev/null 2>&1 & S=$!
${waitListen('udp', 7000)}
ip netns exec lan timeout 20 bash -c 'exec 3<>/dev/udp/${target}/7000; n=0; ${first}
  for i in $(seq $start 20); do printf "\\n" >&3; read -t 2 -r <&3 && n=$((n+1)); sleep 0.05; done; echo "=== ECHOED $n"'
echo "=== RC $?"
snap mid2
${STOP_SERVER}
`;
}

/** ping lan -> wan (busybox ping), 6 echo requests 0.2 s apart. */
export function icmpTraffic(): string {
  return `${SNAP_FN}
ip netns exec lan timeout 10 ping -c 6 -i 0.2 -W 1 10.10.2.2 >/tmp/ping.txt 2>&1; echo "=== RC $?"
sed 's/^/# /' /tmp/ping.txt | tail -2
snap mid2
`;
}

/** Counters-only forward chain before every other one: packets per input device that still take the slow path. */
export const PROBE_TABLE = `
table inet probe {
\tcounter from_lan { }
\tcounter from_wan { }
\tchain probe_forward {
\t\ttype filter hook forward priority -400; policy accept;
\t\tiifname "rlan" counter name "from_lan"
\t\tiifname "rwan" counter name "from_wan"
\t}
}
`;

export interface Snapshot {
  conntrack: string;
  counters: Record<string, number>;
}

/** Splits a traffic script's output into snapshots, the exit code and echo count. */
export function parseTrafficOutput(out: string): { snaps: Map<string, Snapshot>; rc?: number | 'running'; echoed?: number } {
  const snaps = new Map<string, Snapshot>();
  const re = /=== SNAP (\S+)\n([\s\S]*?)=== COUNTERS \1\n([\s\S]*?)=== END \1/g;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    const counters: Record<string, number> = {};
    try {
      for (const o of (JSON.parse(m[3]).nftables ?? []) as { counter?: { name: string; packets: number } }[]) {
        if (o.counter) counters[o.counter.name] = o.counter.packets;
      }
    } catch { /* no probe table: empty */ }
    snaps.set(m[1], { conntrack: m[2], counters });
  }
  const rc = /=== RC (\d+|running)/.exec(out);
  const echoed = /=== ECHOED (\d+)/.exec(out);
  return { snaps, rc: rc ? (rc[1] === 'running' ? 'running' : Number(rc[1])) : undefined, echoed: echoed ? Number(echoed[1]) : undefined };
}
