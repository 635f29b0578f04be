/**
 * The data the offload walk works on: a forwarded flow (what the user asks about),
 * the packets that flow produces in order, and the trace of one packet's walk.
 */
import type { Span } from '../core/span';
import type { DeviceStack } from './device-stack';

/** A forwarded connection, as `--flow "family=ip l4proto=tcp …"` describes it. Missing facts stay undefined (unknown). */
export interface FlowSpec {
  family: 'ip' | 'ip6';
  /** Protocol number (6 tcp, 17 udp, 47 gre, 1 icmp, 58 icmpv6 …). */
  l4proto: number;
  iif?: string;
  oif?: string;
  saddr?: string;
  daddr?: string;
  sport?: number;
  dport?: number;
  /** Packet mark the traffic arrives with (default 0). */
  mark?: number;
  /** Conntrack helper the kernel assigns automatically (e.g. `ftp` for port 21 with auto-assignment), if any. */
  helper?: string;
  /** Packets arrive carrying an IPsec secpath (decrypted on input). */
  ipsec?: boolean;
  /**
   * UDP timing: `reply` (default: the first reply arrives before the client's second datagram, as in
   * request/response) or `stream` (the client sends again before any reply: QUIC bulk, RTP, VPN handshakes).
   * offload.md §7, "UDP depends on the traffic's timing".
   */
  udpTiming?: 'reply' | 'stream';
  /**
   * NAT that conntrack recorded for this connection (a live flow whose reply tuple is not the mirror of
   * its original tuple). `dnat` is where the original packets go after translation. The walk applies it
   * at the kernel's destination-NAT point, over what the ruleset's own `dnat` gives: conntrack saw what
   * the kernel did, and it also covers translations the ruleset leaves open (maps filled at run time).
   */
  observedNat?: { dnat?: { daddr: string; dport?: number }; snat?: boolean };
  /** The router's devices (bridge ports, VLAN parents, PPPoE), when known: which listed device a flow enters by. */
  deviceStack?: DeviceStack;
}

export type Direction = 'original' | 'reply';
export type CtState = 'new' | 'established' | 'related' | 'invalid' | 'untracked';

/** One packet of the flow, with the conntrack view the rules see. */
export interface Packet {
  /** Human label: "SYN", "SYN-ACK", "first reply" … */
  label: string;
  dir: Direction;
  iif?: string;
  oif?: string;
  saddr?: string;
  daddr?: string;
  sport?: number;
  dport?: number;
  /** TCP flags set on this packet, lower-case names. */
  tcpFlags: string[];
  /** ct state after conntrack ran (prerouting priority -200). */
  ctState: CtState;
  /** Conntrack entry confirmed (every packet but the very first: R07). */
  confirmed: boolean;
  /** TCP: ESTABLISHED and ASSURED, so `flow add` accepts it (R05). */
  tcpAssured: boolean;
  /** Reply seen (ct status seen-reply). */
  seenReply: boolean;
}

/** Per-flow conntrack facts that rules can change and later packets see. */
export interface ConnState {
  ctMark: number;
  helper?: string;
  untracked: boolean;
  seqAdjust: boolean;
  offloaded?: { flowtableKey: string; byPacket: number; rule: RuleRef };
  /** Destination NAT the first packet set up (`dnat` or `redirect` in a prerouting nat chain). */
  dnat?: DnatState;
  /** Source NAT (`snat`, `masquerade`) set up: only `ct status snat` tells before postrouting. */
  snat?: boolean;
}

/** Where the original packets of a destination-NATed connection go, and from which hook position on. */
export interface DnatState {
  /** New destination address; undefined when the ruleset does not say (a variable set, a map we cannot read). */
  daddr?: string;
  /** New destination port, when the statement changes it (`to ADDR:PORT`); undefined keeps the port. */
  dport?: number;
  /** The statement names a port we cannot compute (a range, a map): the port is unknown. */
  dportUnknown?: boolean;
  /** Prerouting priority of the nat chain that translated (chains after it see the new destination). */
  priority: number;
  /** `redirect`: delivered to the router itself, so the flow is not forwarded. */
  local: boolean;
  /** Taken from conntrack (FlowSpec.observedNat), not from a rule. */
  observed?: boolean;
}

export interface RuleRef {
  file: string;
  span: Span;
  text: string;
  /** `inet filter forward` */
  chain: string;
}

export type StepKind = 'chain' | 'rule' | 'policy' | 'offload' | 'bypass' | 'skip' | 'note';

/** One line of the explain trace. */
export interface TraceStep {
  packet: number;
  packetLabel: string;
  kind: StepKind;
  /** `prerouting`, `forward` … */
  hook?: string;
  chain?: string;
  priority?: number;
  /** What happened: `match → accept`, `no match`, `unknown: iifname @lan`, `flow add @ft: not eligible (TCP not assured)`. */
  result: string;
  file?: string;
  span?: Span;
  text?: string;
}
