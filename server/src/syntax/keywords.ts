/**
 * Word lists of the nft scanner (src/scanner.l, HEAD 2026-04; see
 * shared/reference/nft-grammar.md §3). Reserved words are keyword tokens in every
 * scanner state and can never be names; context words are keywords only after the
 * construct that opens their state, and are ordinary words (names, values) elsewhere.
 */

/** nft-grammar.md §3.2: reserved in every state (HEAD: 161 words). */
export const RESERVED_WORDS: readonly string[] = `accept add ah all and arp auto-merge bridge cgroup chain comment comp constant
continue counter cpu create ct day dccp define delete describe destroy device devices dnat drop dst dup dynamic ecn
element elements eq esp ether exists expires export exthdr fib flags flow flowtable flush frag fwd gc-interval ge
geneve get goto gre gretap gt handle hbh hook hour ibriport ibrname icmp icmpv6 igmp iif iifgroup iifname iiftype
import include index inet insert interval ip ip6 ipsec jhash jump last le limit list log lshift lt map mark masquerade
meta meter mh missing monitor ne netdev nftrace not notrack numgen obriport obrname offload oif oifgroup oifname
oiftype or osf pkttype policy position priority queue quota random redefine redirect reject rename replace reset
return rshift rt rt0 rt2 rtclassid rule ruleset sctp secmark set size skgid skuid snat socket srh symhash synproxy
table tcp th time timeout tproxy tunnel type typeof udp udplite undefine update vlan vmap vni vxlan xor xt`
  .split(/\s+/)
  .filter(Boolean);

/**
 * Context words the grammar refers to by token type. Everything else is matched by
 * text in the parser (the selector tables in selectors.ts). Each of these is also a
 * plain `Word` wherever a name or value is expected.
 */
export const CONTEXT_WORDS: readonly string[] = `over until burst packets bytes rate name used to with
prefix level group snaplen queue-threshold original reply state helper expectation count label
options option size sack sack-perm sack-permitted timestamp maxseg mss wscale
typeof hooks ruleset tables chains sets maps flowtables counters quotas limits meters secmarks synproxys tunnels
helpers in out spnum reqid chunk addr port fully-random persistent
fanout bypass num inc mod offset seed
saddr daddr protocol l3proto
policy memory performance
check`
  .split(/\s+/)
  .filter(Boolean);

/** nft-grammar.md §3.2: reserved words that `primary_rhs_expr`/`keyword_expr` still take as values. */
export const RESERVED_VALUE_WORDS: ReadonlySet<string> = new Set(
  `ether ip ip6 vlan arp dnat snat ecn reset destroy last tcp udp udplite esp ah icmp igmp icmpv6 gre comp dccp sctp redirect`
    .split(/\s+/),
);

export const FAMILIES: readonly string[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
