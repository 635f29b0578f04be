import type * as A from '../syntax/ast';
import type { Finding, RelatedInfo, Severity } from '../core/finding';
import type { Span } from '../core/span';
import type { ParseResult } from '../syntax/parse';
import { PackedElement } from '../syntax/packed-nodes';
import { parseInContext, type IncludeContext } from './parse-in-context';
import type {
  ChainModel,
  DefineDecl,
  FlowtableModel,
  Loc,
  ObjectModel,
  RulesetModel,
  SetModel,
  SymbolInfo,
  SymbolKind,
  TableModel,
} from './model';
import { SEMANTIC_RULES, type SemanticRuleKey } from './codes';
import { DefineScopes } from './define-scopes';
import type { IncludeResolver } from './include-resolver';
import { walkNodes } from './ast-walk';
import { chainTypeProblem, HOOKS_BY_FAMILY, isFamily, namedPriority, needsDevice } from './chain-types';
import { asCheckedType, checkLeaf, selectorType, type CheckedType } from './value-types';
import { resolveReferences } from './resolve-references';
import { checkRule, type RuleCheckHost } from './rule-checks';
import {
  checkCtTimeout,
  checkDeviceNames,
  checkName,
  checkPolicy,
  checkSetStateful,
  checkSetTypeParts,
  checkTunnel,
  checkTypeofKey,
} from './declaration-checks';
import { checkModel, type CommandEvent, type MapUse } from './model-checks';
import { appendAll } from '../core/arrays';

/** One parsed file of the ruleset. */
export interface ParsedFile {
  path: string;
  text: string;
  parse: ParseResult;
  /** Where the file was included: its text holds top-level items, table items or rules. */
  context: IncludeContext;
}

export type SemanticModel = RulesetModel & {
  /** Every file read, keyed by path: the entry first, then includes in load order. */
  files: Map<string, ParsedFile>;
  /** Path of the entry file. */
  entry: string;
};

/** nft: "Include nested too deeply, max 16 levels" (`MAX_INCLUDE_DEPTH`, src/scanner.l). */
export const MAX_INCLUDE_DEPTH = 16;

// ---------------------------------------------------------------- pending work for phase 2

export interface PendingRef {
  kind: 'table' | 'chain' | 'set' | 'flowtable' | 'object';
  tableKey: string;
  name: string;
  objectType?: A.ObjectType;
  loc: Loc;
  /** For `jump`/`goto`: the chain the statement is in (graph edge), and the verb. */
  fromChain?: string;
  verdict?: 'jump' | 'goto';
  /** For set refs: must be a map (`vmap @m`, `map @m`)? Not checked yet. */
}

export interface PendingRule {
  tableKey: string;
  chain: string;
  rule: A.Rule;
  file: string;
  mode: 'append' | 'prepend';
}

export interface PendingElements {
  tableKey: string;
  set: string;
  elements: A.SetElement[];
  file: string;
  /** The set's flags when these elements were added (nft evaluates each declaration with the flags it has then). */
  flags?: string[];
}

export interface FlowAddSite {
  tableKey: string;
  chain: string;
  flowtable: string;
  loc: Loc;
}

/** State shared by the walk (phase 1) and the resolution (phase 2). */
export class BuildState {
  readonly files = new Map<string, ParsedFile>();
  readonly findings: Finding[] = [];
  readonly tables = new Map<string, TableModel>();
  readonly symbols = new Map<string, SymbolInfo>();
  readonly defines: DefineDecl[] = [];
  readonly refs: PendingRef[] = [];
  readonly rules: PendingRule[] = [];
  readonly elements: PendingElements[] = [];
  readonly flowAdds: FlowAddSite[] = [];
  /** Which define each `$name` node resolved to (an AST node may be walked twice if its file is included twice; the last walk wins). */
  readonly varBindings = new Map<A.VarExpr, DefineDecl>();
  /** Set elements spliced from a define: the define's file (elements are reported there). */
  readonly elementFiles = new WeakMap<A.SetElement, string>();
  /** Tables that were only named by commands, never declared (removed in phase 2). */
  readonly declaredTables = new Set<string>();
  flushesRuleset = false;
  /** Where `flush ruleset` was seen (file and offset), for findings that only hold on an empty ruleset. */
  flushAt?: Loc;
  /** Chains with `policy` or `devices` in a body (base-chain properties), for SEM029. */
  readonly baseChainProps = new Map<ChainModel, Loc>();
  /** Every set/map declaration with a body, for SEM032. */
  readonly setDecls: { set: SetModel; loc: Loc }[] = [];
  /** `map @s`, `vmap @s`, `add @s { k : v }`: `s` must be a map. */
  readonly mapUses: MapUse[] = [];
  /** Table-level commands in load order (`add table`, `list`, `delete`, `reset` …), for SEM043. */
  readonly commands: CommandEvent[] = [];

  /** `severity` overrides the catalogue's for codes whose docs say when they escalate (SEM029, SEM043). */
  report(rule: SemanticRuleKey, file: string, span: Span, message: string, related?: RelatedInfo[], severity?: Severity): void {
    const info = SEMANTIC_RULES[rule];
    const f: Finding = { code: info.code, severity: severity ?? info.severity, message, file, span };
    if (related && related.length) f.related = related;
    // The same file included twice reports the same problem twice; keep one. (A set, not a scan
    // of the findings: 40k mistyped set elements took 5 s that way.)
    const key = `${f.code}\0${file}\0${span.start}\0${span.end}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(f);
  }

  /** Keys of the findings `report` has taken (code, file, span, message). */
  private readonly reported = new Set<string>();

  symbol(kind: SymbolKind, container: string, name: string, detail?: string): SymbolInfo {
    const key = `${kind === 'map' ? 'set' : kind}|${container}|${detail && kind === 'object' ? detail + ':' : ''}${name}`;
    let s = this.symbols.get(key);
    if (!s) {
      s = { kind, name, container, declarations: [], references: [] };
      if (detail) s.detail = detail;
      this.symbols.set(key, s);
    }
    return s;
  }

  findSymbol(kind: SymbolKind, container: string, name: string, detail?: string): SymbolInfo | undefined {
    return this.symbols.get(`${kind === 'map' ? 'set' : kind}|${container}|${detail && kind === 'object' ? detail + ':' : ''}${name}`);
  }

  textOf(file: string): string {
    return this.files.get(file)?.text ?? '';
  }
}

/** The locations in each list pushLoc has filled, as keys: a set or chain named in 40k rules was quadratic with a scan. */
const LOC_KEYS = new WeakMap<Loc[], Set<string>>();

/** Adds `loc` to `list` unless it is there already (a file included twice is walked twice). */
function pushLoc(list: Loc[], loc: Loc): void {
  // Most symbols have a few locations: scan those, and index only longer lists.
  if (list.length < 8) {
    if (!list.some((l) => l.file === loc.file && l.span.start === loc.span.start && l.span.end === loc.span.end)) list.push(loc);
    return;
  }
  let keys = LOC_KEYS.get(list);
  if (!keys) LOC_KEYS.set(list, (keys = new Set(list.map(locKey))));
  const key = locKey(loc);
  if (keys.has(key)) return;
  keys.add(key);
  list.push(loc);
}

function locKey(l: Loc): string {
  return `${l.file}\0${l.span.start}\0${l.span.end}`;
}

export function addDeclaration(sym: SymbolInfo, loc: Loc, full?: Loc): void {
  pushLoc(sym.declarations, loc);
  if (!sym.fullSpan && full) sym.fullSpan = full;
}

export function addReference(sym: SymbolInfo, loc: Loc): void {
  pushLoc(sym.references, loc);
}

// ---------------------------------------------------------------- the walk

interface Ctx {
  file: string;
  /** Table of the enclosing `table { }` block. */
  table?: TableModel;
  /** Chain of the enclosing `chain { }` block. */
  chain?: ChainModel;
}

const LOG_VAR = /\$([A-Za-z_][A-Za-z0-9_/.-]*)/g;

class Walker {
  readonly scopes = new DefineScopes();
  constructor(
    readonly st: BuildState,
    readonly resolver: IncludeResolver,
    readonly keepTokens: boolean,
  ) {}

  // ------------------------------------------------ files and includes

  walkFile(path: string, text: string, includedAt: Span | undefined, ctx: Ctx): void {
    const context: IncludeContext = ctx.chain ? 'chain' : ctx.table ? 'table' : 'top';
    let pf = this.st.files.get(path);
    if (!pf || pf.context !== context) {
      // Tokens serve only the editor (semantic tokens, completion); a headless check lets the
      // parser drop them as it goes (syntax/token-window.ts).
      pf = { path, text, parse: parseInContext(text, context, { keepTokens: this.keepTokens }), context };
      this.st.files.set(path, pf);
    }
    this.scopes.enterFile({ path, textLength: text.length, includedAt });
    this.items(pf.parse.ast.items, { ...ctx, file: path });
    this.scopes.leaveFile();
  }

  include(stmt: A.IncludeStmt, ctx: Ctx): void {
    const pattern = stmt.path?.text;
    if (pattern === undefined) return;
    const span = stmt.path.span;
    if (this.scopes.files.length >= MAX_INCLUDE_DEPTH) {
      this.st.report('includeTooDeep', ctx.file, stmt.span, `Include nested too deeply, max ${MAX_INCLUDE_DEPTH} levels`);
      return;
    }
    const r = this.resolver.resolve(ctx.file, pattern);
    if ('error' in r) {
      this.st.report('includeNotFound', ctx.file, span, r.error);
      return;
    }
    for (const f of r.files) {
      const onStack = this.scopes.files.findIndex((x) => x.path === f.path);
      if (onStack >= 0) {
        const chain = [...this.scopes.files.slice(onStack).map((x) => x.path), f.path].join(' → ');
        this.st.report('includeCycle', ctx.file, span, `include cycle: ${chain}`, [
          { location: { file: f.path, span: { start: 0, end: 0 } }, message: 'the file already being included' },
        ]);
        continue;
      }
      this.walkFile(f.path, f.text, stmt.span, ctx);
    }
  }

  // ------------------------------------------------ defines and variables

  define(d: A.DefineStmt, ctx: Ctx): void {
    const name = d.name?.text;
    if (!name) return;
    const loc: Loc = { file: ctx.file, span: d.name.span };
    if (d.op === 'undefine') {
      if (!this.scopes.unbind(name, d.span.start)) this.st.report('undefineUnknown', ctx.file, d.name.span, `undefined symbol '${name}'`);
      else {
        const decl = [...this.st.defines].reverse().find((x) => x.name === name);
        if (decl) addReference(this.defineSymbol(decl), loc);
      }
      return;
    }
    // The value is evaluated where the define is written, before the name exists.
    if (d.value) this.vars(d.value, ctx);
    if (d.op === 'define') {
      const prev = this.scopes.lookup(name);
      if (prev) {
        this.st.report('defineRedefinition', ctx.file, d.name.span, `redefinition of symbol '${name}'`, [
          { location: prev.loc, message: `'${name}' is first defined here` },
        ]);
        return;
      }
    }
    const text = this.st.textOf(ctx.file);
    const decl: DefineDecl = {
      name,
      value: d.value,
      loc,
      scope: this.scopes.currentScopeId,
      references: [],
      op: d.op,
      valueText: d.value ? text.slice(d.value.span.start, d.value.span.end) : '',
      visible: [],
    };
    this.st.defines.push(decl);
    addDeclaration(this.defineSymbol(decl), loc, { file: ctx.file, span: d.span });
    this.scopes.bind(decl);
  }

  defineSymbol(decl: DefineDecl): SymbolInfo {
    return this.st.symbol('define', decl.scope === 'top' ? '' : decl.scope, decl.name);
  }

  /** Resolves every `$name` inside `node`. */
  vars(node: unknown, ctx: Ctx): void {
    walkNodes(node, (n) => this.varsAt(n, ctx));
  }

  /** One node of a walk: a `$variable` itself, or the variables inside a log prefix. */
  private varsAt(n: { kind: string }, ctx: Ctx): void {
    if (n.kind === 'Var') this.useVar(n as A.VarExpr, ctx);
    else if (n.kind === 'Log') this.logPrefixVars(n as A.LogStmt, ctx);
  }

  private dollarCache = { file: '', from: 0, at: 0 };

  /** Offset of the first `$` at or after `from` in `file` (Infinity if none). Rules come in text
   *  order, so remembering the last answer makes this linear over a file, not quadratic. */
  nextDollar(file: string, from: number): number {
    const c = this.dollarCache;
    if (c.file !== file || from < c.from || (c.at < from && c.at !== Infinity)) {
      const i = this.st.textOf(file).indexOf('$', from);
      this.dollarCache = { file, from, at: i < 0 ? Infinity : i };
    }
    return this.dollarCache.at;
  }

  useVar(v: A.VarExpr, ctx: Ctx): DefineDecl | undefined {
    const name = v.name?.text;
    if (!name) return undefined;
    const decl = this.scopes.lookup(name);
    const loc: Loc = { file: ctx.file, span: v.span };
    if (!decl) {
      this.st.report('undefinedVariable', ctx.file, v.span, `unknown identifier '${name}'`);
      return undefined;
    }
    this.st.varBindings.set(v, decl);
    pushLoc(decl.references, loc);
    addReference(this.defineSymbol(decl), loc);
    return decl;
  }

  /** `log prefix "$x …"` expands variables inside the string (parser_bison.y `log_arg`, nft 0.9.7+). */
  logPrefixVars(log: A.LogStmt, ctx: Ctx): void {
    const p = log.prefix;
    if (!p || !p.text.includes('$')) return;
    const text = this.st.textOf(ctx.file);
    const quoted = text.charAt(p.span.start) === '"';
    const base = p.span.start + (quoted ? 1 : 0);
    for (const m of p.text.matchAll(LOG_VAR)) {
      const name = m[1];
      const span = { start: base + (m.index ?? 0), end: base + (m.index ?? 0) + m[0].length };
      const decl = this.scopes.lookup(name);
      if (!decl) {
        this.st.report('undefinedVariable', ctx.file, p.span, `unknown identifier '${name}'`);
        continue;
      }
      const loc = { file: ctx.file, span };
      pushLoc(decl.references, loc);
      addReference(this.defineSymbol(decl), loc);
    }
  }

  /** The expression a `$var` stands for (following define chains), or the expression itself. */
  deref(e: A.Expr | undefined): A.Expr | undefined {
    let cur = e;
    for (let i = 0; cur && cur.kind === 'Var' && i < 32; i++) {
      const d = this.st.varBindings.get(cur);
      if (!d) return cur;
      cur = d.value;
    }
    return cur;
  }

  /** Text of a name-like expression (`Ident`, word, string, or a `$var` holding one). */
  nameOf(e: A.Expr | A.Ident | undefined): string | undefined {
    if (!e) return undefined;
    if (e.kind === 'Ident') return e.text;
    const d = this.deref(e);
    if (!d) return undefined;
    if (d.kind === 'Word' || d.kind === 'String' || d.kind === 'KeywordValue') return d.text;
    return undefined;
  }

  // ------------------------------------------------ items

  items(items: readonly (A.TopItem | A.TableItem)[] | undefined, ctx: Ctx): void {
    for (const item of items ?? []) {
      if (!item) continue;
      switch (item.kind) {
        case 'Define':
          this.define(item, ctx);
          break;
        case 'Include':
          this.include(item, ctx);
          break;
        case 'Table':
          this.table(item, ctx);
          break;
        case 'Chain':
          this.chain(item, ctx);
          break;
        case 'Set':
          this.set(item, ctx);
          break;
        case 'Flowtable':
          this.flowtable(item, ctx);
          break;
        case 'Object':
          this.object(item, ctx);
          break;
        case 'RuleCmd':
          this.ruleCmd(item, ctx);
          break;
        case 'ElementCmd':
          this.elementCmd(item, ctx);
          break;
        case 'OtherCmd':
          this.otherCmd(item, ctx);
          break;
        case 'Property':
          if (item.key === 'flags' && ctx.table) this.vars(item.value, ctx);
          if (item.key === 'flags' && ctx.table && item.value) ctx.table.flags.push(...this.words(item.value));
          break;
      }
    }
  }

  words(e: A.Expr | undefined): string[] {
    const d = this.deref(e);
    if (!d) return [];
    if (d.kind === 'List') return d.items.flatMap((x) => this.words(x));
    if (d.kind === 'SetLiteral') return d.elements.flatMap((x) => this.words(x.key));
    const n = this.nameOf(d);
    return n ? [n] : [];
  }

  /** The table a declaration or command belongs to: the enclosing block, or its `TableSpec`. */
  tableFor(spec: A.TableSpec | undefined, ctx: Ctx, create: boolean): TableModel | undefined {
    if (!spec) return ctx.table;
    const name = spec.name?.text;
    if (!name) return undefined;
    const fam = spec.family?.text;
    const family: A.Family = isFamily(fam) ? fam : 'ip';
    const key = `${family} ${name}`;
    let t = this.st.tables.get(key);
    if (!t && create) {
      t = { family, name, key, flags: [], chains: new Map(), sets: new Map(), flowtables: new Map(), objects: new Map(), decls: [] };
      this.st.tables.set(key, t);
    }
    return t;
  }

  /** Records that a command names a table (checked in phase 2: it must be declared somewhere). */
  tableRef(spec: A.TableSpec | undefined, ctx: Ctx): TableModel | undefined {
    if (!spec) return ctx.table;
    const t = this.tableFor(spec, ctx, true);
    if (t && spec.name) {
      this.st.refs.push({ kind: 'table', tableKey: t.key, name: t.name, loc: { file: ctx.file, span: spec.name.span } });
    }
    return t;
  }

  table(d: A.TableDecl, ctx: Ctx): void {
    const name = d.name?.text;
    if (!name) return;
    const fam = d.family?.text;
    const family: A.Family = isFamily(fam) ? fam : 'ip';
    const key = `${family} ${name}`;
    const loc: Loc = { file: ctx.file, span: d.name!.span };
    const existed = this.st.declaredTables.has(key);
    this.st.commands.push({ verb: d.verb, object: 'table', tableKey: key, loc });
    if (d.verb === 'add' || d.verb === 'create') checkName('table', name, d.name!.span, this.reporter(ctx.file));
    if (d.verb === 'create' && existed) {
      const first = this.st.tables.get(key)?.decls[0];
      this.st.report('createExisting', ctx.file, d.name!.span, `create table ${key}: the table already exists (File exists)`, first ? [{ location: first, message: 'declared here' }] : undefined);
    }
    if (d.verb === 'delete' || d.verb === 'destroy' || d.verb === 'flush' || d.verb === 'list' || d.verb === 'reset') {
      if (d.verb === 'delete' || d.verb === 'flush' || d.verb === 'list') this.tableRef({ family: d.family, name: d.name, span: d.span }, ctx);
      return;
    }
    const t = this.tableFor({ family: d.family, name: d.name, span: d.span }, ctx, true)!;
    this.st.declaredTables.add(key);
    pushLoc(t.decls, loc);
    const sym = this.st.symbol('table', '', name, family);
    addDeclaration(sym, loc, { file: ctx.file, span: d.span });
    if (!d.body) return;
    this.scopes.pushScope(key);
    this.items(d.body, { file: ctx.file, table: t });
    this.scopes.popScope(d.span.end);
  }

  /** Commands that only act on an existing object: their names are references. */
  isReferenceVerb(v: A.Verb): boolean {
    return v === 'delete' || v === 'destroy' || v === 'flush' || v === 'list' || v === 'reset' || v === 'rename' || v === 'get';
  }

  chain(d: A.ChainDecl, ctx: Ctx): void {
    if (!d.name && !d.table && ctx.chain) {
      // The rules of a file included inside a chain block (see parse-in-context.ts).
      this.chainBody(d.body, ctx.chain, ctx);
      return;
    }
    const t = d.table ? this.tableRef(d.table, ctx) : ctx.table;
    const name = d.name?.text;
    if (!t || !name) return;
    const loc: Loc = { file: ctx.file, span: d.name!.span };
    if (this.isReferenceVerb(d.verb)) {
      if (d.verb !== 'destroy') this.st.refs.push({ kind: 'chain', tableKey: t.key, name, loc });
      return;
    }
    checkName('chain', name, d.name!.span, this.reporter(ctx.file));
    let c = t.chains.get(name);
    if (d.verb === 'create' && c) {
      this.st.report('createExisting', ctx.file, d.name!.span, `create chain ${t.key} ${name}: the chain already exists (File exists)`, [{ location: c.decl, message: 'declared here' }]);
    }
    if (!c) {
      c = { name, table: t, rules: [], decl: loc };
      t.chains.set(name, c);
    }
    addDeclaration(this.st.symbol('chain', t.key, name), loc, { file: ctx.file, span: d.span });
    if (!d.body) return;
    this.scopes.pushScope(`${t.key} ${name}`);
    this.chainBody(d.body, c, { file: ctx.file, table: t, chain: c });
    this.scopes.popScope(d.span.end);
  }

  chainBody(body: A.ChainItem[] | undefined, c: ChainModel, inner: Ctx): void {
    const t = c.table;
    const name = c.name;
    const ctx = inner;
    for (const item of body ?? []) {
      if (!item) continue;
      switch (item.kind) {
        case 'ChainHook':
          this.hook(item, c, inner);
          break;
        case 'Policy': {
          this.vars(item.value, inner);
          const p = this.nameOf(item.value);
          if (p === 'accept' || p === 'drop') c.policy = p;
          checkPolicy(item.value, this.deref(item.value), this.reporter(ctx.file));
          if (!this.st.baseChainProps.has(c)) this.st.baseChainProps.set(c, { file: ctx.file, span: item.span });
          break;
        }
        case 'Devices':
          this.vars(item.devices, inner);
          if (c.hook) c.hook.devices.push(...this.devices(item.devices).names);
          checkDeviceNames(this.deviceExprs(item.devices), this.reporter(ctx.file));
          if (!this.st.baseChainProps.has(c)) this.st.baseChainProps.set(c, { file: ctx.file, span: item.span });
          break;
        case 'Property':
          this.vars(item.value, inner);
          break;
        case 'Rule':
          this.rule(item, inner);
          this.st.rules.push({ tableKey: t.key, chain: name, rule: item, file: ctx.file, mode: 'append' });
          break;
        case 'Define':
          this.define(item, inner);
          break;
        case 'Include':
          this.include(item, inner);
          break;
      }
    }
  }

  hook(h: A.ChainHookSpec, c: ChainModel, ctx: Ctx): void {
    this.vars(h, ctx);
    const t = c.table;
    const type = h.type?.text ?? 'filter';
    const hook = h.hook?.text;
    if (!hook) return;
    const file = ctx.file;
    const known = HOOKS_BY_FAMILY[t.family].includes(hook);
    if (!known) {
      this.st.report('invalidHook', file, h.hook!.span, `unknown chain hook '${hook}' in family ${t.family} (valid: ${HOOKS_BY_FAMILY[t.family].join(', ')})`);
    } else {
      const problem = chainTypeProblem(t.family, type, hook);
      if (problem) this.st.report('invalidChainType', file, h.type?.span ?? h.span, problem);
    }
    const devs = h.device ? this.devices(h.device) : h.devices ? this.devices(h.devices) : { names: [], open: false };
    checkDeviceNames([...this.deviceExprs(h.device), ...this.deviceExprs(h.devices)], this.reporter(file));
    if (known && needsDevice(t.family, hook) && !h.device && !h.devices) {
      this.st.report('missingDevice', file, h.hook!.span, `Missing \`device' in this chain definition (${t.family} ${hook} chains are bound to devices)`);
    }
    const prio = this.priority(h.priority, t.family, known ? hook : undefined, file);
    const next = { type, hook, priority: prio.value, priorityText: prio.text, devices: devs.names, loc: { file, span: h.span } };
    if (c.hook) {
      const old = c.hook;
      const differs = old.type !== next.type || old.hook !== next.hook || (old.priority !== undefined && next.priority !== undefined && old.priority !== next.priority);
      if (differs) {
        this.st.report(
          'conflictingBaseChain',
          file,
          h.span,
          `chain ${t.key} ${c.name} is already a base chain with type ${old.type} hook ${old.hook} priority ${old.priorityText}`,
          [{ location: old.loc, message: 'first declared here' }],
        );
        return;
      }
    }
    c.hook = next;
  }

  /** Resolves a priority expression: a number, `-N`, a standard name, `name ± N`, or a `$var` holding one. */
  priority(e: A.Expr | undefined, family: A.Family, hook: string | undefined, file: string): { value?: number; text: string } {
    if (!e) return { text: '' };
    const text = this.st.textOf(file).slice(e.span.start, e.span.end);
    const d = this.deref(e);
    if (!d) return { text };
    const atFile = d === e ? file : (this.st.varBindings.get(e as A.VarExpr)?.loc.file ?? file);
    const num = (x: A.Expr): number | undefined => {
      if (x.kind === 'Number') return Number(x.text);
      if (x.kind === 'Neg') {
        const v = num(x.operand);
        return v === undefined ? undefined : -v;
      }
      return undefined;
    };
    const named = (w: A.Expr): number | undefined => {
      if (w.kind !== 'Word' && w.kind !== 'KeywordValue' && w.kind !== 'String') return undefined;
      if (/^-?\d+$/.test(w.text)) return Number(w.text);
      const r = namedPriority(family, hook, w.text);
      if ('problem' in r) {
        this.st.report('invalidPriorityName', d === e ? file : file, d === e ? w.span : e.span, r.problem);
        return undefined;
      }
      return r.value;
    };
    const n = num(d);
    if (n !== undefined && (n < -2147483648 || n > 2147483647)) {
      // The kernel takes NFTA_HOOK_PRIORITY as a signed 32-bit value (nf_tables_api.c `nft_chain_parse_hook`).
      this.st.report('priorityOutOfRange', file, e.span, `priority ${n} is outside the signed 32-bit range`);
      return { text };
    }
    if (n !== undefined) return { value: n, text };
    if (d.kind === 'Word' || d.kind === 'KeywordValue' || d.kind === 'String') return { value: named(d), text };
    if (d.kind === 'Binary') {
      // `name ± N` is Binary('+', name, ±N) (syntax/ast.ts BinaryOp): a Neg on the right is
      // a minus; the text check below also covers a `$var` holding the offset.
      const base = named(d.left);
      const right = d.right;
      if (base === undefined) return { text };
      if (right.kind === 'Neg') {
        const v = num(right.operand);
        return { value: v === undefined ? undefined : base - v, text };
      }
      const v = num(right);
      if (v === undefined) return { text };
      const between = this.st.textOf(atFile).slice(d.left.span.end, right.span.start);
      return { value: between.includes('-') ? base - v : base + v, text };
    }
    return { text };
  }

  devices(e: A.Expr): { names: string[]; open: boolean } {
    const names: string[] = [];
    let open = false;
    const add = (x: A.Expr | undefined): void => {
      const d = this.deref(x);
      if (!d) return;
      if (d.kind === 'SetLiteral') d.elements.forEach((el) => add(el.key));
      else if (d.kind === 'List') d.items.forEach(add);
      else if (d.kind === 'Word' || d.kind === 'String' || d.kind === 'KeywordValue') names.push(d.text);
      else open = true;
    };
    add(e);
    return { names, open };
  }

  /** The leaf expressions of a device list, `$vars` resolved. */
  deviceExprs(e: A.Expr | undefined): A.Expr[] {
    const out: A.Expr[] = [];
    const add = (x: A.Expr | undefined): void => {
      const d = this.deref(x);
      if (!d) return;
      if (d.kind === 'SetLiteral') d.elements.forEach((el) => add(el?.key));
      else if (d.kind === 'List') d.items.forEach(add);
      else out.push(d === x ? d : { ...d, span: x!.span });
    };
    add(e);
    return out;
  }

  reporter(file: string) {
    return (rule: SemanticRuleKey, span: Span, message: string) => this.st.report(rule, file, span, message);
  }

  set(d: A.SetDecl, ctx: Ctx): void {
    const t = d.table ? this.tableRef(d.table, ctx) : ctx.table;
    const name = d.name?.text;
    if (!t || !name) return;
    const loc: Loc = { file: ctx.file, span: d.name!.span };
    if (this.isReferenceVerb(d.verb)) {
      if (d.verb !== 'destroy') this.st.refs.push({ kind: 'set', tableKey: t.key, name, loc });
      return;
    }
    checkName(d.isMap ? 'map' : 'set', name, d.name!.span, this.reporter(ctx.file));
    let s = t.sets.get(name);
    const firstPending = this.st.elements.length;
    if (d.verb === 'create' && s) {
      this.st.report('createExisting', ctx.file, d.name!.span, `create ${d.isMap ? 'map' : 'set'} ${t.key} ${name}: it already exists (File exists)`, [{ location: s.decl, message: 'declared here' }]);
    }
    const fresh: SetModel = { name, table: t, isMap: d.isMap, flags: [], elements: [], stateful: [], decl: loc };
    const target = s ?? fresh;
    const text = this.st.textOf(ctx.file);
    let keyType: string | undefined;
    let dataType: string | undefined;
    for (const item of d.body ?? []) {
      if (!item) continue;
      switch (item.kind) {
        case 'SetType':
          checkSetTypeParts(item, text, this.reporter(ctx.file));
          checkTypeofKey(item, this.reporter(ctx.file));
          keyType = (item.typeof ? 'typeof ' : '') + text.slice(item.key.span.start, item.key.span.end);
          if (item.data) dataType = (item.dataInterval ? 'interval ' : '') + text.slice(item.data.span.start, item.data.span.end);
          break;
        case 'Property':
          this.vars(item.value, ctx);
          if (item.key === 'flags') target.flags.push(...this.words(item.value));
          break;
        case 'Elements': {
          this.elementVarsAndRefs(item.elements, t, ctx);
          this.st.elements.push({ tableKey: t.key, set: name, elements: this.flatElements(item.elements), file: ctx.file });
          break;
        }
        case 'Stateful':
          this.vars(item.statement, ctx);
          checkSetStateful(item, this.reporter(ctx.file));
          target.stateful.push(item.statement);
          break;
        case 'Define':
          this.define(item, { ...ctx, table: t });
          break;
        case 'Include':
          this.include(item, { ...ctx, table: t });
          break;
      }
    }
    if (s) {
      const norm = (x?: string) => x?.replace(/\s+/g, ' ');
      if ((keyType && s.keyType && norm(keyType) !== norm(s.keyType)) || (dataType && s.dataType && norm(dataType) !== norm(s.dataType))) {
        this.st.report(
          'conflictingSet',
          ctx.file,
          d.name!.span,
          `${d.isMap ? 'map' : 'set'} ${t.key} ${name} is already declared with type ${s.keyType}${s.dataType ? ' : ' + s.dataType : ''}`,
          [{ location: s.decl, message: 'first declared here' }],
        );
      }
      if (!s.keyType) s.keyType = keyType;
      if (!s.dataType) s.dataType = dataType;
    } else {
      fresh.keyType = keyType;
      fresh.dataType = dataType;
      t.sets.set(name, fresh);
      s = fresh;
    }
    for (let i = firstPending; i < this.st.elements.length; i++) this.st.elements[i].flags = [...s.flags];
    if (d.body) this.st.setDecls.push({ set: s, loc });
    addDeclaration(this.st.symbol(s.isMap ? 'map' : 'set', t.key, name), loc, { file: ctx.file, span: d.span });
  }

  /**
   * Elements of a literal, with `$var` elements holding sets spliced in (as nft does).
   * Elements that come from a define are recorded in `st.elementFiles` with the
   * define's file, so findings on them land where they are written.
   */
  flatElements(e: A.Expr | undefined, file?: string): A.SetElement[] {
    const d = this.deref(e);
    if (!d) return [];
    if (d.kind !== 'SetLiteral') return [];
    const from = (e && this.defineFileOf(e)) ?? file;
    // The usual list, written in place with no `$var` element, is the literal's own array.
    if (!from && !d.elements.some((el) => !(el instanceof PackedElement) && el.key?.kind === 'Var')) return d.elements;
    const out: A.SetElement[] = [];
    for (const el of d.elements) {
      // A packed element's key is a plain value, never a `$var` (and reading it makes a node).
      const k = !(el instanceof PackedElement) && el.key?.kind === 'Var' ? this.deref(el.key) : undefined;
      if (k && k.kind === 'SetLiteral' && !el.value) appendAll(out, this.flatElements(el.key, from));
      else {
        if (from) this.st.elementFiles.set(el, from);
        out.push(el);
      }
    }
    return out;
  }

  /** The file of the define a `$var` finally stands for (following define chains), if `e` is one. */
  defineFileOf(e: A.Expr): string | undefined {
    let cur: A.Expr | undefined = e;
    let file: string | undefined;
    for (let i = 0; cur && cur.kind === 'Var' && i < 32; i++) {
      const d = this.st.varBindings.get(cur);
      if (!d) break;
      file = d.loc.file;
      cur = d.value;
    }
    return file;
  }

  /** Variables and chain references (`jump c`) in set elements, in one walk (a set may hold 100k elements). */
  elementVarsAndRefs(elements: A.SetElement[] | A.Expr, t: TableModel, ctx: Ctx): void {
    // A list from the lexer's fast path is all plain values (syntax/packed-nodes.ts): nothing to find.
    const list = Array.isArray(elements) ? elements : elements.kind === 'SetLiteral' ? elements.elements : undefined;
    if (list?.[0] instanceof PackedElement) return;
    const inTable = { ...ctx, table: t };
    walkNodes(elements, (n) => {
      if (n.kind === 'Verdict') this.verdictTarget(n as A.VerdictExpr, t, undefined, ctx);
      else this.varsAt(n, inTable);
    });
  }

  flowtable(d: A.FlowtableDecl, ctx: Ctx): void {
    const t = d.table ? this.tableRef(d.table, ctx) : ctx.table;
    const name = d.name?.text;
    if (!t || !name) return;
    const loc: Loc = { file: ctx.file, span: d.name!.span };
    if (this.isReferenceVerb(d.verb)) {
      if (d.verb !== 'destroy') this.st.refs.push({ kind: 'flowtable', tableKey: t.key, name, loc });
      return;
    }
    checkName('flowtable', name, d.name!.span, this.reporter(ctx.file));
    let f = t.flowtables.get(name);
    if (d.verb === 'create' && f) {
      this.st.report('createExisting', ctx.file, d.name!.span, `create flowtable ${t.key} ${name}: it already exists (File exists)`, [{ location: f.decl, message: 'declared here' }]);
    }
    if (!f) {
      const nf: FlowtableModel = { name, table: t, devices: [], devicesOpen: false, flags: [], counter: false, decl: loc };
      f = nf;
      t.flowtables.set(name, nf);
    }
    const ft = f;
    for (const item of d.body ?? []) {
      if (!item) continue;
      switch (item.kind) {
        case 'FlowtableHook': {
          this.vars(item, ctx);
          const hook = item.hook?.text;
          if (hook) {
            ft.hook = hook;
            // The kernel registers flowtables on the netdev ingress hook only
            // (nf_tables_api.c `nft_flowtable_parse_hook`: EOPNOTSUPP otherwise).
            if (hook !== 'ingress') this.st.report('flowtableHook', ctx.file, item.hook!.span, `flowtable hook must be 'ingress', not '${hook}'`);
          }
          // Flowtable priorities are netdev priorities: only `filter` is a name there.
          const p = this.priority(item.priority, 'netdev', 'ingress', ctx.file);
          ft.priority = p.value;
          ft.priorityText = p.text;
          break;
        }
        case 'Devices': {
          this.vars(item.devices, ctx);
          const r = this.devices(item.devices);
          checkDeviceNames(this.deviceExprs(item.devices), this.reporter(ctx.file));
          ft.devices.push(...r.names);
          if (r.open) ft.devicesOpen = true;
          break;
        }
        case 'Property':
          this.vars(item.value, ctx);
          if (item.key === 'counter') ft.counter = true;
          if (item.key === 'flags') ft.flags.push(...this.words(item.value));
          break;
        case 'Define':
          this.define(item, { ...ctx, table: t });
          break;
        case 'Include':
          this.include(item, { ...ctx, table: t });
          break;
      }
    }
    addDeclaration(this.st.symbol('flowtable', t.key, name), loc, { file: ctx.file, span: d.span });
  }

  object(d: A.ObjectDecl, ctx: Ctx): void {
    const t = d.table ? this.tableRef(d.table, ctx) : ctx.table;
    const name = d.name?.text;
    if (!t || !name) return;
    const loc: Loc = { file: ctx.file, span: d.name!.span };
    if (this.isReferenceVerb(d.verb)) {
      if (d.verb !== 'destroy') this.st.refs.push({ kind: 'object', tableKey: t.key, name, objectType: d.objectType, loc });
      return;
    }
    checkName(d.objectType, name, d.name!.span, this.reporter(ctx.file));
    if (d.objectType === 'ct timeout') checkCtTimeout(d.body, this.st.textOf(ctx.file), this.reporter(ctx.file));
    if (d.objectType === 'tunnel' && d.body) checkTunnel(d.body, d.name!.span, (n) => this.scopes.lookup(n)?.value, this.reporter(ctx.file));
    const key = `${d.objectType}:${name}`;
    const o = t.objects.get(key);
    if (d.verb === 'create' && o) {
      this.st.report('createExisting', ctx.file, d.name!.span, `create ${d.objectType} ${t.key} ${name}: it already exists (File exists)`, [{ location: o.decl, message: 'declared here' }]);
    }
    if (!o) {
      const m: ObjectModel = { name, table: t, type: d.objectType, decl: loc };
      t.objects.set(key, m);
    }
    this.vars(d.body, { ...ctx, table: t });
    addDeclaration(this.st.symbol('object', t.key, name, d.objectType), loc, { file: ctx.file, span: d.span });
  }

  ruleCmd(d: A.RuleCmd, ctx: Ctx): void {
    const t = this.tableRef(d.table, ctx);
    const chain = d.chain?.text;
    if (!t || !chain) return;
    this.st.refs.push({ kind: 'chain', tableKey: t.key, name: chain, loc: { file: ctx.file, span: d.chain!.span } });
    if (!d.rule) return;
    if (d.verb !== 'add' && d.verb !== 'insert' && d.verb !== 'create' && d.verb !== 'replace') {
      this.vars(d.rule, ctx);
      return;
    }
    const probe: ChainModel = t.chains.get(chain) ?? { name: chain, table: t, rules: [], decl: { file: ctx.file, span: d.chain!.span } };
    this.rule(d.rule, { file: ctx.file, table: t, chain: probe });
    if (d.verb === 'replace') return;
    this.st.rules.push({ tableKey: t.key, chain, rule: d.rule, file: ctx.file, mode: d.verb === 'insert' ? 'prepend' : 'append' });
  }

  elementCmd(d: A.ElementCmd, ctx: Ctx): void {
    const t = this.tableRef(d.table, ctx);
    const set = d.set?.text;
    if (!t || !set) return;
    this.st.refs.push({ kind: 'set', tableKey: t.key, name: set, loc: { file: ctx.file, span: d.set!.span } });
    if (!d.elements) return;
    this.elementVarsAndRefs(d.elements, t, ctx);
    if (d.verb === 'add' || d.verb === 'create') this.st.elements.push({ tableKey: t.key, set, elements: this.flatElements(d.elements), file: ctx.file });
  }

  otherCmd(d: A.OtherCmd, ctx: Ctx): void {
    if (d.object === 'ruleset' && d.verb === 'flush') {
      this.st.flushesRuleset = true;
      if (!this.st.flushAt) this.st.flushAt = { file: ctx.file, span: d.span };
    }
    this.vars(d.args, ctx);
    this.commandEvent(d, ctx);
  }

  /** Records `list|delete|destroy|reset|flush OBJECT [family] table [name]` for SEM043. */
  commandEvent(d: A.OtherCmd, ctx: Ctx): void {
    if (!d.object || d.object === 'ruleset' || d.object.endsWith('s')) return;
    let family: string | undefined;
    let table: A.Ident | undefined;
    let names: A.Ident[];
    if (d.table) {
      family = d.table.family?.text;
      table = d.table.name;
      names = d.names;
    } else {
      const n = d.names;
      if (n.length > 1 && isFamily(n[0].text) && (d.object !== 'table' || n.length === 2)) {
        family = n[0].text;
        table = n[1];
        names = n.slice(2);
      } else {
        table = n[0];
        names = n.slice(1);
      }
    }
    if (!table) return;
    const fam = isFamily(family) ? family : 'ip';
    const byHandle = names.some((x) => x.text === 'handle');
    const name = d.object === 'table' ? undefined : byHandle ? undefined : names[0]?.text;
    const at = d.object === 'table' ? table : (names[0] ?? table);
    this.st.commands.push({
      verb: d.verb,
      object: d.object,
      tableKey: `${fam} ${table.text}`,
      name,
      byHandle,
      loc: { file: ctx.file, span: { start: at.span.start, end: (byHandle ? d.span : at.span).end } },
    });
  }

  // ------------------------------------------------ rules

  rule(r: A.Rule, ctx: Ctx): void {
    const t = ctx.table;
    const c = ctx.chain;
    if (!t || !c) return;
    // Variables are bound before the checks that look through them. Most rules have none, and
    // any variable (`$x`, or one inside a log prefix) shows as a `$` in the rule's text: a cheap
    // test that spares a walk over each of a big ruleset's rules.
    if (this.nextDollar(ctx.file, r.span.start) < r.span.end) this.vars(r, ctx);
    checkRule(r, this.ruleHost(t, ctx));
    walkNodes(r, (n) => {
      switch (n.kind) {
        case 'SetRef': {
          const s = n as A.SetRefExpr;
          if (s.name?.text) this.st.refs.push({ kind: 'set', tableKey: t.key, name: s.name.text, loc: { file: ctx.file, span: s.name.span } });
          return;
        }
        case 'Verdict':
          this.verdictTarget(n as A.VerdictExpr | A.VerdictStmt, t, c.name, ctx);
          return;
        case 'FlowOffload': {
          const f = n as A.FlowOffloadStmt;
          if (f.flowtable?.text) {
            const loc = { file: ctx.file, span: f.flowtable.span };
            this.st.refs.push({ kind: 'flowtable', tableKey: t.key, name: f.flowtable.text, loc });
            this.st.flowAdds.push({ tableKey: t.key, chain: c.name, flowtable: f.flowtable.text, loc: { file: ctx.file, span: f.span } });
          }
          return;
        }
        case 'SetUpdate': {
          const s = n as A.SetUpdateStmt;
          if (s.set?.text) this.st.refs.push({ kind: 'set', tableKey: t.key, name: s.set.text, loc: { file: ctx.file, span: s.set.span } });
          return;
        }
        case 'Counter':
        case 'Limit':
        case 'Quota': {
          const s = n as A.CounterStmt | A.LimitStmt | A.QuotaStmt;
          this.objectRef(s.ref, n.kind.toLowerCase() as A.ObjectType, t, ctx);
          return;
        }
        case 'Set': {
          const s = n as A.SetStmt;
          const p = s.target?.path?.join(' ');
          const objType: A.ObjectType | undefined =
            p === 'ct helper' ? 'ct helper' : p === 'ct timeout' ? 'ct timeout' : p === 'ct expectation' ? 'ct expectation' : p === 'meta secmark' || p === 'secmark' ? 'secmark' : undefined;
          if (objType) this.objectRef(s.value, objType, t, ctx);
          return;
        }
        case 'Match':
          this.checkMatch(n as A.MatchStmt, ctx);
          return;
      }
    });
  }

  /** The last rule host made: the rules of one chain share it (6 closures less per rule). */
  private lastHost?: { t: TableModel; ctx: Ctx; host: RuleCheckHost };

  ruleHost(t: TableModel, ctx: Ctx): RuleCheckHost {
    const last = this.lastHost;
    if (last && last.t === t && last.ctx === ctx) return last.host;
    const host = this.makeRuleHost(t, ctx);
    this.lastHost = { t, ctx, host };
    return host;
  }

  private makeRuleHost(t: TableModel, ctx: Ctx): RuleCheckHost {
    return {
      report: (rule, span, message) => this.st.report(rule, ctx.file, span, message),
      deref: (e) => this.deref(e),
      text: this.st.textOf(ctx.file),
      objectRef: (e, type) => this.objectRef(e, type, t, ctx),
      needsMap: (ref, why) => this.st.mapUses.push({ tableKey: t.key, name: ref.text, why, loc: { file: ctx.file, span: ref.span } }),
      varValue: (name) => this.scopes.lookup(name)?.value,
    };
  }

  objectRef(e: A.Expr | undefined, type: A.ObjectType, t: TableModel, ctx: Ctx): void {
    if (!e) return;
    const name = this.nameOf(e);
    if (!name) return;
    this.st.refs.push({ kind: 'object', tableKey: t.key, name, objectType: type, loc: { file: ctx.file, span: e.span } });
  }

  verdictTarget(v: A.VerdictExpr | A.VerdictStmt, t: TableModel, from: string | undefined, ctx: Ctx): void {
    if (v.verdict !== 'jump' && v.verdict !== 'goto') return;
    const target = v.target;
    if (!target || target.kind === 'AnonChain') return;
    const name = target.kind === 'Ident' ? target.text : this.nameOf(target);
    if (!name) return;
    const span = target.kind === 'Ident' ? target.span : target.span;
    checkName('chain', name, span, this.reporter(ctx.file));
    this.st.refs.push({ kind: 'chain', tableKey: t.key, name, loc: { file: ctx.file, span }, fromChain: from, verdict: v.verdict });
  }

  // ------------------------------------------------ value types in matches

  checkMatch(m: A.MatchStmt, ctx: Ctx): void {
    const left = m.left;
    if (!left || !m.right) return;
    if (left.kind === 'Selector') {
      const type = selectorType(left.path);
      if (type) this.checkValue(type, m.right, ctx, undefined, 'valueTypeMismatch');
    } else if (left.kind === 'Concat') {
      const types = left.parts.map((p) => (p.kind === 'Selector' ? selectorType(p.path) : undefined));
      if (types.some((x) => x)) this.checkConcatValue(types, m.right, ctx);
    }
  }

  checkConcatValue(types: (CheckedType | undefined)[], right: A.Expr, ctx: Ctx, at?: Span): void {
    const d = right.kind === 'Var' ? this.deref(right) : right;
    const useAt = at ?? (d !== right ? right.span : undefined);
    if (!d) return;
    if (d.kind === 'SetLiteral') {
      for (const el of d.elements) if (el.key) this.checkConcatValue(types, el.key, ctx, useAt);
      return;
    }
    if (d.kind === 'Concat' && d.parts.length === types.length) {
      d.parts.forEach((p, i) => {
        const ty = types[i];
        if (ty) this.checkValue(ty, p, ctx, useAt, 'valueTypeMismatch');
      });
    }
  }

  /** Checks a right-hand side (leaf, list, set literal, range, prefix, `$var`) against a type. */
  checkValue(type: CheckedType, e: A.Expr, ctx: Ctx, at: Span | undefined, mismatch: 'valueTypeMismatch' | 'setElementType'): void {
    const d = e.kind === 'Var' ? this.deref(e) : e;
    if (!d || d.kind === 'Var') return;
    const useAt = at ?? (d !== e ? e.span : undefined);
    switch (d.kind) {
      case 'SetLiteral':
        for (const el of d.elements) if (el.key) this.checkValue(type, el.key, ctx, useAt, mismatch);
        return;
      case 'List':
        for (const x of d.items) this.checkValue(type, x, ctx, useAt, mismatch);
        return;
      case 'Range':
        this.checkValue(type, d.from, ctx, useAt, mismatch);
        this.checkValue(type, d.to, ctx, useAt, mismatch);
        return;
      case 'Prefix':
        this.checkValue(type, d.base, ctx, useAt, mismatch);
        return;
    }
    const p = checkLeaf(type, d, useAt);
    if (!p) return;
    const rule = p.rule === 'valueTypeMismatch' ? mismatch : p.rule;
    // A problem found through a `$var` is reported at the use; the value may be in another file.
    this.st.report(rule, ctx.file, p.span, p.message);
  }
}

/** Codes nft reports while parsing (so also after a syntax error); the rest needs evaluation. */
const PARSE_TIME_CODES = new Set(['SEM000', 'SEM001', 'SEM002', 'SEM003', 'SEM025', 'SEM026', 'SEM027']);

/**
 * nft evaluates nothing when the input has a syntax error, and after one our
 * parser's recovery may misread the rest of the file (a rule cut in half looks like
 * a command naming table `saddr`). So in a file with syntax errors, findings that
 * need evaluation are dropped from the first syntax error on.
 */
function dropFindingsAfterSyntaxErrors(st: BuildState): void {
  const firstError = new Map<string, number>();
  for (const f of st.files.values()) {
    const errs = f.parse.findings.filter((x) => x.severity === 'error');
    if (errs.length) firstError.set(f.path, errs.reduce((min, x) => Math.min(min, x.span.start), Infinity));
  }
  if (!firstError.size) return;
  const keep = st.findings.filter((f) => {
    const at = firstError.get(f.file);
    return at === undefined || f.span.start < at || PARSE_TIME_CODES.has(f.code);
  });
  st.findings.length = 0;
  appendAll(st.findings, keep);
}

export interface BuildModelOptions {
  /** Keep each file's tokens in `files[].parse.tokens` (the editor needs them; default true). */
  keepTokens?: boolean;
}

/**
 * Builds the semantic model of a ruleset: parses the entry file, follows includes
 * through `resolver`, merges block and command forms into tables, resolves every
 * reference and runs the checks listed in `SEMANTIC_RULES`. Never throws.
 */
export function buildRulesetModel(
  entry: { path: string; text: string },
  resolver: IncludeResolver,
  options: BuildModelOptions = {},
): SemanticModel {
  const st = new BuildState();
  const w = new Walker(st, resolver, options.keepTokens !== false);
  try {
    w.walkFile(entry.path, entry.text, undefined, { file: entry.path });
    w.scopes.finish();
    resolveReferences(st, {
      checkValue: (type, e, file, mismatch) => w.checkValue(type, e, { file }, undefined, mismatch),
      asType: asCheckedType,
      selectorType,
      textOf: (f) => st.textOf(f),
    });
    checkModel(st);
  } catch (e) {
    // A bug here must not take the language server down; say so where it can be seen.
    st.report('internalError', entry.path, { start: 0, end: 0 }, `internal error in semantic analysis: ${(e as Error).message}`);
  }
  dropFindingsAfterSyntaxErrors(st);
  return {
    tables: st.tables,
    symbols: [...st.symbols.values()],
    defines: st.defines,
    flushesRuleset: st.flushesRuleset,
    findings: st.findings,
    files: st.files,
    entry: entry.path,
  };
}
