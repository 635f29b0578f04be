// The lexer's fast path for long element lists (one token per `{…}` block, packed nodes) must give
// the same tree as the grammar: same kinds, texts and spans, element by element, also when the
// file is parsed inside a table or chain (an included file, whose offsets are shifted back).
import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../../server/src/syntax/parse';
import { parseInContext } from '../../server/src/semantics/parse-in-context';
import { PackedElement } from '../../server/src/syntax/packed-nodes';
import type * as A from '../../server/src/syntax/ast';

const VALUES = [
  '10.0.0.1', '10.0.1.0/24', '10.0.2.1-10.0.2.9', '192.168.7.0 / 25', '172.16.0.1 - 172.16.0.7',
  '2001:db8::1', '2001:db8::/32', 'fe80::1-fe80::ff', '"eth0"', 'ssh', '8080', '1000-2000', '0x10',
  'aa:bb:cc:dd:ee:ff',
];

/** A set of 70 elements, above the fast path's threshold; `plain` breaks the fast path with a comment. */
function setText(plain: boolean): string {
  const items = Array.from({ length: 70 }, (_, i) => VALUES[i % VALUES.length]);
  const body = items.map((v, i) => (plain && i === 0 ? `${v}, # first\n` : `${v},\n`)).join('\t\t\t');
  return `set s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {\n\t\t\t${body}\t\t}\n\t}\n`;
}

interface Shape {
  kind: string;
  text?: string;
  span: [number, number];
  parts?: Shape[];
}

function shape(e: A.Expr): Shape {
  const s: Shape = { kind: e.kind, span: [e.span.start, e.span.end] };
  if ('text' in e && typeof e.text === 'string') s.text = e.text;
  if (e.kind === 'Prefix') s.parts = [shape(e.base), shape(e.length)];
  if (e.kind === 'Range') s.parts = [shape(e.from), shape(e.to)];
  return s;
}

function elementsOf(items: A.TopItem[] | A.TableItem[]): A.SetElement[] {
  for (const it of items as { kind: string }[]) {
    if (it.kind === 'Table') return elementsOf((it as A.TableDecl).body ?? []);
    if (it.kind === 'Set') {
      const el = ((it as A.SetDecl).body ?? []).find((x): x is A.ElementsSpec => x.kind === 'Elements');
      if (el?.elements.kind === 'SetLiteral') return el.elements.elements;
    }
  }
  return [];
}

/** Element shapes, with offsets made relative to the first element (the comment shifts the rest). */
function shapes(elements: A.SetElement[]): Shape[] {
  const base = elements[0].span.start;
  const rel = (s: Shape): Shape => ({ ...s, span: [s.span[0] - base, s.span[1] - base], parts: s.parts?.map(rel) });
  return elements.map((e) => rel(shape(e.key)));
}

describe('element fast path', () => {
  const fast = `table ip t {\n\t${setText(false)}}\n`;
  const slow = `table ip t {\n\t${setText(true)}}\n`;

  it('takes the fast path for a long plain list, and not when a comment is inside', () => {
    expect(elementsOf(parseRuleset(fast).ast.items)[0]).toBeInstanceOf(PackedElement);
    expect(elementsOf(parseRuleset(slow).ast.items)[0]).not.toBeInstanceOf(PackedElement);
  });

  it('gives the same elements as the grammar: kinds, texts and spans', () => {
    const a = parseRuleset(fast);
    const b = parseRuleset(slow);
    expect(a.findings).toEqual([]);
    expect(b.findings).toEqual([]);
    const fa = elementsOf(a.ast.items);
    const fb = elementsOf(b.ast.items);
    expect(fa).toHaveLength(70);
    // The first element of `slow` is followed by a comment; compare the rest by relative offsets.
    expect(shapes(fa.slice(1))).toEqual(shapes(fb.slice(1)));
    for (const e of fa) expect(fast.slice(e.span.start, e.span.end)).toBe(fast.slice(e.key.span.start, e.key.span.end));
  });

  it('keeps texts and spans right in a file included inside a table', () => {
    const inner = `\t${setText(false)}`;
    const r = parseInContext(inner, 'table');
    const els = elementsOf(r.ast.items);
    expect(els[0]).toBeInstanceOf(PackedElement);
    for (const e of els) {
      const k = e.key;
      const leaves = k.kind === 'Prefix' ? [k.base, k.length] : k.kind === 'Range' ? [k.from, k.to] : [k];
      for (const l of leaves) {
        const raw = inner.slice(l.span.start, l.span.end);
        expect(l.kind === 'String' ? `"${(l as A.StringExpr).text}"` : (l as A.AddressExpr).text).toBe(raw);
      }
    }
  });
});

// The parser's own fast path (parser.ts fastElements) takes `KEY : VERDICT,` map elements
// without the grammar; the last element of a list (no comma after it) always goes through the
// grammar, so each form is written twice and the two elements are compared.
describe('map element fast path', () => {
  const KEYS = ['22', '10.0.0.1', '"x"', 'ssh'];
  const VERDICTS = ['accept', 'drop', 'continue', 'return', 'jump c1', 'goto c1'];

  /** JSON of a node with every span made relative to `base`, and undefined fields left out. */
  function relative(node: unknown, base: number): string {
    return JSON.stringify(node, (k, v) => (k === 'span' && v ? [v.start - base, v.end - base] : v));
  }

  it.each(KEYS.flatMap((k) => VERDICTS.map((v) => [k, v])))('%s : %s', (key, verdict) => {
    const text = `table ip t {\n\tchain c1 {\n\t}\n\tmap m {\n\t\ttype inet_service : verdict\n\t\telements = { ${key} : ${verdict}, ${key} : ${verdict} }\n\t}\n}\n`;
    const r = parseRuleset(text);
    expect(r.findings).toEqual([]);
    const table = r.ast.items[0] as A.TableDecl;
    const map = (table.body ?? []).find((x): x is A.SetDecl => x.kind === 'Set');
    const spec = (map?.body ?? []).find((x): x is A.ElementsSpec => x.kind === 'Elements');
    const [fast, grammar] = spec?.elements.kind === 'SetLiteral' ? spec.elements.elements : [];
    expect(fast.options).toBeUndefined(); // the fast path's element: no `options: []` from setElementBody
    expect(grammar.options).toEqual([]);
    for (const part of ['key', 'value', 'span'] as const)
      expect(relative({ [part]: fast[part] }, fast.span.start), part).toBe(relative({ [part]: grammar[part] }, grammar.span.start));
  });
});
