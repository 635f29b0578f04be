import type * as A from '../syntax/ast';
import type { Severity } from '../core/finding';
import type { BuildState } from './build-model';
import type { Loc, TableModel } from './model';

/**
 * Phase-2 checks that need the whole file: declarations that never got a key or a
 * hook, sets used as maps, and commands (`list`, `delete`, `reset`, `flush`) whose
 * target the file never declares.
 *
 * A file may operate on what is already in the kernel (`delete table inet f` before
 * redeclaring it, adding devices to an existing flowtable), so findings that depend
 * on kernel state are warnings, and become errors only when the same file started
 * from `flush ruleset` or deleted the object itself.
 */
export interface MapUse {
  tableKey: string;
  name: string;
  why: string;
  loc: Loc;
}

export interface CommandEvent {
  verb: A.Verb;
  /** `table`, `chain`, `set`, `map`, `counter`, `ct helper` … as written. */
  object: string;
  tableKey: string;
  /** Object name inside the table; undefined for tables and handle-addressed objects. */
  name?: string;
  byHandle?: boolean;
  loc: Loc;
}

export function checkModel(st: BuildState): void {
  const onEmptyRuleset = st.flushesRuleset;
  const stateSeverity: Severity = onEmptyRuleset ? 'error' : 'warning';

  // SEM032: nft `set_evaluate`: "set definition does not specify key".
  const reported = new Set<unknown>();
  for (const { set, loc } of st.setDecls) {
    if (set.keyType || reported.has(set)) continue;
    reported.add(set);
    st.report('setWithoutKey', loc.file, loc.span, `${set.isMap ? 'map' : 'set'} definition does not specify key (add \`type\` or \`typeof\`)`);
  }

  // SEM029: policy/devices on a chain that never gets a hook; a flowtable without hook.
  for (const [chain, loc] of st.baseChainProps) {
    if (chain.hook || !st.tables.has(chain.table.key)) continue;
    st.report('hookMissing', loc.file, loc.span, `chain ${chain.table.key} ${chain.name} has no \`type … hook … priority\` in this file; \`policy\` and \`devices\` need a base chain (Operation not supported unless it already is one in the kernel)`, undefined, stateSeverity);
  }
  for (const t of st.tables.values()) {
    for (const ft of t.flowtables.values()) {
      if (ft.hook) continue;
      st.report('hookMissing', ft.decl.file, ft.decl.span, `flowtable ${t.key} ${ft.name} has no \`hook ingress priority …\` in this file; nft: "missing hook and priority in flowtable declaration" unless it already exists in the kernel`, undefined, stateSeverity);
    }
  }

  // SEM034: `map @s` on a set.
  for (const u of st.mapUses) {
    const s = st.tables.get(u.tableKey)?.sets.get(u.name);
    if (s && !s.isMap) st.report('setIsNotMap', u.loc.file, u.loc.span, `${u.why}, but '${u.name}' is a set, not a map`, [{ location: s.decl, message: 'declared as a set here' }]);
  }

  checkCommands(st, stateSeverity);
}

function objectDeclared(t: TableModel, object: string, name: string): boolean | undefined {
  switch (object) {
    case 'chain':
      return t.chains.has(name);
    case 'set':
    case 'map':
    case 'meter':
      return t.sets.has(name);
    case 'flowtable':
      return t.flowtables.has(name);
    case 'counter':
    case 'quota':
    case 'limit':
    case 'ct helper':
    case 'ct timeout':
    case 'ct expectation':
    case 'secmark':
    case 'synproxy':
    case 'tunnel':
      return t.objects.has(`${object}:${name}`);
    default:
      return undefined;
  }
}

/**
 * SEM043. nft evaluates every command first and runs `list` after the whole batch
 * (nft `src/libnftables.c` `nft_evaluate`, then `nft_netlink` → `do_command_list`,
 * which looks the table up in the cache again), so a `list` of a table that the
 * same file deletes fails with "No such file or directory" wherever the delete is.
 */
function checkCommands(st: BuildState, stateSeverity: Severity): void {
  const present = new Set<string>();
  const deleted = new Set<string>();
  const cmds = st.commands;
  cmds.forEach((c, i) => {
    const isTable = c.object === 'table';
    if (isTable && (c.verb === 'add' || c.verb === 'create')) {
      present.add(c.tableKey);
      deleted.delete(c.tableKey);
      return;
    }
    if (c.verb === 'destroy') {
      if (isTable) {
        present.delete(c.tableKey);
        deleted.add(c.tableKey);
      }
      return;
    }
    if (!['list', 'delete', 'reset', 'flush'].includes(c.verb)) return;
    const what = `${c.verb} ${c.object} ${c.tableKey}${c.name ? ' ' + c.name : ''}`;
    if (c.verb === 'list') {
      const later = cmds.slice(i + 1).find((x) => x.object === 'table' && x.tableKey === c.tableKey && (x.verb === 'delete' || x.verb === 'destroy'));
      if (later) {
        st.report('commandTarget', c.loc.file, c.loc.span, `\`${what}\`: No such file or directory — \`list\` runs after the whole file is evaluated, and table ${c.tableKey} is deleted further down`, [
          { location: later.loc, message: 'deleted here' },
        ], 'error');
        return;
      }
    }
    if (!present.has(c.tableKey)) {
      if (deleted.has(c.tableKey)) {
        st.report('commandTarget', c.loc.file, c.loc.span, `\`${what}\`: No such file or directory — table ${c.tableKey} was deleted earlier in this file`, undefined, 'error');
      } else if (!st.declaredTables.has(c.tableKey) || c.verb !== 'delete' || !isTable) {
        st.report('commandTarget', c.loc.file, c.loc.span, `\`${what}\`: table ${c.tableKey} is not declared before this point in the file; nft fails with "No such file or directory" unless it exists in the kernel`, undefined, stateSeverity);
      } else {
        // `delete table x` before redeclaring x: the usual "start from scratch" idiom; it needs x to exist.
        st.report('commandTarget', c.loc.file, c.loc.span, `\`${what}\` fails with "No such file or directory" unless table ${c.tableKey} exists in the kernel (\`destroy table\`, nft ≥ 1.0.8, does not)`, undefined, stateSeverity);
      }
      if (isTable && c.verb === 'delete') deleted.add(c.tableKey);
      return;
    }
    if (isTable) {
      if (c.verb === 'delete') {
        present.delete(c.tableKey);
        deleted.add(c.tableKey);
      }
      return;
    }
    const t = st.tables.get(c.tableKey);
    if (!t || !c.name) return;
    const known = objectDeclared(t, c.object, c.name);
    if (known === false) {
      st.report('commandTarget', c.loc.file, c.loc.span, `\`${what}\`: ${c.object} '${c.name}' is not declared in table ${c.tableKey} in this file; nft fails with "No such file or directory" unless it exists in the kernel`, undefined, stateSeverity);
    }
  });
}
