// A headless check parses while it scans and drops each token once the parser has passed it
// (syntax/token-window.ts); the editor keeps every token. Both ways must read the same text the
// same way: the same tree and the same findings, on every file of the corpus, the bogons and
// the real-world rulesets. The kept tokens must be exactly the scanner's.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { lex } from '../../server/src/syntax/lexer';
import { packedAsPlain } from '../helpers/tree-shape';
import { CORPUS_DIR, listFiles, requireShared } from '../helpers/shared';

requireShared();

const inputs: [string, string][] = [
  ...listFiles(join(CORPUS_DIR, 'dumps')).map((f): [string, string] => [`dumps/${f}`, readFileSync(join(CORPUS_DIR, 'dumps', f), 'utf8')]),
  ...listFiles(join(CORPUS_DIR, 'bogons')).map((f): [string, string] => [`bogons/${f}`, readFileSync(join(CORPUS_DIR, 'bogons', f), 'latin1')]),
  ...listFiles(join(CORPUS_DIR, 'realworld'), (f) => f.endsWith('.nft')).map((f): [string, string] => [`realworld/${f}`, readFileSync(join(CORPUS_DIR, 'realworld', f), 'utf8')]),
  // Far more tokens than the window holds, with errors deep inside blocks that span the whole file.
  ['long table with errors', 'table ip t {\n' + Array.from({ length: 3000 }, (_, i) => `\tchain c${i} {\n\t\tip saddr 10.0.0.${i % 250} counter ${i % 97 === 0 ? 'bogus {' : ''}accept\n\t}\n`).join('') + '}\n'],
  ['junk and a stray brace', 'table ip t {\n\tchain c {\n\t\taccept \u0001\n\t}\n}\n}\n€\n'],
  ['nesting limit', 'table ip t ' + '{'.repeat(300) + '\n# after the cut\n"unterminated\n'],
];

/** JSON of a tree, packed nodes as what they stand for. */
function shape(value: unknown): string {
  return JSON.stringify(value, packedAsPlain);
}

describe('dropping tokens while parsing reads the text as keeping them does', () => {
  it('has the corpus', () => expect(inputs.length).toBeGreaterThan(450));
  it.each(inputs)('%s', (_name, text) => {
    const kept = parseRuleset(text);
    const dropped = parseRuleset(text, { keepTokens: false });
    expect(dropped.tokens).toEqual([]);
    // The window must hold every token the parser reaches back to: reaching past it is an internal error.
    expect(kept.findings.filter((f) => f.message.includes('internal parser error'))).toEqual([]);
    expect(dropped.findings).toEqual(kept.findings);
    expect(dropped.comments).toEqual(kept.comments);
    expect(shape(dropped.ast)).toBe(shape(kept.ast));
    const scanned = lex(text).tokens;
    expect(kept.tokens.length).toBe(scanned.length);
    expect(kept.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}`)).toEqual(scanned.map((t) => `${t.tokenType.name}@${t.startOffset}`));
  });
});
