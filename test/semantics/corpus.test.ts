// No false positives: every upstream dump that the real nft 1.0.6 accepted
// (nft-check.tsv `pass`) must give no error-severity semantic finding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRulesetModel, NO_INCLUDES } from '../../server/src/semantics/index';
import { CORPUS_DIR } from '../helpers/shared';

const corpus = `${CORPUS_DIR}/`;
const rows = readFileSync(`${corpus}nft-check.tsv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const passing = rows.filter((r) => r[1] === 'pass').map((r) => r[0]);

describe('corpus dumps accepted by nft', () => {
  it('lists enough dumps to mean something', () => {
    expect(passing.length).toBeGreaterThan(300);
  });

  it.each(passing)('%s', (file) => {
    const model = buildRulesetModel({ path: file, text: readFileSync(corpus + file, 'utf8') }, NO_INCLUDES);
    const errors = model.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
    expect(errors).toEqual([]);
  });
});
