import type { Span } from '../core/span';
import type { Finding } from '../core/finding';
import type * as A from '../syntax/ast';

/**
 * The semantic model of a ruleset: what the kernel would hold after loading the
 * file(s), with every declaration and reference located in its source file.
 * Block form (`table t { chain c { … } }`) and command form (`add chain t c`,
 * `add rule t c …`) merge into the same objects, as nft merges them.
 *
 * Invariant: built from ASTs only (no I/O here; include files are handed in by the
 * caller), never throws, and stores no LSP types.
 */

/** A source location: which file (as the caller named it) and where. */
export interface Loc {
  file: string;
  span: Span;
}

export type SymbolKind = 'table' | 'chain' | 'set' | 'map' | 'flowtable' | 'object' | 'define';

/** One named thing, with where it is declared and every place that refers to it. */
export interface SymbolInfo {
  kind: SymbolKind;
  name: string;
  /** e.g. `inet filter` for things inside a table; '' for tables and top-level defines. */
  container: string;
  /** Where the name is written in each declaration (a table may be declared in several blocks). */
  declarations: Loc[];
  /** Span of the whole declaring construct (for outline and folding), first declaration. */
  fullSpan?: Loc;
  references: Loc[];
  /** Extra label: the object type for objects (`counter`, `ct helper` ...), the family for tables. */
  detail?: string;
}

export interface DefineDecl {
  name: string;
  value?: A.Expr;
  loc: Loc;
  /** Where the define is visible: 'top' or the table key (`inet t`), or `inet t c` inside a chain. */
  scope: string;
  references: Loc[];
  /** `define` or `redefine`. */
  op: 'define' | 'redefine';
  /** The value as written (source text), for hover. */
  valueText: string;
  /**
   * Where the name refers to this define: regions of files (including files reached
   * through `include`), from just after the definition to the end of its scope or
   * the next `redefine`/`undefine`.
   */
  visible: Loc[];
}

export interface RuleModel {
  /** Index in its chain (0-based), in load order. */
  index: number;
  rule: A.Rule;
  file: string;
  /** Handle-free text of the rule, as written (for traces). */
  text: string;
}

export interface ChainModel {
  name: string;
  table: TableModel;
  /** Set for base chains. */
  hook?: {
    type: string;
    hook: string;
    /** Numeric priority after resolving names (`filter` = 0, `dstnat` = -100 …) and `$vars`; undefined if unknown. */
    priority?: number;
    /** The priority as written (`filter + 10`, `$p`). */
    priorityText: string;
    devices: string[];
    loc: Loc;
  };
  /** `accept` (default) or `drop` for base chains. */
  policy?: 'accept' | 'drop';
  rules: RuleModel[];
  decl: Loc;
}

export interface SetModel {
  name: string;
  table: TableModel;
  isMap: boolean;
  /** Key type text (`ipv4_addr . inet_service`, or `typeof ip saddr`). */
  keyType?: string;
  /** Data type text for maps (`verdict`, `ipv4_addr` ...). */
  dataType?: string;
  flags: string[];
  /** Elements from the declaration and from `add element` commands (may be the set literal's own array: never changed in place). */
  elements: readonly A.SetElement[];
  /** Stateful statements applied to every element (`counter`, `limit` ...). */
  stateful: A.Statement[];
  decl: Loc;
}

export interface FlowtableModel {
  name: string;
  table: TableModel;
  hook?: string;
  priority?: number;
  priorityText?: string;
  /** Device names after resolving `$vars`; wildcards kept as written (`eth*`). */
  devices: string[];
  /** True when a device list contains something not resolvable to names (unknown `$var`). */
  devicesOpen: boolean;
  flags: string[];
  counter: boolean;
  decl: Loc;
}

export interface ObjectModel {
  name: string;
  table: TableModel;
  type: A.ObjectType;
  decl: Loc;
}

export interface TableModel {
  family: A.Family;
  name: string;
  /** `${family} ${name}` */
  key: string;
  flags: string[];
  chains: Map<string, ChainModel>;
  sets: Map<string, SetModel>;
  flowtables: Map<string, FlowtableModel>;
  objects: Map<string, ObjectModel>;
  decls: Loc[];
}

export interface RulesetModel {
  tables: Map<string, TableModel>;
  /** Every symbol, for definition/references/rename/outline. */
  symbols: SymbolInfo[];
  defines: DefineDecl[];
  /** `flush ruleset` seen (the file replaces everything). */
  flushesRuleset: boolean;
  /** Semantic findings (codes SEMxxx). */
  findings: Finding[];
}
