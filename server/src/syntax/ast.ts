import type { Span } from '../core/span';

/**
 * The syntax tree of one nftables file. It is a value: it stores no semantic
 * information (no resolved references, no types). Invariant: every node has a span
 * into the file's text, and a node built from recovered input may have missing
 * (undefined) children, so consumers must be defensive.
 */

export type Family = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

/** A name as written: table, chain, set, flowtable, object or variable name. */
export interface Ident {
  kind: 'Ident';
  text: string;
  span: Span;
  /** True when written with quotes (`"name"`), which nft allows only in a few places. */
  quoted?: boolean;
}

/** `[family] name` wherever a table is named in a command. */
export interface TableSpec {
  family?: Ident;
  name?: Ident;
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | SelectorExpr
  | NumberExpr
  | WordExpr
  | StringExpr
  | AddressExpr
  | VarExpr
  | SetRefExpr
  | SetLiteralExpr
  | BinaryExpr
  | ConcatExpr
  | RangeExpr
  | PrefixExpr
  | ListExpr
  | MapExpr
  | VerdictExpr
  | RawPayloadExpr
  | WildcardExpr
  | NegExpr
  | KeywordValueExpr
  | FuncExpr
  | ErrorExpr;

/**
 * A left-hand-side selector: a keyword path such as `ip saddr`, `meta l4proto`,
 * `ct original ip saddr`, `tcp option maxseg size`, `fib daddr . iif oif` (the
 * flags live in `parts`). `path` holds the words, `args` any embedded values
 * (for example `rt0 addr[1]`'s index or `sctp chunk data`).
 */
export interface SelectorExpr {
  kind: 'Selector';
  /**
   * The words of the path, e.g. ['ip', 'saddr'] or ['ct', 'original', 'ip', 'saddr']. Shared by
   * every selector with the same words (frozen): a big ruleset repeats a handful of paths.
   */
  path: readonly string[];
  /** Offset of each word of `path`, same order (`selectorWordSpan` gives its span). */
  pathStarts: number[];
  /** Extra expression arguments (jhash's expression, numgen's modulus, ...). */
  args?: Expr[];
  span: Span;
}

export interface NumberExpr {
  kind: 'Number';
  text: string;
  span: Span;
}

/** A bare word on the value side: `established`, `ssh`, `eth0`, `echo-request`. */
export interface WordExpr {
  kind: 'Word';
  text: string;
  span: Span;
}

export interface StringExpr {
  kind: 'String';
  /** Without the quotes. */
  text: string;
  span: Span;
}

/** IPv4, IPv6 (bracketed or not), MAC addresses, times like `1h30m`, classids like `1:2`. */
export interface AddressExpr {
  kind: 'Address';
  text: string;
  span: Span;
}

/** `$name` */
export interface VarExpr {
  kind: 'Var';
  name: Ident;
  span: Span;
}

/** `@name` */
export interface SetRefExpr {
  kind: 'SetRef';
  name: Ident;
  span: Span;
}

/** One element of a set or map literal, with its per-element options. */
export interface SetElement {
  key: Expr;
  /** Map data (after `:`). */
  value?: Expr;
  /** `timeout`, `expires`, `comment` and stateful statements on the element. */
  options?: Statement[];
  comment?: StringExpr;
  span: Span;
}

/** `{ a, b : c, ... }` */
export interface SetLiteralExpr {
  kind: 'SetLiteral';
  elements: SetElement[];
  span: Span;
}

/**
 * Bitwise operators, plus `+` for priority offsets only: `filter + 10` is
 * `Binary('+', filter, 10)` and `dstnat - 5` is `Binary('+', dstnat, Neg(5))`, so the right
 * side always carries its sign.
 */
export type BinaryOp = '&' | '|' | '^' | '<<' | '>>' | '+';

export interface BinaryExpr {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

/** `a . b . c` */
export interface ConcatExpr {
  kind: 'Concat';
  parts: Expr[];
  span: Span;
}

/** `a - b` */
export interface RangeExpr {
  kind: 'Range';
  from: Expr;
  to: Expr;
  span: Span;
}

/** `addr / len` */
export interface PrefixExpr {
  kind: 'Prefix';
  base: Expr;
  length: Expr;
  span: Span;
}

/** A bare comma list on the right-hand side: `ct state established,related`. */
export interface ListExpr {
  kind: 'List';
  items: Expr[];
  span: Span;
}

/** `key map { ... }`, `key map @m`, or a verdict map `key vmap { ... }`. */
export interface MapExpr {
  kind: 'Map';
  key: Expr;
  map: Expr;
  verdictMap: boolean;
  span: Span;
}

export type VerdictKind = 'accept' | 'drop' | 'continue' | 'return' | 'jump' | 'goto' | 'queue';

/** A verdict used as a value (map data) or as a statement. */
export interface VerdictExpr {
  kind: 'Verdict';
  verdict: VerdictKind;
  /** `jump`/`goto` target: a chain name, a `$var`, or an anonymous chain. */
  target?: Ident | VarExpr | AnonChain;
  span: Span;
}

/** `@ll,OFFSET,LENGTH` and friends. */
export interface RawPayloadExpr {
  kind: 'RawPayload';
  base: string;
  offset: Expr;
  length: Expr;
  span: Span;
}

/** `*` (catch-all element). */
export interface WildcardExpr {
  kind: 'Wildcard';
  span: Span;
}

/** `-N` (in priorities and defines) */
export interface NegExpr {
  kind: 'Neg';
  operand: Expr;
  span: Span;
}

/** A reserved word used as a value: `meta l4proto tcp`, `ct status dnat`, `exists`. */
export interface KeywordValueExpr {
  kind: 'KeywordValue';
  text: string;
  span: Span;
}

/** `jhash ip saddr mod 2 seed 1`, `numgen inc mod 2`, `symhash mod 2`: keyword plus options. */
export interface FuncExpr {
  kind: 'Func';
  name: string;
  args: Expr[];
  /** Option words and their values, e.g. { mod: 2, offset: 1 }. */
  options: { key: string; value?: Expr; span: Span }[];
  span: Span;
}

/** Placeholder where recovery left no expression. */
export interface ErrorExpr {
  kind: 'Error';
  span: Span;
}

// ---------------------------------------------------------------- statements

export type Statement =
  | MatchStmt
  | VerdictStmt
  | FlowOffloadStmt
  | CounterStmt
  | LimitStmt
  | QuotaStmt
  | LogStmt
  | NatStmt
  | SetStmt
  | SetUpdateStmt
  | GenericStmt;

/** `LEFT [op] RIGHT`, e.g. `tcp dport 22`, `ct state != established`. */
export interface MatchStmt {
  kind: 'Match';
  left: Expr;
  /** `==`, `!=`, `<`, ... as written (word spellings normalised), or undefined for implicit. */
  op?: string;
  right: Expr;
  span: Span;
}

export interface VerdictStmt {
  kind: 'Verdict';
  verdict: VerdictKind;
  target?: Ident | VarExpr | AnonChain;
  /** Verdict map: `EXPR vmap { ... }` is a VerdictStmt with `map` set and verdict 'jump'-less. */
  map?: MapExpr;
  span: Span;
}

/** `flow add @ft` / `flow offload @ft`. */
export interface FlowOffloadStmt {
  kind: 'FlowOffload';
  flowtable?: Ident;
  span: Span;
}

export interface CounterStmt {
  kind: 'Counter';
  /** `counter name NAME` / `counter name $v` references a named counter. */
  ref?: Expr;
  packets?: string;
  bytes?: string;
  span: Span;
}

export interface LimitStmt {
  kind: 'Limit';
  ref?: Expr;
  over: boolean;
  rate?: string;
  unit?: string;
  burst?: string;
  span: Span;
}

export interface QuotaStmt {
  kind: 'Quota';
  ref?: Expr;
  over: boolean;
  span: Span;
}

export interface LogStmt {
  kind: 'Log';
  prefix?: StringExpr;
  span: Span;
}

/** snat, dnat, masquerade, redirect. */
export interface NatStmt {
  kind: 'Nat';
  type: 'snat' | 'dnat' | 'masquerade' | 'redirect';
  family?: string;
  /** The address part, or the port when only `:PORT` is given (kept for compatibility). */
  to?: Expr;
  /** The part after `:` (`to 10.0.0.1:8080`, `to :80`, `redirect to :tcp dport map {…}`). */
  port?: Expr;
  span: Span;
}

/** `meta mark set 1`, `ct mark set meta mark`, `ip ttl set 64`, `ct helper set "ftp"`. */
export interface SetStmt {
  kind: 'Set';
  target: SelectorExpr;
  value: Expr;
  span: Span;
}

/** `add @s { ip saddr }`, `update @m { k : v }`, `delete @s { ... }`, legacy `set add ... @s`. */
export interface SetUpdateStmt {
  kind: 'SetUpdate';
  op: 'add' | 'update' | 'delete';
  set?: Ident;
  element?: Expr;
  /** Map data: `update @m { ip saddr : 0x1 }`. */
  value?: Expr;
  statements?: Statement[];
  span: Span;
}

/**
 * Every other statement: notrack, reject, queue, dup, fwd, tproxy, meter, synproxy,
 * ct count, last, xt, reset tcp option, tunnel, secmark ... `keyword` is the leading
 * word (`reject`, `notrack`, `ct count`, ...). `args` holds its expressions in order.
 */
export interface GenericStmt {
  kind: 'Generic';
  keyword: string;
  args: Expr[];
  /** Option words seen, e.g. ['with', 'icmp', 'type'] — enough for hover and analysis. */
  words: string[];
  /** Nested rule body (meter's per-key statement). */
  statements?: Statement[];
  span: Span;
}

/** An anonymous chain: `jump { ... }`. */
export interface AnonChain {
  kind: 'AnonChain';
  rules: Rule[];
  span: Span;
}

export interface Rule {
  kind: 'Rule';
  statements: Statement[];
  comment?: StringExpr;
  span: Span;
}

// ---------------------------------------------------------------- blocks and items

/** `define NAME = value`, `redefine ...`, `undefine NAME`. */
export interface DefineStmt {
  kind: 'Define';
  op: 'define' | 'redefine' | 'undefine';
  name: Ident;
  value?: Expr;
  span: Span;
}

export interface IncludeStmt {
  kind: 'Include';
  path: StringExpr;
  span: Span;
}

/** `type filter hook input [device D | devices = {...}] priority P` inside a chain. */
export interface ChainHookSpec {
  kind: 'ChainHook';
  type?: Ident;
  hook?: Ident;
  device?: Expr;
  devices?: Expr;
  priority?: Expr;
  span: Span;
}

/** `policy accept|drop|$v` */
export interface PolicySpec {
  kind: 'Policy';
  value: Expr;
  span: Span;
}

/** A simple `key value` property in a block: `flags ...`, `comment "..."`, `timeout 1m`, `size 10`, `counter` ... */
export interface PropertySpec {
  kind: 'Property';
  key: string;
  keySpan: Span;
  value?: Expr;
  span: Span;
}

/** `type T . T [: V]` / `typeof EXPR [: EXPR]` in a set or map. */
export interface SetTypeSpec {
  kind: 'SetType';
  typeof: boolean;
  key: Expr;
  /** Map data type (after `:`); `interval` data is flagged by `dataInterval`. */
  data?: Expr;
  dataInterval?: boolean;
  span: Span;
}

/** `elements = { ... }` */
export interface ElementsSpec {
  kind: 'Elements';
  elements: Expr;
  span: Span;
}

/** `hook ingress priority P` in a flowtable. */
export interface FlowtableHookSpec {
  kind: 'FlowtableHook';
  hook?: Ident;
  priority?: Expr;
  span: Span;
}

/** `devices = { ... }` in a flowtable or chain. */
export interface DevicesSpec {
  kind: 'Devices';
  devices: Expr;
  span: Span;
}

/** A statement-like item inside a set/map body: `counter`, `limit ...`, `quota ...`, `ct count ...`, `last`. */
export interface StatefulSpec {
  kind: 'Stateful';
  statement: Statement;
  span: Span;
}

export type ChainItem = ChainHookSpec | PolicySpec | PropertySpec | DevicesSpec | Rule | DefineStmt | IncludeStmt;
export type SetItem = SetTypeSpec | PropertySpec | ElementsSpec | StatefulSpec | DefineStmt | IncludeStmt;
export type FlowtableItem = FlowtableHookSpec | DevicesSpec | PropertySpec | DefineStmt | IncludeStmt;
export type ObjectItem = PropertySpec | DefineStmt | IncludeStmt;

export type Verb =
  | 'add'
  | 'create'
  | 'insert'
  | 'replace'
  | 'delete'
  | 'destroy'
  | 'flush'
  | 'list'
  | 'reset'
  | 'rename'
  | 'get'
  | 'describe'
  | 'monitor'
  | 'import'
  | 'export';

/**
 * Where a declaration sits: inside a `table { }` block (table given by the parent), or
 * a command such as `add chain inet t c { ... }` (table given in `table`).
 */
interface DeclBase {
  /** 'add' when written as a block inside a table or with an implicit `add`. */
  verb: Verb;
  /** True when `verb` was written explicitly (`add table ...`), false for block or implicit form. */
  explicitVerb: boolean;
  /** The table named in a command form; undefined inside a table block. */
  table?: TableSpec;
  name?: Ident;
  /** Set when the object is addressed by `handle N` instead of a name. */
  handle?: NumberExpr;
  span: Span;
}

export interface TableDecl extends DeclBase {
  kind: 'Table';
  family?: Ident;
  /** undefined when written without a body (`add table ip t`). */
  body?: TableItem[];
}

export interface ChainDecl extends DeclBase {
  kind: 'Chain';
  body?: ChainItem[];
}

export interface SetDecl extends DeclBase {
  kind: 'Set';
  /** true for `map NAME { }` */
  isMap: boolean;
  body?: SetItem[];
}

export interface FlowtableDecl extends DeclBase {
  kind: 'Flowtable';
  body?: FlowtableItem[];
}

export type ObjectType =
  | 'counter'
  | 'quota'
  | 'limit'
  | 'ct helper'
  | 'ct timeout'
  | 'ct expectation'
  | 'secmark'
  | 'synproxy'
  | 'tunnel';

export interface ObjectDecl extends DeclBase {
  kind: 'Object';
  objectType: ObjectType;
  /** Block body, or the inline form's words (`counter t c packets 1 bytes 2`). */
  body?: ObjectItem[];
}

/** `add rule [family] T C [position N|handle N|index N] STMTS`, `insert rule ...`, `replace rule ...`, `delete rule ... handle N`. */
export interface RuleCmd {
  kind: 'RuleCmd';
  verb: Verb;
  explicitVerb: boolean;
  table?: TableSpec;
  chain?: Ident;
  /** `position N`, `handle N` or `index N`. */
  placement?: { key: 'position' | 'handle' | 'index'; value: NumberExpr };
  rule?: Rule;
  span: Span;
}

/** `add|delete|get|reset|destroy element [family] T S { ... }` */
export interface ElementCmd {
  kind: 'ElementCmd';
  verb: Verb;
  table?: TableSpec;
  set?: Ident;
  elements?: SetLiteralExpr;
  span: Span;
}

/**
 * Every other command: list, flush, rename, monitor, describe, import, export, and
 * delete/destroy/reset on objects. `object` is the object word (`ruleset`, `table`,
 * `chains`, `counter`, ...); `args` the rest in order.
 */
export interface OtherCmd {
  kind: 'OtherCmd';
  verb: Verb;
  object?: string;
  table?: TableSpec;
  names: Ident[];
  args: Expr[];
  span: Span;
}

export type TableItem =
  | ChainDecl
  | SetDecl
  | FlowtableDecl
  | ObjectDecl
  | PropertySpec
  | DefineStmt
  | IncludeStmt;

export type TopItem =
  | TableDecl
  | ChainDecl
  | SetDecl
  | FlowtableDecl
  | ObjectDecl
  | RuleCmd
  | ElementCmd
  | OtherCmd
  | DefineStmt
  | IncludeStmt;

/** A `#` comment, kept for the formatter and folding. */
export interface Comment {
  text: string;
  span: Span;
}

export interface Ruleset {
  kind: 'Ruleset';
  items: TopItem[];
  comments: Comment[];
  span: Span;
}

export type AnyDecl = TableDecl | ChainDecl | SetDecl | FlowtableDecl | ObjectDecl;

/** The span of word `i` of a selector's path (each word is one token, spelled as in `path`). */
export function selectorWordSpan(sel: SelectorExpr, i: number): Span {
  const start = sel.pathStarts[i];
  return { start, end: start + sel.path[i].length };
}
