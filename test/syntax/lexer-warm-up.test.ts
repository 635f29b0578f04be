// parse.ts runs the scanner over WARM_UP_SAMPLE before the first parse, so that V8 has seen
// every kind of token before it optimises Scanner.next (a kind first met deep in a big file
// throws the optimised code away). The sample must therefore hold every kind the scanner makes:
// a token type added to tokens.ts without a place in the sample fails here.
import { describe, expect, it } from 'vitest';
import { lex, WARM_UP_SAMPLE } from '../../server/src/syntax/lexer';
import * as T from '../../server/src/syntax/tokens';

describe('the scanner warm-up sample', () => {
  const { tokens, comments, problems } = lex(WARM_UP_SAMPLE);
  const made = new Set(tokens.map((t) => t.tokenType.name));

  it('holds every token type the scanner makes', () => {
    const categories = new Set(T.allTokenTypes.flatMap((t) => (t.CATEGORIES ?? []).map((c) => c.name)));
    const keywords = new Set([...T.keywordTokens.values()].map((t) => t.name));
    const scanned = T.allTokenTypes.map((t) => t.name).filter((n) => !categories.has(n) && !keywords.has(n));
    expect(scanned.length).toBeGreaterThan(30);
    expect(scanned.filter((n) => !made.has(n))).toEqual([]);
  });

  it('holds keywords, a comment, and both scanner problems', () => {
    expect(tokens.some((t) => T.keywordTokens.get(t.image) === t.tokenType)).toBe(true);
    expect(comments.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message.split(' ')[0]).sort()).toEqual(['CRLF', 'unterminated']);
  });
});
