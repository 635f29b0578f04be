import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRange, formatText } from '../../server/src/ide/format';
import { CORPUS_DIR } from '../helpers/shared';

const FIXTURES = join(__dirname, 'fixtures/format');
const CORPUS = join(CORPUS_DIR, 'dumps');

describe('formatter fixtures (input .nft → .formatted.nft)', () => {
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.nft') && !f.endsWith('.formatted.nft'))) {
    it(f, () => {
      const input = readFileSync(join(FIXTURES, f), 'utf8');
      const expectedPath = join(FIXTURES, f.replace(/\.nft$/, '.formatted.nft'));
      const out = formatText(input);
      if (!existsSync(expectedPath)) {
        // A missing expectation is written (review it before committing); CI must have it.
        if (process.env.CI) throw new Error(`missing ${expectedPath}`);
        writeFileSync(expectedPath, out);
      }
      expect(out).toBe(readFileSync(expectedPath, 'utf8'));
      expect(formatText(out)).toBe(out);
    });
  }
});

describe('range formatting', () => {
  it('formats only the lines in the range, with the indentation of the whole file', () => {
    const text = 'table ip t {\nchain a {\naccept\n}\nchain b {\ndrop\n}\n}\n';
    const start = text.indexOf('drop');
    const edits = formatRange(text, { start, end: start + 4 });
    expect(edits).toHaveLength(1);
    const e = edits[0];
    const result = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    expect(result).toBe('table ip t {\nchain a {\naccept\n}\nchain b {\n\t\tdrop\n}\n}\n');
  });
});

describe('corpus dumps (canonical nft output) format to themselves', () => {
  it('measures', { timeout: 120_000 }, () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.nft'));
    const changed: string[] = [];
    let notIdempotent = 0;
    for (const f of files) {
      const t = readFileSync(join(CORPUS, f), 'utf8');
      const o = formatText(t);
      if (o !== t) changed.push(f);
      if (formatText(o) !== o) notIdempotent++;
    }
    console.log(`formatter: ${files.length - changed.length}/${files.length} corpus dumps unchanged`);
    expect(notIdempotent).toBe(0);
    expect(changed).toEqual([]);
  });
  it('real-world files: idempotent and content-preserving', { timeout: 120_000 }, () => {
    const dir = join(CORPUS_DIR, 'realworld');
    for (const f of readdirSync(dir)) {
      const t = readFileSync(join(dir, f), 'utf8');
      const o = formatText(t);
      expect(formatText(o), f).toBe(o);
      expect(o.replace(/[\s;\\]/g, ''), f).toBe(t.replace(/[\s;\\]/g, ''));
    }
  });
});
