import { parseRuleset } from './server/src/syntax/parse';
import { LineIndex } from './server/src/core/line-index';
import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
let bad = 0, n = 0;
const t0 = Date.now();
for (const f of readdirSync(dir).filter(f => !f.endsWith('.tsv') && !f.endsWith('.md'))) {
  n++;
  const text = readFileSync(dir + '/' + f, 'utf8');
  const r = parseRuleset(text);
  if (r.findings.length) {
    bad++;
    const li = new LineIndex(text);
    const e = r.findings[0];
    const p = li.positionAt(e.span.start);
    console.log(`${f}:${p.line + 1}:${p.character + 1}: ${e.message.slice(0, 150)} | ${li.lineText(p.line).trim().slice(0, 100)}`);
  }
}
console.log(`${bad}/${n} with findings in ${Date.now() - t0}ms`);
