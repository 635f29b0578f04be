import type * as A from '../syntax/ast';
import type { RelatedInfo } from '../core/finding';
import type { Loc, SetModel, SymbolInfo, TableModel } from './model';
import { addReference, type BuildState, type PendingRef } from './build-model';
import type { CheckedType } from './value-types';
import { isIntervalValue } from './value-types';
import { checkChainGraph } from './chain-graph';

/** What phase 2 borrows from the walker (value checks need its `$var` bindings). */
export interface ValueChecker {
  checkValue(type: CheckedType, e: A.Expr, file: string, mismatch: 'valueTypeMismatch' | 'setElementType'): void;
  asType(name: string | undefined): CheckedType | undefined;
  selectorType(path: readonly string[]): CheckedType | undefined;
  textOf(file: string): string;
}

const KIND_WORD: Record<PendingRef['kind'], string> = { table: 'table', chain: 'chain', set: 'set or map', flowtable: 'flowtable', object: 'object' };

/**
 * Phase 2: everything is declared now (nft accepts forward references inside one
 * load: a block may `jump` to a chain declared further down), so resolve every
 * reference, assemble rules and elements, and run the checks that need the whole
 * ruleset. Declaration order across commands is not checked.
 */
export function resolveReferences(st: BuildState, vc: ValueChecker): void {
  const undeclared = new Set<string>();
  for (const key of st.tables.keys()) if (!st.declaredTables.has(key)) undeclared.add(key);

  for (const ref of st.refs) {
    if (ref.kind === 'table') {
      if (undeclared.has(ref.tableKey)) {
        const other = [...st.declaredTables].find((k) => k.split(' ')[1] === ref.name);
        const related: RelatedInfo[] = [];
        const ot = other ? st.tables.get(other) : undefined;
        if (ot && ot.decls[0]) related.push({ location: ot.decls[0], message: `did you mean table ${ot.key}?` });
        st.report('unknownTable', ref.loc.file, ref.loc.span, `No such file or directory: table ${ref.tableKey} is not declared in this ruleset`, related);
      } else {
        const sym = st.findSymbol('table', '', ref.name);
        if (sym) addReference(sym, ref.loc);
      }
      continue;
    }
    if (undeclared.has(ref.tableKey)) continue;
    const t = st.tables.get(ref.tableKey);
    if (!t) continue;
    const sym = lookup(st, t, ref);
    if (sym) {
      addReference(sym, ref.loc);
      continue;
    }
    const rule = ref.kind === 'chain' ? 'unknownChain' : ref.kind === 'set' ? 'unknownSet' : ref.kind === 'flowtable' ? 'unknownFlowtable' : 'unknownObject';
    const what = ref.kind === 'object' ? (ref.objectType ?? 'object') : KIND_WORD[ref.kind];
    st.report(rule, ref.loc.file, ref.loc.span, `No such file or directory: ${what} '${ref.name}' is not declared in table ${t.key}`, elsewhere(st, t, ref));
  }

  for (const key of undeclared) st.tables.delete(key);

  assembleRules(st);
  assembleElements(st, vc);
  checkChainGraph(st);
}

function lookup(st: BuildState, t: TableModel, ref: PendingRef): SymbolInfo | undefined {
  switch (ref.kind) {
    case 'chain':
      return t.chains.has(ref.name) ? st.findSymbol('chain', t.key, ref.name) : undefined;
    case 'set': {
      const s = t.sets.get(ref.name);
      return s ? st.findSymbol(s.isMap ? 'map' : 'set', t.key, ref.name) : undefined;
    }
    case 'flowtable':
      return t.flowtables.has(ref.name) ? st.findSymbol('flowtable', t.key, ref.name) : undefined;
    case 'object':
      return t.objects.has(`${ref.objectType}:${ref.name}`) ? st.findSymbol('object', t.key, ref.name, ref.objectType) : undefined;
    default:
      return undefined;
  }
}

/** "did you mean set 'lan' in table ip potato?": the same name declared in another table. */
function elsewhere(st: BuildState, t: TableModel, ref: PendingRef): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const other of st.tables.values()) {
    if (other === t || !st.declaredTables.has(other.key)) continue;
    let loc: Loc | undefined;
    if (ref.kind === 'chain') loc = other.chains.get(ref.name)?.decl;
    else if (ref.kind === 'set') loc = other.sets.get(ref.name)?.decl;
    else if (ref.kind === 'flowtable') loc = other.flowtables.get(ref.name)?.decl;
    else if (ref.kind === 'object') loc = other.objects.get(`${ref.objectType}:${ref.name}`)?.decl;
    if (loc) out.push({ location: loc, message: `did you mean ${KIND_WORD[ref.kind]} '${ref.name}' in table ${other.key}?` });
  }
  return out;
}

function assembleRules(st: BuildState): void {
  for (const r of st.rules) {
    const c = st.tables.get(r.tableKey)?.chains.get(r.chain);
    if (!c) continue;
    const text = st.textOf(r.file).slice(r.rule.span.start, r.rule.span.end);
    const model = { index: 0, rule: r.rule, file: r.file, text };
    if (r.mode === 'prepend') c.rules.unshift(model);
    else c.rules.push(model);
  }
  for (const t of st.tables.values()) for (const c of t.chains.values()) c.rules.forEach((r, i) => (r.index = i));
}

/** Key (and data) types of a set as checkable types, one per concatenation part. */
function partTypes(text: string | undefined, vc: ValueChecker): (CheckedType | undefined)[] | undefined {
  if (!text) return undefined;
  let t = text.trim();
  if (t.startsWith('interval ')) t = t.slice('interval '.length);
  if (t.startsWith('typeof ')) {
    return t
      .slice('typeof '.length)
      .split(/\s+\.\s+/)
      .map((p) => vc.selectorType(p.trim().split(/\s+/)));
  }
  return t.split(/\s*\.\s*/).map((p) => vc.asType(p.trim()));
}

function assembleElements(st: BuildState, vc: ValueChecker): void {
  for (const pe of st.elements) {
    const s = st.tables.get(pe.tableKey)?.sets.get(pe.set);
    if (!s) continue;
    // Never appended to in place: the first list may be the set literal's own array (flatElements).
    s.elements = s.elements.length === 0 ? pe.elements : s.elements.concat(pe.elements);
    checkElements(st, s, pe.elements, pe.file, vc, pe.flags ?? s.flags);
  }
}

function checkElements(st: BuildState, s: SetModel, elements: A.SetElement[], file: string, vc: ValueChecker, flags: string[]): void {
  const interval = flags.includes('interval');
  const keyTypes = partTypes(s.keyType, vc);
  const dataTypes = s.isMap ? partTypes(s.dataType, vc) : undefined;
  for (const el of elements) {
    const key = el.key;
    if (!key) continue;
    const where = elementFile(st, el, file);
    // nft `expr_evaluate_set_elem` / `expr_evaluate_mapping`: a map element needs data.
    if (s.isMap && !el.value && key.kind !== 'Var') {
      st.report('mapElementWithoutData', where, key.span, `map element without data: '${s.name}' maps to ${s.dataType ?? 'a value'}, write \`key : value\``, [
        { location: s.decl, message: 'declared as a map here' },
      ]);
    }
    if (!s.isMap && el.value) {
      st.report('setIsNotMap', where, el.value.span, `'${s.name}' is a set, not a map: its elements take no \`: value\``, [{ location: s.decl, message: 'declared as a set here' }]);
    }
    // A key of N concatenated types needs N values (a lone value cannot be a concatenation).
    if (keyTypes && keyTypes.length > 1 && key.kind !== 'Concat' && key.kind !== 'Wildcard' && key.kind !== 'Var' && key.kind !== 'Error') {
      st.report('concatArity', where, key.span, `element is one value, but the key of '${s.name}' is a concatenation of ${keyTypes.length} (${s.keyType})`);
    }
    if (!interval && isIntervalValue(key)) {
      const what = key.kind === 'Range' || (key.kind === 'Concat' && key.parts.some((p) => p.kind === 'Range')) ? 'range' : 'prefix';
      st.report('setIntervalFlag', where, key.span, `Set member cannot be ${what}, missing interval flag on declaration of ${s.isMap ? 'map' : 'set'} '${s.name}'`, [
        { location: s.decl, message: 'declared here without `flags interval`' },
      ]);
    }
    checkTyped(keyTypes, key, where, vc);
    if (dataTypes && el.value) checkTyped(dataTypes, el.value, where, vc);
  }
}

function checkTyped(types: (CheckedType | undefined)[] | undefined, e: A.Expr, file: string, vc: ValueChecker): void {
  if (!types || !types.some((x) => x)) return;
  if (types.length === 1) {
    vc.checkValue(types[0]!, e, file, 'setElementType');
    return;
  }
  if (e.kind === 'Concat' && e.parts.length === types.length) {
    e.parts.forEach((p, i) => {
      const ty = types[i];
      if (ty) vc.checkValue(ty, p, file, 'setElementType');
    });
  }
}

/** Elements spliced from a `$var` live in the file of the define (recorded while flattening: O(1)). */
function elementFile(st: BuildState, el: A.SetElement, fallback: string): string {
  return st.elementFiles.get(el) ?? fallback;
}
