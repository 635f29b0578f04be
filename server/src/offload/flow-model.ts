/**
 * The data the offload walk works on: a forwarded flow (what the user asks about),
 * the packets that flow produces in order, and the trace of one packet's walk.
 */
import type { Span } from '../core/span';

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
