// Real-world rulesets that nft 1.0.6 rejected with a syntax error (realworld/index.tsv):
// our first error must sit on the line and column nft named.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { LineIndex } from '../../server/src/core/line-index';
import { CORPUS_DIR, readTsv, requireShared } from '../helpers/shared';

requireShared();
const DIR = join(CORPUS_DIR, 'realworld');

/** Files nft 1.0.6 refuses for syntax that current nft accepts. */
const NEWER_SYNTAX = new Map([['067-kiqkuk-miru-nftables_conf.nft', '`destroy table` is nft 1.0.7+ syntax']]);

const rows = readTsv(join(DIR, 'index.tsv')).filter((r) => /syntax error|unexpected junk/.test(r.nft_stripped));

describe('real-world syntax errors are reported where nft reports them', () => {
  it('has the syntax-error files of index.tsv', () => expect(rows.length).toBeGreaterThanOrEqual(13));
  it.each(rows.map((r) => [r.file, r.nft_stripped]))('%s', (file, verdict) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const first = parseRuleset(text).findings.find((f) => f.severity === 'error');
    if (NEWER_SYNTAX.has(file)) {
      expect(first).toBeUndefined();
      return;
    }
    const [, line, col] = /(\d+):(\d+)-/.exec(verdict)!;
    const p = new LineIndex(text).positionAt(first!.span.start);
    expect(`${p.line + 1}:${p.character + 1}`).toBe(`${line}:${col}`);
  });
});
