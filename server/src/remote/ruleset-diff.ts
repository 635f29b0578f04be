/**
 * Pure, text-level diff between a local ruleset file and `nft list ruleset`, by table, object
 * (chain/set/map/flowtable/...) and rule. It normalises what the listing adds or reformats
 * (handles, counter values, whitespace, `;` separators, `$define` uses) and is deliberately not a
 * full parser (the lead's syntax/ parser can replace `normalizeRuleset` later).
 * Known limits: nft's own canonical rewrites (`priority 0` → `priority filter`, `ip protocol tcp
 * tcp dport` → `tcp dport`) show up as differences; commands outside table blocks (`add rule ...`)
 * are listed in `skipped`.
 */
export interface NormalizedRuleset {
  /** "family name" → object key ("chain forward", "set s", "" for table-level lines) → lines. */
  tables: Map<string, Map<string, string[]>>;
  skipped: string[];
}

const BLOCK_WORDS = new Set(['table', 'chain', 'set', 'map', 'flowtable', 'counter', 'quota', 'limit', 'ct', 'secmark', 'synproxy']);

export function normalizeStatement(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/\bcounter packets \d+ bytes \d+/g, 'counter')
    .replace(/\bpackets \d+ bytes \d+\s*/g, '')
    .replace(/\s*\bhandle \d+\b/g, '')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\{\s*/g, '{ ')
    .replace(/\s*\}/g, ' }')
    .trim();
}

export function normalizeRuleset(text: string): NormalizedRuleset {
  const tables = new Map<string, Map<string, string[]>>();
  const skipped: string[] = [];
  const defines = new Map<string, string>();
  const stack: string[] = []; // block keys: ["inet t", "chain c"]
  let cur = '';
  let exprDepth = 0;
  let inQuote = false;

  const emit = () => {
    let st = cur.trim();
    cur = '';
    if (!st) return;
    st = st.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, n: string) => defines.get(n) ?? m);
    if (stack.length === 0) {
      const d = /^define\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(st);
      if (d) defines.set(d[1], d[2].trim());
      else if (!/^flush ruleset$/.test(st)) skipped.push(normalizeStatement(st));
      return;
    }
    const table = tables.get(stack[0])!;
    const key = stack.length >= 2 ? stack[1] : '';
    if (!table.has(key)) table.set(key, []);
    table.get(key)!.push(normalizeStatement(st));
  };

  const openBlock = () => {
    const words = cur.trim().split(/\s+/);
    cur = '';
    if (stack.length === 0 && words[0] === 'table') {
      const fam = words.length >= 3 ? words[1] : 'ip';
      const name = words[words.length - 1];
      const key = `${fam} ${name}`;
      if (!tables.has(key)) tables.set(key, new Map());
      stack.push(key);
    } else {
      const key = words.join(' ');
      stack.push(key);
      const table = stack.length >= 1 ? tables.get(stack[0]) : undefined;
      if (table && stack.length === 2 && !table.has(key)) table.set(key, []);
    }
  };

  for (const rawLine of text.split('\n')) {
    for (let i = 0; i < rawLine.length; i++) {
      const c = rawLine[i];
      if (inQuote) {
        cur += c;
        if (c === '"') inQuote = false;
        continue;
      }
      if (c === '"') { inQuote = true; cur += c; continue; }
      if (c === '#') break;
      if (c === '{') {
        const first = cur.trim().split(/\s+/)[0];
        if (exprDepth === 0 && stack.length < 2 && BLOCK_WORDS.has(first)) { openBlock(); continue; }
        exprDepth++;
        cur += c;
        continue;
      }
      if (c === '}') {
        if (exprDepth > 0) { exprDepth--; cur += c; continue; }
        emit();
        stack.pop();
        continue;
      }
      if (c === ';' && exprDepth === 0) { emit(); continue; }
      cur += c;
    }
    if (inQuote) inQuote = false; // an unterminated quote ends at the line end, as in nft's scanner
    if (exprDepth === 0) emit();
    else cur += ' ';
  }
  emit();
  return { tables, skipped };
}

export interface DiffEntry {
  kind: '+' | '-';
  /** "table inet t", "table inet t / chain c" */
  where: string;
  /** The table, object or rule line; for whole tables/objects, their header. */
  text: string;
}

function lcsDiff(a: string[], b: string[]): { kind: '+' | '-' | '='; text: string }[] {
  const n = a.length, m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: { kind: '+' | '-' | '='; text: string }[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push({ kind: '=', text: a[i] }); i++; j++; }
    else if (i < n && (j === m || dp[i + 1][j] >= dp[i][j + 1])) out.push({ kind: '-', text: a[i++] });
    else out.push({ kind: '+', text: b[j++] });
  }
  return out;
}

/** Differences from `live` to `local`: '+' = in the local file only, '-' = live only. */
export function diffRulesets(localText: string, liveText: string): { entries: DiffEntry[]; skipped: string[] } {
  const local = normalizeRuleset(localText);
  const live = normalizeRuleset(liveText);
  const entries: DiffEntry[] = [];
  const tableKeys = [...new Set([...live.tables.keys(), ...local.tables.keys()])];
  for (const t of tableKeys) {
    const lt = local.tables.get(t);
    const vt = live.tables.get(t);
    if (!lt) { entries.push({ kind: '-', where: `table ${t}`, text: `table ${t}` }); continue; }
    if (!vt) { entries.push({ kind: '+', where: `table ${t}`, text: `table ${t}` }); continue; }
    const objKeys = [...new Set([...vt.keys(), ...lt.keys()])];
    for (const o of objKeys) {
      const where = o === '' ? `table ${t}` : `table ${t} / ${o}`;
      const lo = lt.get(o);
      const vo = vt.get(o);
      if (!lo) { entries.push({ kind: '-', where, text: o }); continue; }
      if (!vo) { entries.push({ kind: '+', where, text: o }); continue; }
      for (const d of lcsDiff(vo, lo)) if (d.kind !== '=') entries.push({ kind: d.kind, where, text: d.text });
    }
  }
  return { entries, skipped: local.skipped };
}

export function renderDiff(entries: DiffEntry[]): string {
  let out = '';
  let lastWhere = '';
  for (const e of entries) {
    if (e.where !== lastWhere) { out += `@@ ${e.where}\n`; lastWhere = e.where; }
    out += `${e.kind} ${e.text}\n`;
  }
  return out;
}
