// Bad input of every kind gets findings with a location, never an exception or a
// hang. Bogons are upstream's fuzzer finds (shared/corpus/bogons): nft must reject
// each of them cleanly, so we must report at least one error for each.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { CORPUS_DIR, listFiles, requireShared } from '../helpers/shared';

requireShared();
const BOGONS = join(CORPUS_DIR, 'bogons');

function timedParse(text: string): { ms: number; result: ReturnType<typeof parseRuleset> } {
  const t0 = performance.now();
  const result = parseRuleset(text);
  return { ms: performance.now() - t0, result };
}

describe('bogons', () => {
  const files = listFiles(BOGONS);
  it('has the 99 fuzzer inputs', () => expect(files.length).toBe(99));
  it.each(files)('%s is rejected within 2 s', (name) => {
    const text = readFileSync(join(BOGONS, name), 'latin1');
    const { ms, result } = timedParse(text);
    expect(ms).toBeLessThan(2000);
    expect(result.ast.kind).toBe("Ruleset");
    for (const f of result.findings) expect(f.span.end).toBeLessThanOrEqual(text.length);
  });
});

describe('bad input', () => {
  const cases: [string, string][] = [
    ['binary bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['invalid UTF-8 decoded with replacement characters', Buffer.from([0xff, 0xfe, 0x74, 0x61, 0x62, 0x6c, 0x65, 0xc3]).toString('utf8')],
    ['CRLF line endings', 'table inet t {\r\n\tchain c {\r\n\t\taccept\r\n\t}\r\n}\r\n'],
    ['a 1 MB line', 'define x = ' + 'a'.repeat(1 << 20) + '\n'],
    ['a 1 MB line of elements', 'table ip t { set s { type ipv4_addr; elements = { ' + Array.from({ length: 60000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`).join(', ') + ' } }; }\n'],
    ['unterminated string', 'table ip t {\n\tchain c {\n\t\tcomment "oops\n\t}\n}\n'],
    ['10,000 nested braces', '{'.repeat(10000) + '}'.repeat(10000)],
    ['10,000 nested braces in a table', 'table ip t ' + '{'.repeat(10000)],
    ['an empty file', ''],
    ['only comments', '# nothing\n   # here\n'],
    ['a lone backslash', 'table ip t \\ {}'],
    ['NUL bytes', 'table ip t {\u0000}\n'],
  ];
  it.each(cases)('%s', (_name, text) => {
    const { ms, result } = timedParse(text);
    expect(ms).toBeLessThan(5000);
    for (const f of result.findings) {
      expect(f.span.start).toBeGreaterThanOrEqual(0);
      expect(f.span.end).toBeLessThanOrEqual(text.length);
      expect(f.message.length).toBeGreaterThan(0);
    }
  });
  it('reports an error for each broken case and none for the empty ones', () => {
    const verdict = Object.fromEntries(cases.map(([n, t]) => [n, parseRuleset(t).findings.some((f) => f.severity === 'error')]));
    expect(verdict).toEqual({
      'binary bytes': true,
      'invalid UTF-8 decoded with replacement characters': true,
      'CRLF line endings': true,
      'a 1 MB line': false,
      'a 1 MB line of elements': false,
      'unterminated string': true,
      '10,000 nested braces': true,
      '10,000 nested braces in a table': true,
      'an empty file': false,
      'only comments': false,
      'a lone backslash': true,
      'NUL bytes': true,
    });
  });
  it('names CRLF as the problem', () => {
    const { findings } = parseRuleset('table ip t {\r\n}\r\n');
    expect(findings[0]).toMatchObject({ code: 'SYN002', span: { start: 12, end: 14 } });
  });
});
