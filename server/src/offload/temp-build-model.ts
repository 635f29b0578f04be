/**
 * TEMPORARY: a minimal RulesetModel builder for one file, used by offload tests and
 * `nft-offload explain` until semantics/index.ts `buildRulesetModel` lands (another
 * engineer is writing it). Handles block form, `add rule`/`insert rule`, and defines.
 * Delete this file and switch callers once the real builder exists.
 */
import type * as A from '../syntax/ast';
import type { Span } from '../core/span';
import type { ChainModel, DefineDecl, FlowtableModel, RulesetModel, SetModel, TableModel } from '../semantics/model';
import { priorityValue } from './values';

export function buildModelForOffload(file: string, text: string, ast: A.Ruleset): RulesetModel {
  const model: RulesetModel = { tables: new Map(), symbols: [], defines: [], flushesRuleset: false, findings: [] };
  const loc = (s: { start: number; end: number }) => ({ file, span: s });
  const getTable = (family: string | undefined, name: string, span: A.TableDecl['span']): TableModel => {
    const fam = (family ?? 'ip') as A.Family;
    const key = `${fam} ${name}`;
    let t = model.tables.get(key);
    if (!t) {
      t = { family: fam, name, key, flags: [], chains: new Map(), sets: new Map(), flowtables: new Map(), objects: new Map(), decls: [] };
      model.tables.set(key, t);
    }
    t.decls.push(loc(span));
    return t;
  };
  const define = (d: A.DefineStmt, scope: string) => {
    if (d.op === 'undefine') return;
    model.defines.push({ name: d.name.text, value: d.value, loc: loc(d.span), scope, references: [], op: d.op, valueText: d.value ? text.slice(d.value.span.start, d.value.span.end) : '', visible: [] } satisfies DefineDecl);
  };
  const resolveDevices = (e: A.Expr | undefined, scope: string): { names: string[]; open: boolean } => {
    const names: string[] = [];
    let open = false;
    const visit = (x: A.Expr | undefined) => {
      if (!x) return;
      if (x.kind === 'SetLiteral') x.elements.forEach((el) => visit(el.key));
      else if (x.kind === 'List') x.items.forEach(visit);
      else if (x.kind === 'Word' || x.kind === 'String' || x.kind === 'KeywordValue') names.push(x.text);
      else if (x.kind === 'Var') {
        const d = [...model.defines].reverse().find((dd) => dd.name === x.name.text && (dd.scope === scope || dd.scope === 'top'));
        if (d?.value) visit(d.value);
        else open = true;
      } else open = true;
    };
    visit(e);
    return { names, open };
  };
  const chainOf = (t: TableModel, name: string, span: Span): ChainModel => {
    let c = t.chains.get(name);
    if (!c) {
      c = { name, table: t, rules: [], decl: loc(span) };
      t.chains.set(name, c);
    }
    return c;
  };
  const addRule = (c: ChainModel, r: A.Rule, front = false) => {
    const rm = { index: 0, rule: r, file, text: text.slice(r.span.start, r.span.end).trim() };
    if (front) c.rules.unshift(rm);
    else c.rules.push(rm);
    c.rules.forEach((x, i) => (x.index = i));
  };
  const fillChain = (t: TableModel, d: A.ChainDecl) => {
    if (!d.name) return;
    const c = chainOf(t, d.name.text, d.name.span);
    for (const it of d.body ?? []) {
      if (it.kind === 'ChainHook') {
        const devs = resolveDevices(it.devices ?? it.device, t.key);
        c.hook = {
          type: it.type?.text ?? 'filter',
          hook: it.hook?.text ?? '',
          priority: priorityValue(it.priority, t.family, (n) => lookupDefine(model, n, t.key)),
          priorityText: it.priority ? text.slice(it.priority.span.start, it.priority.span.end) : '',
          devices: devs.names,
          loc: loc(it.span),
        };
      } else if (it.kind === 'Policy') {
        const v = it.value.kind === 'Var' ? lookupDefine(model, it.value.name.text, t.key) : it.value;
        const p = v && 'text' in v ? (v as { text: string }).text : undefined;
        if (p === 'accept' || p === 'drop') c.policy = p;
      } else if (it.kind === 'Rule') addRule(c, it);
      else if (it.kind === 'Define') define(it, t.key);
    }
    if (c.hook && !c.policy) c.policy = 'accept';
  };
  const fillSet = (t: TableModel, d: A.SetDecl) => {
    if (!d.name) return;
    const s: SetModel = t.sets.get(d.name.text) ?? { name: d.name.text, table: t, isMap: d.isMap, flags: [], elements: [], stateful: [], decl: loc(d.name.span) };
    for (const it of d.body ?? []) {
      if (it.kind === 'SetType') {
        s.keyType = text.slice(it.key.span.start, it.key.span.end);
        if (it.data) s.dataType = text.slice(it.data.span.start, it.data.span.end);
      } else if (it.kind === 'Property' && it.key === 'flags' && it.value) {
        const v = it.value;
        const words = v.kind === 'List' ? v.items : [v];
        for (const w of words) if ('text' in w) s.flags.push((w as { text: string }).text);
      } else if (it.kind === 'Elements' && it.elements.kind === 'SetLiteral') s.elements.push(...it.elements.elements);
      else if (it.kind === 'Stateful') s.stateful.push(it.statement);
    }
    t.sets.set(s.name, s);
  };
  const fillFlowtable = (t: TableModel, d: A.FlowtableDecl) => {
    if (!d.name) return;
    const f: FlowtableModel = t.flowtables.get(d.name.text) ?? { name: d.name.text, table: t, devices: [], devicesOpen: false, flags: [], counter: false, decl: loc(d.name.span) };
    for (const it of d.body ?? []) {
      if (it.kind === 'FlowtableHook') {
        f.hook = it.hook?.text;
        f.priority = priorityValue(it.priority, 'netdev', (n) => lookupDefine(model, n, t.key));
        f.priorityText = it.priority ? text.slice(it.priority.span.start, it.priority.span.end) : undefined;
      } else if (it.kind === 'Devices') {
        const r = resolveDevices(it.devices, t.key);
        f.devices.push(...r.names);
        f.devicesOpen ||= r.open;
      } else if (it.kind === 'Property') {
        if (it.key === 'counter') f.counter = true;
        if (it.key === 'flags' && it.value && 'text' in it.value) f.flags.push((it.value as { text: string }).text);
      }
    }
    t.flowtables.set(f.name, f);
  };
  const tableFromSpec = (s: A.TableSpec | undefined, span: Span) => (s?.name ? getTable(s.family?.text, s.name.text, span) : undefined);
  for (const item of ast.items) {
    if (item.kind === 'Define') define(item, 'top');
    else if (item.kind === 'OtherCmd' && item.verb === 'flush' && item.object === 'ruleset') model.flushesRuleset = true;
    else if (item.kind === 'Table' && item.name) {
      const t = getTable(item.family?.text, item.name.text, item.name.span);
      for (const b of item.body ?? []) {
        if (b.kind === 'Chain') fillChain(t, b);
        else if (b.kind === 'Set') fillSet(t, b);
        else if (b.kind === 'Flowtable') fillFlowtable(t, b);
        else if (b.kind === 'Define') define(b, t.key);
        else if (b.kind === 'Property' && b.key === 'flags' && b.value && 'text' in b.value) t.flags.push((b.value as { text: string }).text);
      }
    } else if (item.kind === 'Chain' && item.table) {
      const t = tableFromSpec(item.table, item.span);
      if (t) fillChain(t, item);
    } else if (item.kind === 'Set' && item.table) {
      const t = tableFromSpec(item.table, item.span);
      if (t) fillSet(t, item);
    } else if (item.kind === 'Flowtable' && item.table) {
      const t = tableFromSpec(item.table, item.span);
      if (t) fillFlowtable(t, item);
    } else if (item.kind === 'RuleCmd' && item.rule && item.chain && (item.verb === 'add' || item.verb === 'insert')) {
      const t = tableFromSpec(item.table, item.span);
      if (t) addRule(chainOf(t, item.chain.text, item.chain.span), item.rule, item.verb === 'insert');
    } else if (item.kind === 'ElementCmd' && item.verb === 'add' && item.set && item.elements) {
      const t = tableFromSpec(item.table, item.span);
      const s = t?.sets.get(item.set.text);
      if (s) s.elements.push(...item.elements.elements);
    }
  }
  return model;
}

function lookupDefine(model: RulesetModel, name: string, scope: string): A.Expr | undefined {
  for (let i = model.defines.length - 1; i >= 0; i--) {
    const d = model.defines[i];
    if (d.name === name && (d.scope === scope || d.scope === 'top')) return d.value;
  }
  return undefined;
}
