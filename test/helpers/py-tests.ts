import { readFileSync } from 'node:fs';

/**
 * Reader for upstream's tests/py/*.t files (format in shared/corpus/SOURCE.md):
 * `:chain;config`, `*family;table;chains`, `RULE;ok[;canonical]`, `RULE;fail`,
 * `!set …`, `?set elems`, `%obj …`, `- disabled`.
 */
export interface PyContext {
  family: string;
  table: string;
  chains: string[];
}

export interface PyRuleLine {
  line: number;
  rule: string;
  expected: 'ok' | 'fail';
  canonical?: string;
  contexts: PyContext[];
  /** Chain configs by chain name, from the `:` lines. */
  chainConfigs: Map<string, string>;
}

function splitStatus(text: string): { body: string; expected: 'ok' | 'fail'; canonical?: string } | undefined {
  for (const st of ['ok', 'fail'] as const) {
    if (text.endsWith(';' + st)) return { body: text.slice(0, -(st.length + 1)), expected: st };
    const i = text.indexOf(';' + st + ';');
    if (i > 0) return { body: text.slice(0, i), expected: st, canonical: text.slice(i + st.length + 2) };
  }
  return undefined;
}

export function readPyTest(path: string): PyRuleLine[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const chainConfigs = new Map<string, string>();
  let contexts: PyContext[] = [];
  let lastWasContext = false;
  const out: PyRuleLine[] = [];
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (!text || text.startsWith('#') || text.startsWith('- ')) return;
    if (text.startsWith(':')) {
      const [name, ...cfg] = text.slice(1).split(';');
      chainConfigs.set(name, cfg.join(';'));
      return;
    }
    if (text.startsWith('*')) {
      const [family, table, chains] = text.slice(1).split(';');
      if (!lastWasContext) contexts = [];
      contexts.push({ family, table, chains: (chains ?? '').split(',').filter(Boolean) });
      lastWasContext = true;
      return;
    }
    lastWasContext = false;
    if (text.startsWith('!') || text.startsWith('?') || text.startsWith('%')) return;
    const st = splitStatus(text);
    if (!st) return;
    out.push({ line: i + 1, rule: st.body, expected: st.expected, canonical: st.canonical, contexts: [...contexts], chainConfigs: new Map(chainConfigs) });
  });
  return out;
}

/** A whole ruleset that adds `rule` to the first chain of `ctx`, as nft-test.py does. */
export function rulesetFor(line: PyRuleLine, ctx: PyContext): { text: string; ruleOffset: number } {
  const chain = ctx.chains[0] ?? 'c';
  const cfg = line.chainConfigs.get(chain) ?? '';
  const head = `table ${ctx.family} ${ctx.table} {\n\tchain ${chain} {\n\t\t${cfg}${cfg ? ';' : ''}\n\t}\n}\n`;
  const prefix = `add rule ${ctx.family} ${ctx.table} ${chain} `;
  return { text: head + prefix + line.rule + '\n', ruleOffset: head.length + prefix.length };
}
