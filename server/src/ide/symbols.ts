import type { Span } from '../core/span';
import type * as A from '../syntax/ast';
import type { Loc, SymbolInfo, SymbolKind } from '../semantics/model';
import { walk, type AnyNode } from './walk';

/**
 * The named things of a ruleset and where they are used: the data behind go to
 * definition, references, rename, workspace symbols, `@`/`jump` completion and "add
 * missing declaration". `indexSymbols` builds it from syntax trees alone (one or more
 * files, e.g. a file and its includes); when the semantics layer provides a model, its
 * `symbols` have the same shape and replace this index (see `SymbolSource`).
 */
export interface SymbolIndex {
  symbols: SymbolInfo[];
  /** References that name nothing declared, with the kind they need. */
  unresolved: { kind: SymbolKind; name: string; container: string; loc: Loc }[];
  /** Define values by name (last definition wins), for hover on `$x`. */
  defineValues: Map<string, { value?: A.Expr; loc: Loc; text?: string }>;
}

export interface FileTree {
  file: string;
  text: string;
  ast: A.Ruleset;
}

/** Where a name is written, without its quotes. */
function nameLoc(file: string, id: A.Ident): Loc {
  const s = id.span;
  return { file, span: id.quoted && s.end - s.start >= 2 ? { start: s.start + 1, end: s.end - 1 } : s };
}

function tableKey(spec: A.TableSpec | undefined, fallback: string): string {
  if (!spec || !spec.name) return fallback;
  return `${spec.family?.text ?? 'ip'} ${spec.name.text}`;
}

export function indexSymbols(files: FileTree[]): SymbolIndex {
  const byKey = new Map<string, SymbolInfo>();
  const defineValues: SymbolIndex['defineValues'] = new Map();
  const pending: { kinds: SymbolKind[]; name: string; container: string; loc: Loc }[] = [];
  const get = (kind: SymbolKind, name: string, container: string): SymbolInfo => {
    const key = `${kind}\u0000${container}\u0000${name}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { kind, name, container, declarations: [], references: [] }));
    return s;
  };
  const declare = (kind: SymbolKind, id: A.Ident | undefined, container: string, file: string, full: Span) => {
    if (!id || !id.text) return;
    const s = get(kind, id.text, container);
    s.declarations.push(nameLoc(file, id));
    s.fullSpan ??= { file, span: full };
  };

  for (const f of files) {
    const file = f.file;
    let currentTable = '';
    const visitDecl = (n: AnyNode, container: string): void => {
      const d = n as unknown as A.AnyDecl;
      const own = d.table ? tableKey(d.table, container) : container;
      switch (n.kind) {
        case 'Table': {
          const t = n as unknown as A.TableDecl;
          const key = t.name ? `${t.family?.text ?? 'ip'} ${t.name.text}` : '';
          if (t.name && t.verb !== 'delete' && t.verb !== 'destroy' && t.verb !== 'list' && t.verb !== 'flush') declare('table', t.name, '', file, t.span);
          else if (t.name) get('table', t.name.text, '').references.push(nameLoc(file, t.name));
          return void (currentTable = key);
        }
        case 'Chain':
        case 'Set':
        case 'Flowtable':
        case 'Object': {
          const kind: SymbolKind = n.kind === 'Chain' ? 'chain' : n.kind === 'Set' ? ((d as A.SetDecl).isMap ? 'map' : 'set') : n.kind === 'Flowtable' ? 'flowtable' : 'object';
          if (d.table?.name) get('table', d.table.name.text, '').references.push(nameLoc(file, d.table.name));
          const isDecl = d.verb === 'add' || d.verb === 'create';
          if (isDecl) declare(kind, d.name, own, file, d.span);
          else if (d.name) pending.push({ kinds: [kind], name: d.name.text, container: own, loc: nameLoc(file, d.name) });
          return;
        }
      }
    };
    walk(f.ast as unknown as AnyNode, (n, parents) => {
      // The table a node sits in: the nearest Table ancestor, else a command's table spec.
      let container = '';
      for (let i = parents.length - 1; i >= 0; i--) {
        const p = parents[i] as unknown as { kind: string; name?: A.Ident; family?: A.Ident; table?: A.TableSpec };
        if (p.kind === 'Table' && p.name) {
          container = `${p.family?.text ?? 'ip'} ${p.name.text}`;
          break;
        }
        if ((p.kind === 'RuleCmd' || p.kind === 'Chain' || p.kind === 'Set' || p.kind === 'Flowtable' || p.kind === 'Object') && p.table?.name) {
          container = tableKey(p.table, '');
          break;
        }
      }
      switch (n.kind) {
        case 'Table':
        case 'Chain':
        case 'Flowtable':
        case 'Object':
          visitDecl(n, container);
          return;
        case 'Set':
          // Statements `meta mark set 1` share the kind; declarations have `isMap`.
          if ('isMap' in n) visitDecl(n, container);
          return;
        case 'Define': {
          const d = n as unknown as A.DefineStmt;
          if (d.op === 'undefine') {
            get('define', d.name.text, '').references.push(nameLoc(file, d.name));
            return;
          }
          declare('define', d.name, '', file, d.span);
          defineValues.set(d.name.text, { value: d.value, loc: nameLoc(file, d.name), text: d.value ? f.text.slice(d.value.span.start, d.value.span.end) : undefined });
          return;
        }
        case 'Var': {
          const v = n as unknown as A.VarExpr;
          if (v.name?.text) pending.push({ kinds: ['define'], name: v.name.text, container: '', loc: nameLoc(file, v.name) });
          return;
        }
        case 'SetRef': {
          const r = n as unknown as A.SetRefExpr;
          if (r.name?.text) pending.push({ kinds: ['set', 'map', 'flowtable'], name: r.name.text, container, loc: nameLoc(file, r.name) });
          return;
        }
        case 'FlowOffload': {
          const r = n as unknown as A.FlowOffloadStmt;
          if (r.flowtable?.text) pending.push({ kinds: ['flowtable'], name: r.flowtable.text, container, loc: nameLoc(file, r.flowtable) });
          return false;
        }
        case 'Verdict': {
          const v = n as unknown as A.VerdictStmt;
          const t = v.target;
          if (t && t.kind === 'Ident' && t.text) pending.push({ kinds: ['chain'], name: t.text, container, loc: nameLoc(file, t) });
          return;
        }
        case 'RuleCmd': {
          const r = n as unknown as A.RuleCmd;
          if (r.table?.name) get('table', r.table.name.text, '').references.push(nameLoc(file, r.table.name));
          if (r.chain?.text) pending.push({ kinds: ['chain'], name: r.chain.text, container: tableKey(r.table, ''), loc: nameLoc(file, r.chain) });
          return;
        }
        case 'ElementCmd': {
          const r = n as unknown as A.ElementCmd;
          if (r.table?.name) get('table', r.table.name.text, '').references.push(nameLoc(file, r.table.name));
          if (r.set?.text) pending.push({ kinds: ['set', 'map'], name: r.set.text, container: tableKey(r.table, ''), loc: nameLoc(file, r.set) });
          return;
        }
        case 'SetUpdate': {
          const r = n as unknown as A.SetUpdateStmt;
          if (r.set?.text) pending.push({ kinds: ['set', 'map'], name: r.set.text, container, loc: nameLoc(file, r.set) });
          return;
        }
      }
      void currentTable;
    });
  }

  const unresolved: SymbolIndex['unresolved'] = [];
  for (const p of pending) {
    let hit: SymbolInfo | undefined;
    for (const k of p.kinds) {
      hit = byKey.get(`${k}\u0000${p.container}\u0000${p.name}`);
      if (hit) break;
    }
    if (!hit && p.container === '') {
      // Command forms without a table, or unknown context: match by name alone.
      for (const s of byKey.values()) if (p.kinds.includes(s.kind) && s.name === p.name && s.declarations.length) hit = s;
    }
    if (hit) hit.references.push(p.loc);
    else unresolved.push({ kind: p.kinds[0], name: p.name, container: p.container, loc: p.loc });
  }
  return { symbols: [...byKey.values()], unresolved, defineValues };
}

function covers(loc: Loc, file: string, offset: number): boolean {
  return loc.file === file && loc.span.start <= offset && offset <= loc.span.end;
}

/** The symbol declared or referenced at `offset` in `file`. */
export function symbolAt(symbols: readonly SymbolInfo[], file: string, offset: number): { symbol: SymbolInfo; isDeclaration: boolean } | undefined {
  for (const s of symbols) {
    for (const d of s.declarations) if (covers(d, file, offset)) return { symbol: s, isDeclaration: true };
    for (const r of s.references) if (covers(r, file, offset)) return { symbol: s, isDeclaration: false };
  }
  return undefined;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

export interface RenameEdit {
  file: string;
  span: Span;
  newText: string;
}

/** Edits renaming a symbol everywhere, or an error message when the new name is not valid. */
export function renameEdits(symbol: SymbolInfo, newName: string): RenameEdit[] | string {
  const bare = newName.startsWith('$') && symbol.kind === 'define' ? newName.slice(1) : newName;
  if (!NAME_RE.test(bare)) return `'${newName}' is not a valid nftables name`;
  const seen = new Set<string>();
  const out: RenameEdit[] = [];
  for (const l of [...symbol.declarations, ...symbol.references]) {
    const key = `${l.file}:${l.span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: l.file, span: l.span, newText: bare });
  }
  return out;
}
