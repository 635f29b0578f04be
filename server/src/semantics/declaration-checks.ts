import type * as A from '../syntax/ast';
import type { Span } from '../core/span';
import type { SemanticRuleKey } from './codes';

/**
 * Checks on declarations (chains, sets, flowtables, objects) that nft makes while
 * evaluating them (nft `src/evaluate.c` `chain_evaluate`, `set_evaluate`,
 * `ct_timeout_evaluate`) or that the kernel's netlink policies enforce.
 */
type Report = (rule: SemanticRuleKey, span: Span, message: string) => void;

/**
 * Kernel netlink policy: table, chain, set, flowtable and object names are
 * `NLA_STRING` with `.len = NFT_NAME_MAXLEN - 1` (nf_tables_api.c; NFT_NAME_MAXLEN is
 * 256 in include/uapi/linux/netfilter/nf_tables.h, and NFT_TABLE_MAXNAMELEN,
 * NFT_CHAIN_MAXNAMELEN, NFT_SET_MAXNAMELEN, NFT_OBJ_MAXNAMELEN all equal it).
 */
export const MAX_NAME_BYTES = 255;

const UTF8 = new TextEncoder();

export function checkName(kind: string, name: string | undefined, span: Span, report: Report): void {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short names need no encoding.
  if (!name || name.length * 3 <= MAX_NAME_BYTES) return;
  const bytes = UTF8.encode(name).length;
  if (bytes > MAX_NAME_BYTES) report('nameTooLong', span, `${kind} name is too long (${bytes} bytes, the kernel allows at most ${MAX_NAME_BYTES})`);
}

/** nft `chain_evaluate`: the policy must evaluate to `accept` or `drop` ("invalid policy expression"). */
export function checkPolicy(value: A.Expr | undefined, resolved: A.Expr | undefined, report: Report): void {
  if (!value || !resolved) return;
  let text: string | undefined;
  if (resolved.kind === 'Verdict') text = resolved.verdict;
  else if (resolved.kind === 'Word' || resolved.kind === 'KeywordValue' || resolved.kind === 'String') text = resolved.text;
  else if (resolved.kind === 'Var' || resolved.kind === 'Error') return;
  if (text === 'accept' || text === 'drop') return;
  report('invalidPolicy', value.span, `invalid policy expression${text !== undefined ? ` '${text}'` : ''}: a chain policy is accept or drop`);
}

/** A 0-length device name: nft asserts in `constant_expr_alloc` (older) or refuses it; the kernel needs IFNAMSIZ names of at least one byte. */
export function checkDeviceNames(exprs: (A.Expr | undefined)[], report: Report): void {
  for (const e of exprs) if (e && e.kind === 'String' && e.text === '') report('emptyDeviceName', e.span, 'device name cannot be empty');
}

/** Set/map type text: `verdict` may only be the whole data type (nft: "invalid basetype verdict" in a concatenation). */
export function checkSetTypeParts(spec: A.SetTypeSpec, text: string, report: Report): void {
  for (const e of [spec.key, spec.data]) {
    if (!e || e.kind !== 'Concat') continue;
    for (const p of e.parts) {
      const w = text.slice(p.span.start, p.span.end).trim();
      if (w === 'verdict') report('verdictInConcat', p.span, '`verdict` cannot be part of a concatenation');
    }
  }
}

/** `typeof ct saddr`: without `ip`/`ip6` the address type is unknown (nft: "unqualified type invalid specified"). */
export function checkTypeofKey(spec: A.SetTypeSpec, report: Report): void {
  if (!spec.typeof) return;
  for (const e of [spec.key, spec.data]) {
    if (!e) continue;
    for (const p of e.kind === 'Concat' ? e.parts : [e]) {
      if (p.kind !== 'Selector' || p.path[0] !== 'ct') continue;
      const last = p.path[p.path.length - 1];
      if ((last === 'saddr' || last === 'daddr') && !p.path.includes('ip') && !p.path.includes('ip6'))
        report('unqualifiedSetType', p.span, `\`${p.path.join(' ')}\` has no type without a family; write \`ct original ip ${last}\` or \`ct original ip6 ${last}\``);
    }
  }
}

/** `counter name …` in a set declaration: set statements must be anonymous stateful expressions (nft `stmt_evaluate_stateful`, "unknown stateful statement type objref"). */
export function checkSetStateful(item: A.StatefulSpec, report: Report): void {
  const s = item.statement;
  if (s && (s.kind === 'Counter' || s.kind === 'Limit' || s.kind === 'Quota') && s.ref)
    report('namedStatefulInSet', item.span, `a set or map takes anonymous stateful statements only; \`${s.kind.toLowerCase()} name …\` refers to an object`);
}

/** States per protocol of a `ct timeout` policy (nft `src/rule.c` `tcp_state_to_name`, `udp_state_to_name`). */
const TIMEOUT_STATES: Record<string, string[]> = {
  tcp: ['syn_sent', 'syn_recv', 'established', 'fin_wait', 'close_wait', 'last_ack', 'time_wait', 'close', 'syn_sent2', 'retrans', 'unack'],
  udp: ['unreplied', 'replied'],
};

/**
 * `ct timeout` bodies are kept as words by the parser; read the policy from the
 * source text (`policy = { established : 2m, close : 10s }`).
 */
export function checkCtTimeout(body: A.ObjectItem[] | undefined, text: string, report: Report): void {
  let proto: string | undefined;
  for (const item of body ?? []) {
    if (item?.kind !== 'Property') continue;
    const t = text.slice(item.span.start, item.span.end);
    const m = t.match(/^\s*protocol\s+(\w+)/);
    if (m) proto = m[1];
  }
  const states = proto ? TIMEOUT_STATES[proto] : undefined;
  if (!states) return;
  for (const item of body ?? []) {
    if (item?.kind !== 'Property' || item.key !== 'policy') continue;
    const t = text.slice(item.span.start, item.span.end);
    const open = t.indexOf('{');
    if (open < 0) continue;
    for (const m of t.slice(open + 1).matchAll(/([A-Za-z_][\w]*)\s*:/g)) {
      if (states.includes(m[1])) continue;
      const start = item.span.start + open + 1 + (m.index ?? 0);
      report('ctTimeoutState', { start, end: start + m[1].length }, `invalid state for this protocol: '${m[1]}' is not a ${proto} conntrack state (${states.join(', ')})`);
    }
  }
}

/**
 * Tunnel objects (nft 1.1.6+). `nft -c` hands the object to the kernel, whose
 * `nft_tunnel_obj_init` (net/netfilter/nft_tunnel.c) refuses it with EINVAL unless it has an
 * `id` (NFTA_TUNNEL_KEY_ID) and an IPv4 or IPv6 destination (`nft_tunnel_obj_ip_init` requires
 * NFTA_TUNNEL_KEY_IP_DST). Addresses are single values: nft cannot encode a set there (an
 * anonymous set through a variable made nft 1.1.x assert, bogons `tunnel_with_anon_set_assert`).
 */
export function checkTunnel(
  body: A.ObjectItem[],
  at: Span,
  varValue: (name: string) => A.Expr | undefined,
  report: Report,
): void {
  const props = body.filter((i): i is A.PropertySpec => i?.kind === 'Property');
  const partsOf = (p: A.PropertySpec): A.Expr[] => (!p.value ? [] : p.value.kind === 'List' ? p.value.items : [p.value]);
  const addresses = props.filter((p) => p.key === 'ip' || p.key === 'ip6');
  if (!props.some((p) => p.key === 'id')) {
    report('tunnelIncomplete', at, 'a tunnel object needs an `id`: the kernel refuses one without it (Invalid argument)');
  }
  if (!addresses.some((p) => partsOf(p)[1]?.kind === 'Word' && (partsOf(p)[1] as A.WordExpr).text === 'daddr')) {
    report('tunnelIncomplete', at, 'a tunnel object needs a destination, `ip daddr ADDR` or `ip6 daddr ADDR`: the kernel refuses one without it (Invalid argument)');
  }
  for (const p of addresses) {
    const [, dir, value] = partsOf(p);
    if (!value || dir?.kind !== 'Word') continue;
    let v: A.Expr | undefined = value;
    for (let depth = 0; v?.kind === 'Var' && depth < 8; depth++) v = varValue(v.name.text);
    if (v && (v.kind === 'SetLiteral' || v.kind === 'Range' || v.kind === 'Prefix' || v.kind === 'List')) {
      const what = v.kind === 'SetLiteral' || v.kind === 'List' ? 'a set' : v.kind === 'Range' ? 'a range' : 'a prefix';
      report('valueTypeMismatch', value.span, `a tunnel's \`${p.key} ${(dir as A.WordExpr).text}\` takes one address, not ${what}`);
    }
  }
}
