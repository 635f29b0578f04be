/**
 * Hover documentation, written for this project (sources: nft(8) and
 * shared/reference/nft-grammar.md). Each entry: what it is or matches, its type, an
 * example. Keys are a word, or a selector path joined with spaces (`ip saddr`).
 */
export interface Doc {
  /** One line: what it matches or does. */
  summary: string;
  /** Value type, for expressions. */
  type?: string;
  example?: string;
}

const d = (summary: string, example?: string, type?: string): Doc => ({ summary, example, type });

export const KEYWORD_DOCS: Record<string, Doc> = {
  // Blocks and commands
  table: d('A table: a container for chains, sets, maps, flowtables and stateful objects of one address family.', 'table inet filter {\n\tchain input { … }\n}'),
  chain: d('A chain: an ordered list of rules. A base chain (with `type … hook …`) is attached to a netfilter hook; a regular chain is reached by `jump`/`goto`.', 'chain forward {\n\ttype filter hook forward priority filter; policy drop;\n}'),
  set: d('A named set of elements, matched with `@name`.', 'set blocklist {\n\ttype ipv4_addr\n\tflags interval\n}'),
  map: d('A named map from keys to values or verdicts, used with `map @m` or `vmap @m`.', 'map ports {\n\ttype inet_service : verdict\n}'),
  flowtable: d('A flowtable: the fast path. Connections added with `flow add @ft` bypass the classic forwarding path on the listed devices (and go to hardware with `flags offload`).', 'flowtable ft {\n\thook ingress priority filter\n\tdevices = { lan0, wan0 }\n}'),
  define: d('Defines a variable, used as `$name`. Scoped to the enclosing block.', 'define LAN = "lan0"'),
  redefine: d('Rebinds a variable defined earlier.', 'redefine LAN = "br-lan"'),
  undefine: d('Removes a variable definition.', 'undefine LAN'),
  include: d('Reads another file here. Relative paths are searched in the `-I` directories and then `/etc`; globs are allowed.', 'include "/etc/nftables.d/*.nft"'),
  flush: d('Removes the contents of the named object (`flush ruleset` removes everything).', 'flush ruleset'),
  add: d('Adds an object, rule or element (the default verb).', 'add rule inet filter input tcp dport 22 accept'),
  insert: d('Inserts a rule at the start of a chain (or before `position`/`handle`).', 'insert rule inet filter input iif lo accept'),
  delete: d('Deletes an object, rule (by `handle`) or element.', 'delete rule inet filter input handle 5'),
  create: d('Like `add`, but fails if the object exists.', 'create table inet filter'),
  // Chain properties
  type: d('In a chain: the chain type (`filter`, `nat`, `route`) and hook. In a set or map: the key (and data) type.', 'type filter hook input priority filter; policy drop;'),
  typeof: d('Declares a set or map key type by example expression, so values print like that expression.', 'typeof ip saddr . tcp dport'),
  hook: d('The netfilter hook a base chain or flowtable attaches to: prerouting, input, forward, output, postrouting, ingress, egress.', 'hook forward'),
  priority: d('Order among chains on the same hook; lower runs first. Names: raw (-300), mangle (-150), dstnat (-100), filter (0), security (50), srcnat (100).', 'priority filter + 10', 'integer (signed) or standard name'),
  policy: d('The verdict for packets that reach the end of a base chain: `accept` (default) or `drop`.', 'policy drop'),
  devices: d('The interfaces a netdev chain or a flowtable is bound to.', 'devices = { lan0, wan0 }'),
  device: d('The interface a netdev base chain is bound to.', 'type filter hook ingress device eth0 priority 0'),
  flags: d('Options: for sets `constant interval timeout dynamic`; for tables `dormant owner persist`; for flowtables and netdev chains `offload` (hardware offload).', 'flags interval'),
  elements: d('The initial elements of a set or map.', 'elements = { 10.0.0.0/8, 192.168.0.0/16 }'),
  timeout: d('Default lifetime of set elements (needs `flags timeout`), or per element.', 'timeout 1h'),
  size: d('Maximum number of elements in a set or map.', 'size 65535'),
  comment: d('A comment string kept in the kernel with the object or rule. Must be last in a rule.', 'accept comment "ssh"'),
  'auto-merge': d('Merges adjacent and overlapping intervals of an interval set.', 'auto-merge'),
  // Hooks and chain types
  prerouting: d('Hook: every incoming packet, before the routing decision (dstnat runs here).', 'type nat hook prerouting priority dstnat'),
  input: d('Hook: packets addressed to this machine, after routing.', 'type filter hook input priority filter'),
  forward: d('Hook: packets routed through this machine. Flowtable fast-path flows skip it after `flow add`.', 'type filter hook forward priority filter'),
  output: d('Hook: packets sent by local processes.', 'type filter hook output priority filter'),
  postrouting: d('Hook: every outgoing packet, after routing (srcnat/masquerade run here).', 'type nat hook postrouting priority srcnat'),
  ingress: d('Hook: netdev (or inet) ingress, right after the driver; flowtables hook here.', 'type filter hook ingress device eth0 priority 0'),
  egress: d('Hook: netdev egress, just before the driver.', 'type filter hook egress device eth0 priority 0'),
  filter: d('Chain type `filter` (any hook), or the priority name `filter` (0).', 'type filter hook input priority filter'),
  nat: d('Chain type `nat`: sees the first packet of each connection, for snat/dnat/masquerade/redirect.', 'type nat hook postrouting priority srcnat'),
  route: d('Chain type `route` (output hook): re-routes the packet if a mark or address changed.', 'type route hook output priority mangle'),
  // Verdicts
  accept: d('Verdict: stop evaluating this base chain and let the packet continue (later hooks and chains still see it).', 'tcp dport 22 accept'),
  drop: d('Verdict: discard the packet silently; nothing later sees it.', 'ip saddr @blocklist drop'),
  reject: d('Drops the packet and answers with an ICMP error or a TCP reset.', 'reject with icmpx type admin-prohibited'),
  jump: d('Verdict: evaluate the target chain, then come back to the next rule here (unless it issues a final verdict).', 'jump lan_input'),
  goto: d('Verdict: evaluate the target chain and do not come back; its end applies the base chain policy.', 'goto wan_input'),
  return: d('Verdict: leave this chain and continue after the `jump` that entered it (in a base chain: apply the policy).', 'return'),
  continue: d('Verdict: go on with the next rule (the implicit default of a rule).', 'continue'),
  queue: d('Passes the packet to a userspace program on an NFQUEUE.', 'queue num 0 bypass'),
  vmap: d('Verdict map: looks the key up and applies the verdict found.', 'tcp dport vmap { 22 : accept, 23 : drop }'),
  // Statements
  counter: d('Counts packets and bytes of packets reaching it. A named counter object is referenced with `counter name NAME`.', 'tcp dport 22 counter accept'),
  limit: d('Matches while the rate is below the limit (`over` inverts).', 'limit rate 10/second burst 20 packets accept'),
  quota: d('Matches until a byte quota is used up (`over` inverts).', 'quota over 10 gbytes drop'),
  log: d('Logs the packet to the kernel log (or an nflog group).', 'log prefix "drop: " level info'),
  snat: d('Source NAT: rewrites the source address (and port) of new connections. In postrouting (or input).', 'oifname "wan0" snat to 203.0.113.1'),
  dnat: d('Destination NAT: rewrites the destination address (and port). In prerouting (or output).', 'tcp dport 80 dnat to 192.168.1.10:8080'),
  masquerade: d('Source NAT to the address of the outgoing interface. In postrouting.', 'oifname "wan0" masquerade'),
  redirect: d('Destination NAT to the local machine (a local port).', 'tcp dport 80 redirect to :3128'),
  notrack: d('Skips connection tracking for the packet (only in raw-priority chains before conntrack). Untracked packets cannot be offloaded.', 'udp dport 53 notrack'),
  flow: d('`flow add @ft` adds the connection to a flowtable: its later packets take the fast path and skip the forward chain.', 'ct state established flow add @ft'),
  offload: d('`flow offload @ft` is an alias of `flow add @ft`; `flags offload` asks for hardware offload.', 'flow offload @ft'),
  dup: d('Sends a copy of the packet to another address or device.', 'dup to 10.0.0.2 device eth1'),
  fwd: d('Forwards the packet to another device from netdev ingress.', 'fwd to eth1'),
  tproxy: d('Transparent proxy: delivers the packet to a local socket without changing it.', 'tproxy ip to 127.0.0.1:3128'),
  meter: d('(Deprecated) per-key stateful statement; use a dynamic set with `add @s { … }`.', 'meter m { ip saddr limit rate 10/second }'),
  synproxy: d('Answers SYNs on behalf of the server until the handshake completes (SYN flood protection).', 'synproxy mss 1460 wscale 7 timestamp sack-perm'),
  update: d('Adds the key to a dynamic set or map, or refreshes its timeout.', 'update @seen { ip saddr timeout 1m }'),
  map_expr: d('Looks the key up in a map and uses the value found.', 'dnat to tcp dport map { 80 : 10.0.0.2 }'),
  // Expressions
  meta: d('Packet metadata: interfaces, marks, protocol numbers, socket owner …', 'meta l4proto tcp'),
  ct: d('Connection tracking state of the packet\'s connection.', 'ct state established,related accept'),
  fib: d('Looks the packet up in the routing table (FIB), e.g. for reverse path filtering.', 'fib saddr . iif oif missing drop'),
  socket: d('Matches on the local socket the packet belongs to.', 'socket transparent 1'),
  numgen: d('A number generator (`inc` or `random`) modulo N, for load balancing.', 'dnat to numgen inc mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }'),
  jhash: d('A Jenkins hash of an expression modulo N.', 'jhash ip saddr mod 2'),
  symhash: d('A hash that is the same in both directions, modulo N.', 'symhash mod 2'),
  rt: d('Routing data of the packet (next hop, MTU, realm), or the IPv6 routing header.', 'rt mtu'),
  exists: d('True when the header or option is present.', 'tcp option mptcp exists'),
  missing: d('True when the header or option is absent (fib: no route).', 'fib daddr type missing'),
  // ct state values
  established: d('ct state: the connection has seen packets in both directions.', 'ct state established accept'),
  related: d('ct state: a new connection expected by an existing one (FTP data, ICMP errors).', 'ct state related accept'),
  new: d('ct state: the first packet of a connection.', 'ct state new tcp dport 22 accept'),
  invalid: d('ct state: conntrack could not classify the packet; usually dropped.', 'ct state invalid drop'),
  untracked: d('ct state: the packet was excluded from tracking with `notrack`.', 'ct state untracked accept'),
};

/** Field docs by selector path. Anything not listed gets a generated one-liner. */
export const SELECTOR_DOCS: Record<string, Doc> = {
  'ip saddr': d('IPv4 source address.', 'ip saddr 192.168.1.0/24', 'ipv4_addr'),
  'ip daddr': d('IPv4 destination address.', 'ip daddr 10.0.0.1', 'ipv4_addr'),
  'ip protocol': d('IPv4 upper-layer protocol (prefer `meta l4proto`, which also works for IPv6).', 'ip protocol tcp', 'inet_proto'),
  'ip ttl': d('IPv4 time to live.', 'ip ttl 1', 'integer (8 bit)'),
  'ip dscp': d('IPv4 Differentiated Services code point.', 'ip dscp cs1', 'dscp'),
  'ip length': d('IPv4 total length.', 'ip length > 1000', 'integer (16 bit)'),
  'ip6 saddr': d('IPv6 source address.', 'ip6 saddr fe80::/10', 'ipv6_addr'),
  'ip6 daddr': d('IPv6 destination address.', 'ip6 daddr ::1', 'ipv6_addr'),
  'ip6 nexthdr': d('IPv6 next header (the first extension header, not always the transport; prefer `meta l4proto`).', 'ip6 nexthdr ipv6-icmp', 'inet_proto'),
  'ip6 hoplimit': d('IPv6 hop limit.', 'ip6 hoplimit 1', 'integer (8 bit)'),
  'tcp dport': d('TCP destination port.', 'tcp dport { 22, 80, 443 }', 'inet_service'),
  'tcp sport': d('TCP source port.', 'tcp sport 1024-65535', 'inet_service'),
  'tcp flags': d('TCP flags: fin syn rst psh ack urg ecn cwr.', 'tcp flags & (syn | ack) == syn', 'tcp_flag'),
  'udp dport': d('UDP destination port.', 'udp dport 53', 'inet_service'),
  'udp sport': d('UDP source port.', 'udp sport 67', 'inet_service'),
  'th dport': d('Transport header destination port (TCP, UDP, UDP-Lite, SCTP, DCCP).', 'meta l4proto { tcp, udp } th dport 53', 'inet_service'),
  'th sport': d('Transport header source port.', 'th sport 53', 'inet_service'),
  'ether saddr': d('Ethernet source MAC address.', 'ether saddr 00:11:22:33:44:55', 'ether_addr'),
  'ether daddr': d('Ethernet destination MAC address.', 'ether daddr ff:ff:ff:ff:ff:ff', 'ether_addr'),
  'ether type': d('EtherType.', 'ether type vlan', 'ether_type'),
  'vlan id': d('802.1Q VLAN id.', 'vlan id 10', 'integer (12 bit)'),
  'icmp type': d('ICMP message type.', 'icmp type echo-request', 'icmp_type'),
  'icmpv6 type': d('ICMPv6 message type.', 'icmpv6 type { nd-neighbor-solicit, nd-router-advert }', 'icmpv6_type'),
  'meta l4proto': d('Transport protocol of the packet, for IPv4 and IPv6 alike.', 'meta l4proto { tcp, udp }', 'inet_proto'),
  'meta nfproto': d('Netfilter protocol family (ipv4, ipv6), useful in inet tables.', 'meta nfproto ipv4', 'nf_proto'),
  'meta protocol': d('EtherType of the packet.', 'meta protocol ip6', 'ether_type'),
  'meta mark': d('Packet mark (fwmark).', 'meta mark 0x1', 'mark (32 bit)'),
  'meta iifname': d('Name of the input interface (matched as a string; wildcards allowed).', 'iifname "lan*"', 'ifname'),
  'meta oifname': d('Name of the output interface (matched as a string).', 'oifname "wan0"', 'ifname'),
  'meta iif': d('Index of the input interface (resolved when the rule is loaded: the interface must exist).', 'iif lo accept', 'iface_index'),
  'meta oif': d('Index of the output interface.', 'oif eth0', 'iface_index'),
  'meta pkttype': d('Packet type: host, unicast, broadcast, multicast, other.', 'pkttype broadcast', 'pkt_type'),
  'meta skuid': d('UID of the owner of the originating socket (output only).', 'meta skuid 1000', 'uid'),
  'meta nftrace': d('Enables rule tracing for the packet (`nft monitor trace`).', 'meta nftrace set 1', 'integer (1 bit)'),
  'meta priority': d('Traffic control priority (class id).', 'meta priority set 1:1', 'classid'),
  'ct state': d('Conntrack state: new, established, related, invalid, untracked.', 'ct state established,related accept', 'ct_state'),
  'ct status': d('Conntrack status bits: expected, seen-reply, assured, confirmed, snat, dnat, dying.', 'ct status dnat accept', 'ct_status'),
  'ct mark': d('Connection mark.', 'ct mark set meta mark', 'mark (32 bit)'),
  'ct direction': d('Direction of the packet in its connection: original or reply.', 'ct direction original', 'ct_dir'),
  'ct helper': d('Conntrack helper of the connection.', 'ct helper "ftp"', 'string'),
  'ct zone': d('Conntrack zone.', 'ct zone set 1', 'integer (16 bit)'),
  'ct count': d('Number of connections matching the key (connlimit).', 'ct count over 10 reject', 'integer'),
  'ct expiration': d('Time left before the connection expires.', 'ct expiration < 1m', 'time'),
  'ct bytes': d('Bytes seen on the connection.', 'ct bytes > 1000000', 'integer (64 bit)'),
  'ct packets': d('Packets seen on the connection.', 'ct packets > 10', 'integer (64 bit)'),
};

const PROTO_NAMES: Record<string, string> = {
  ip: 'IPv4 header', ip6: 'IPv6 header', tcp: 'TCP header', udp: 'UDP header', udplite: 'UDP-Lite header', sctp: 'SCTP header',
  dccp: 'DCCP header', icmp: 'ICMP header', icmpv6: 'ICMPv6 header', igmp: 'IGMP header', ether: 'Ethernet header',
  vlan: '802.1Q VLAN header', arp: 'ARP header', th: 'transport header (any of TCP, UDP, SCTP, DCCP)', ah: 'IPsec AH header',
  esp: 'IPsec ESP header', comp: 'IPComp header', vxlan: 'VXLAN header (inner headers follow)', geneve: 'Geneve header',
  gre: 'GRE header', gretap: 'GRETAP header', hbh: 'IPv6 hop-by-hop header', frag: 'IPv6 fragment header', dst: 'IPv6 destination options header',
  mh: 'IPv6 mobility header', srh: 'IPv6 segment routing header', rt0: 'IPv6 routing header type 0', rt2: 'IPv6 routing header type 2',
  exthdr: 'IPv6 extension header presence', osf: 'passive OS fingerprint', ipsec: 'IPsec state of the packet', tunnel: 'tunnel metadata',
};

/** Doc for a selector path (e.g. ['ip','saddr']); a generic one when not in the table. */
export function selectorDoc(path: readonly string[]): Doc | undefined {
  const key = path.join(' ');
  const norm = path.length === 1 && path[0] !== 'meta' && SELECTOR_DOCS[`meta ${path[0]}`] ? `meta ${path[0]}` : key;
  if (SELECTOR_DOCS[norm]) return SELECTOR_DOCS[norm];
  if (path.length === 1) return KEYWORD_DOCS[path[0]] ?? (PROTO_NAMES[path[0]] ? d(`The ${PROTO_NAMES[path[0]]}; a field name follows.`, `${path[0]} …`) : undefined);
  const proto = PROTO_NAMES[path[0]];
  if (proto) return d(`Field \`${path.slice(1).join(' ')}\` of the ${proto}.`, `${key} …`);
  if (path[0] === 'meta') return d(`Packet metadata key \`${path.slice(1).join(' ')}\`.`, `${key} …`);
  if (path[0] === 'ct') return d(`Conntrack key \`${path.slice(1).join(' ')}\` of the packet's connection.`, `${key} …`);
  return undefined;
}

export function renderDoc(title: string, doc: Doc): string {
  const parts = [`**${title}**${doc.type ? ` — \`${doc.type}\`` : ''}`, '', doc.summary];
  if (doc.example) parts.push('', '```nftables', doc.example, '```');
  return parts.join('\n');
}

export const CT_STATES = ['new', 'established', 'related', 'invalid', 'untracked'];
export const CT_STATUS = ['expected', 'seen-reply', 'assured', 'confirmed', 'snat', 'dnat', 'dying'];
export const PRIORITY_NAMES = ['raw', 'mangle', 'dstnat', 'filter', 'security', 'srcnat', 'out'];
export const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];
export const CHAIN_TYPES = ['filter', 'nat', 'route'];
export const L4_PROTOCOLS = ['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'icmp', 'icmpv6', 'igmp', 'esp', 'ah', 'gre'];
export const SET_TYPES = ['ipv4_addr', 'ipv6_addr', 'ether_addr', 'inet_proto', 'inet_service', 'mark', 'ifname', 'iface_index', 'verdict'];
