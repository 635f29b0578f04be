import { parseRuleset } from './server/src/syntax/parse';
import { readFileSync } from 'node:fs';
const t0 = Date.now();
const r = parseRuleset(readFileSync(process.argv[2], 'utf8'));
console.log('ms', Date.now() - t0);
for (const f of r.findings) console.log(f.span, f.message);
if (process.argv[3]) console.log(JSON.stringify(r.ast, null, 1).slice(0, 3000));
