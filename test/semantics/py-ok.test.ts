// No false positives on valid rules: every `;ok` rule line of upstream's tests/py files,
// added to the first chain of each of its contexts (as nft-test.py does), gives no
// error-severity semantic finding. Syntax findings are the parser's business
// (test/syntax/corpus-py.test.ts) and are ignored here; so are unknown sets and objects
// (SEM006, SEM008): the harness declares them from `!set` / `%obj` lines, which
// rulesetFor does not emit.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRulesetModel, NO_INCLUDES } from '../../server/src/semantics/index';
import { readPyTest, rulesetFor } from '../helpers/py-tests';
import { CORPUS_DIR, listFiles, requireShared } from '../helpers/shared';

requireShared();
const dir = join(CORPUS_DIR, 'py');
const files = listFiles(dir, (n) => n.endsWith('.t'));

describe('tests/py ;ok lines give no semantic error', () => {
  it.each(files)('%s', (file) => {
    const bad: string[] = [];
    for (const line of readPyTest(join(dir, file))) {
      if (line.expected !== 'ok') continue;
      for (const ctx of line.contexts) {
        const { text } = rulesetFor(line, ctx);
        const model = buildRulesetModel({ path: 'py.nft', text }, NO_INCLUDES);
        for (const f of model.findings) {
          if (f.severity === 'error' && f.code !== 'SEM006' && f.code !== 'SEM008') bad.push(`${line.line} [${ctx.family}] ${line.rule} → ${f.code} ${f.message}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
