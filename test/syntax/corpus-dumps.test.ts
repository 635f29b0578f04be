// Every dump in the upstream conformance corpus is `nft list ruleset` output of
// nft 1.1.6+, so every one must parse with no syntax finding (SOURCE.md).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { CORPUS_DIR, listFiles, requireShared } from '../helpers/shared';
import { renderFindings } from '../helpers/render-findings';

requireShared();
const DUMPS = join(CORPUS_DIR, 'dumps');
const files = listFiles(DUMPS, (f) => f.endsWith('.nft'));

describe('conformance dumps parse', () => {
  it('finds all 368 dumps', () => {
    expect(files.length).toBe(368);
  });
  it.each(files)('%s', (name) => {
    const text = readFileSync(join(DUMPS, name), 'utf8');
    const { findings, ast } = parseRuleset(text);
    expect(renderFindings(text, findings)).toBe('');
    expect(ast.items.length).toBeGreaterThan(0);
  });
});
