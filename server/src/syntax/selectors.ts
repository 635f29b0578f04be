/**
 * The selector vocabulary of nft: which words may follow which on the left-hand side
 * of a match (`ip saddr`, `ct original ip saddr`, `tcp option maxseg size`). The
 * parser walks this tree to know where a selector ends; the same data later feeds
 * completion and hover. Source: nft's parser_bison.y (payload_expr, meta_expr,
 * ct_expr, exthdr_expr ...), summarised in shared/reference/nft-grammar.md §7.2.
 */

export interface SelectorNode {
  /** Words that may follow. A leaf has none. */
  children?: Record<string, SelectorNode>;
  /** The node is complete by itself (a child is optional). Default: true for leaves, false for inner nodes. */
  terminal?: boolean;
  /** Inner-header protocols may follow (vxlan ip saddr ...). */
  inner?: boolean;
  /** A number follows as an argument (`tcp option 254`, `socket cgroupv2 level 2`). */
  numberArg?: boolean;
  /** An index in brackets follows (`rt0 addr[1]`, `srh sid[2]`). */
  indexArg?: boolean;
}

const leaf: SelectorNode = {};

function fields(words: string, extra: Record<string, SelectorNode> = {}): Record<string, SelectorNode> {
  const out: Record<string, SelectorNode> = {};
  for (const w of words.split(/\s+/).filter(Boolean)) out[w] = leaf;
  return { ...out, ...extra };
}

/** Fields per TCP option (nft's tcpopt.c option templates). */
const TCP_OPTION_FIELDS: Record<string, string> = {
  eol: 'kind',
  nop: 'kind',
  noop: 'kind',
  maxseg: 'kind length size',
  mss: 'kind length size',
  window: 'kind length count',
  wscale: 'kind length count',
  'sack-perm': 'kind length',
  'sack-permitted': 'kind length',
  sack: 'kind length left right',
  sack0: 'kind length left right',
  sack1: 'kind length left right',
  sack2: 'kind length left right',
  sack3: 'kind length left right',
  timestamp: 'kind length tsval tsecr',
  fastopen: 'kind length',
  md5sig: 'kind length',
  mptcp: 'kind length subtype',
};
const tcpOptionNames: Record<string, SelectorNode> = {};
for (const [k, f] of Object.entries(TCP_OPTION_FIELDS)) tcpOptionNames[k] = { children: fields(f), terminal: true };
export const TCP_OPTION_NAMES: ReadonlySet<string> = new Set(Object.keys(TCP_OPTION_FIELDS));

const IP_OPTION = { children: fields('type length value ptr addr'), terminal: true };

/** Payload protocols (and the fields after them). */
export const PAYLOAD_PROTOCOLS: Record<string, SelectorNode> = {
  ether: { children: fields('saddr daddr type') },
  vlan: { children: fields('id cfi dei pcp type') },
  arp: {
    children: fields('htype ptype hlen plen operation', {
      saddr: { children: fields('ether ip') },
      daddr: { children: fields('ether ip') },
    }),
  },
  ip: {
    children: fields('version hdrlength dscp ecn length id frag-off ttl protocol checksum saddr daddr', {
      option: { children: { lsrr: IP_OPTION, rr: IP_OPTION, ssrr: IP_OPTION, ra: IP_OPTION } },
    }),
  },
  icmp: { children: fields('type code checksum id sequence gateway mtu') },
  igmp: { children: fields('type checksum mrt group') },
  ip6: { children: fields('version dscp ecn flowlabel length nexthdr hoplimit saddr daddr') },
  icmpv6: { children: fields('type code checksum param-problem mtu id sequence max-delay taddr daddr') },
  ah: { children: fields('nexthdr hdrlength reserved spi sequence') },
  esp: { children: fields('spi sequence') },
  comp: { children: fields('nexthdr flags cpi') },
  udp: { children: fields('sport dport length checksum') },
  udplite: { children: fields('sport dport csumcov checksum') },
  tcp: {
    children: fields('sport dport sequence ackseq doff reserved flags window checksum urgptr', {
      option: { children: tcpOptionNames, numberArg: true },
    }),
  },
  dccp: { children: fields('sport dport type', { option: { numberArg: true } }) },
  sctp: {
    children: fields('sport dport vtag checksum', {
      chunk: {
        children: Object.fromEntries(
          `data init init-ack sack heartbeat heartbeat-ack abort shutdown shutdown-ack error cookie-echo cookie-ack
           ecne cwr shutdown-complete asconf asconf-ack forward-tsn`
            .split(/\s+/)
            .filter(Boolean)
            .map((c) => [
              c,
              {
                terminal: true,
                children: fields(
                  `type flags length tsn stream ssn ppid init-tag a-rwnd num-outbound-streams num-inbound-streams
                   initial-tsn cum-tsn-ack num-gap-ack-blocks num-dup-tsns lowest-tsn seqno new-cum-tsn`,
                ),
              },
            ]),
        ),
      },
    }),
  },
  th: { children: fields('sport dport') },
  vxlan: { children: fields('vni flags'), inner: true },
  geneve: { children: fields('vni type'), inner: true },
  gre: { children: fields('version flags protocol'), inner: true },
  gretap: { children: fields(''), inner: true },
  // IPv6 extension headers.
  hbh: { children: fields('nexthdr hdrlength') },
  rt: {
    children: fields('nexthdr hdrlength type seg-left classid nexthop mtu ipsec', {
      ip: { children: fields('classid nexthop mtu ipsec') },
      ip6: { children: fields('classid nexthop mtu ipsec') },
    }),
  },
  rt0: { children: { addr: { indexArg: true } } },
  rt2: { children: fields('addr') },
  srh: { children: fields('last-entry flags tag', { sid: { indexArg: true } }) },
  frag: { children: fields('nexthdr reserved frag-off reserved2 more-fragments id') },
  dst: { children: fields('nexthdr hdrlength') },
  mh: { children: fields('nexthdr hdrlength type reserved checksum') },
  exthdr: { children: fields('hbh rt frag dst mh') },
};

/** Protocols allowed as inner headers after vxlan/geneve/gre/gretap. */
export const INNER_PROTOCOLS = new Set(['ether', 'vlan', 'arp', 'ip', 'ip6', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp', 'udplite', 'sctp', 'dccp', 'th', 'esp', 'ah']);

/** Meta keys written after `meta` (nft-grammar.md §7.2). */
export const META_KEYS = fields(
  `length protocol priority random secmark nfproto l4proto iifkind oifkind ibrpvid ibrvproto sdif sdifname broute
   ibrhwaddr mark iif iifname iiftype oif oifname oiftype skuid skgid nftrace rtclassid ibrname obrname ibriport obriport
   pkttype cpu iifgroup oifgroup cgroup ipsec secpath time day hour`,
);

/** Meta keys that may be written without `meta`. */
export const BARE_META_KEYS = new Set(
  `mark iif iifname iiftype oif oifname oiftype skuid skgid nftrace rtclassid ibrname obrname ibriport obriport pkttype
   cpu iifgroup oifgroup cgroup ipsec time day hour priority`
    .split(/\s+/)
    .filter(Boolean),
);

const CT_KEYS = `state direction status mark expiration helper label event secmark id zone l3proto protocol saddr daddr
  proto-src proto-dst bytes packets avgpkt`;
/** Keys allowed after `ct original|reply` (parser_bison.y ct_key_dir, ct_key_dir_optional). */
const CT_DIR = {
  children: fields('saddr daddr l3proto protocol proto-src proto-dst bytes packets avgpkt zone', {
    ip: { children: fields('saddr daddr') },
    ip6: { children: fields('saddr daddr') },
  }),
};

export const OTHER_SELECTORS: Record<string, SelectorNode> = {
  meta: { children: META_KEYS },
  ct: { children: fields(CT_KEYS, { original: CT_DIR, reply: CT_DIR, timeout: leaf, expectation: leaf }) },
  socket: { children: fields('transparent mark wildcard', { cgroupv2: { children: { level: { numberArg: true } } } }) },
  osf: {
    children: fields('name version', {
      ttl: { children: { loose: { children: fields('name version') }, skip: { children: fields('name version') }, global: { children: fields('name version') } } },
    }),
  },
  ipsec: {
    children: {
      in: { children: ipsecKeys() },
      out: { children: ipsecKeys() },
    },
  },
  tunnel: { children: fields('path id') },
};

function ipsecKeys(): Record<string, SelectorNode> {
  return fields('reqid spi', {
    spnum: { numberArg: true, children: fields('reqid spi', { ip: { children: fields('saddr daddr') }, ip6: { children: fields('saddr daddr') } }) },
    ip: { children: fields('saddr daddr') },
    ip6: { children: fields('saddr daddr') },
  });
}

/** Every word that can start a selector, mapped to its node. */
export const SELECTOR_ROOTS: Record<string, SelectorNode> = {
  ...PAYLOAD_PROTOCOLS,
  ...OTHER_SELECTORS,
};

export function isSelectorStart(word: string): boolean {
  return word in SELECTOR_ROOTS || BARE_META_KEYS.has(word);
}

/** Words listed as children of a node, for "expected one of" messages and completion. */
export function childWords(node: SelectorNode): string[] {
  return node.children ? Object.keys(node.children) : [];
}

const COMPLETE = new WeakMap<SelectorNode, boolean>();

export function isComplete(node: SelectorNode): boolean {
  if (node.terminal !== undefined) return node.terminal;
  // Asked at every word of every selector: worked out once per node.
  let complete = COMPLETE.get(node);
  if (complete === undefined) COMPLETE.set(node, (complete = !node.children || Object.keys(node.children).length === 0));
  return complete;
}

/** Meta keys a `meta … set` statement may write (nft(8), META STATEMENT). */
export const SETTABLE_META_KEYS = new Set(['mark', 'priority', 'pkttype', 'nftrace', 'broute', 'secmark']);

export const FIB_FLAGS = new Set(['saddr', 'daddr', 'mark', 'iif', 'oif']);
export const FIB_RESULTS = new Set(['oif', 'oifname', 'type', 'check']);
