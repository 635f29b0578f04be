import { parseRuleset } from './server/src/syntax/parse';
import { readFileSync, readdirSync } from 'node:fs';
const dir = '/work/shared/corpus/bogons';
for (const f of readdirSync(dir)) {
  const r = parseRuleset(readFileSync(dir + '/' + f, 'latin1'));
  if (!r.findings.some(x => x.severity === 'error')) console.log(f);
}
