import { parseRuleset } from './server/src/syntax/parse';
import { lex } from './server/src/syntax/lexer';
import { readFileSync } from 'node:fs';
const text = readFileSync(process.argv[2], 'utf8');
for (let i = 0; i < 3; i++) {
  let t0 = performance.now();
  const l = lex(text);
  const tl = performance.now() - t0;
  t0 = performance.now();
  const r = parseRuleset(text);
  console.log('lex', tl.toFixed(0), 'tokens', l.tokens.length, 'lex+parse', (performance.now() - t0).toFixed(0), 'findings', r.findings.length, 'rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));
}
