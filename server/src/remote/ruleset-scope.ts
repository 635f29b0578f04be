/**
 * Pure, line-based look at what a ruleset file touches, for the OpenWrt fw4 rule (anchors.md §2:
 * fw4 regenerates `table inet fw4`; an apply that flushes the ruleset wipes it until the next
 * `fw4 reload`). Not a parser: it only needs table names, and it refuses what it cannot see.
 */
export interface TableRef {
  family: string;
  name: string;
}

export interface RulesetScope {
  tables: TableRef[];
  /** Tables declared with a `table F N {` block (these get replaced as a whole in tables mode). */
  blockTables: TableRef[];
  flushesRuleset: boolean;
  /** Reasons the table list may be incomplete (include, variables in names). */
  opaque: string[];
}

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
export const TABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function stripComment(line: string): string {
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === '#' && !inQuote) return line.slice(0, i);
  }
  return line;
}

export function scanRulesetScope(text: string): RulesetScope {
  const tables = new Map<string, TableRef>();
  const blockTables = new Map<string, TableRef>();
  const opaque: string[] = [];
  let flushesRuleset = false;
  let depth = 0;
  text.split('\n').forEach((raw, i) => {
    const line = stripComment(raw);
    for (const stmt of line.split(';')) {
      const words = stmt.trim().split(/\s+/).filter(Boolean);
      if (depth === 0 && words.length) {
        const lead = words[0];
        if (lead === 'flush' && words[1] === 'ruleset') flushesRuleset = true;
        if (lead === 'include') opaque.push(`line ${i + 1}: include (cannot see which tables it touches)`);
        // `table F N {`, `add table F N`, `delete table F N`, `add rule F N chain ...`, etc.
        let rest = words;
        if (['add', 'create', 'delete', 'destroy', 'flush', 'insert', 'replace', 'list', 'reset'].includes(lead)) rest = words.slice(1);
        const objKinds = ['table', 'chain', 'rule', 'set', 'map', 'element', 'flowtable', 'counter', 'quota', 'limit', 'ct', 'secmark', 'synproxy'];
        if (rest.length >= 2 && objKinds.includes(rest[0]) && !(lead === 'flush' && rest[0] === 'ruleset')) {
          let family = 'ip';
          let idx = 1;
          if (rest[0] === 'ct') idx = 2; // ct helper/timeout/expectation F N ...
          if (FAMILIES.has(rest[idx])) family = rest[idx++];
          const name = (rest[idx] ?? '').replace(/\{$/, '');
          if (name === '' || !TABLE_NAME_RE.test(name)) {
            opaque.push(`line ${i + 1}: table name ${JSON.stringify(name)} is not a plain identifier`);
          } else {
            const ref = { family, name };
            tables.set(`${family} ${name}`, ref);
            if (rest[0] === 'table' && lead === 'table' && line.includes('{')) blockTables.set(`${family} ${name}`, ref);
          }
        }
      }
    }
    for (const c of line.replace(/"[^"]*"/g, '')) {
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
    }
  });
  return { tables: [...tables.values()], blockTables: [...blockTables.values()], flushesRuleset, opaque };
}

/** Lines that make `table F N { ... }` a replacement instead of a merge: create, then delete. */
export function tableReplacementPreamble(tables: TableRef[]): string {
  return tables.map((t) => `table ${t.family} ${t.name}\ndelete table ${t.family} ${t.name}\n`).join('');
}
