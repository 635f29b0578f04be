// walkNodes visits the commonest kinds through a table of the fields that can hold nodes
// (semantics/ast-walk.ts CHILD_KEYS). On every tree of the corpus it must visit exactly what a
// walk over every field visits, in the same order.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { walkNodes } from '../../server/src/semantics/ast-walk';
import { PackedElement, PackedNode, PackedPrefix, PackedRange } from '../../server/src/syntax/packed-nodes';
import { CORPUS_DIR, listFiles, requireShared } from '../helpers/shared';
import { readPyTest, rulesetFor } from '../helpers/py-tests';

requireShared();

/** The walk over every field, as walkNodes did before the table. */
function walkEveryField(node: unknown, visit: (n: { kind: string }) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walkEveryField(x, visit);
    return;
  }
  if (node instanceof PackedElement) return walkEveryField(node.key, visit);
  if (node instanceof PackedNode) {
    visit(node as unknown as { kind: string });
    if (node instanceof PackedPrefix) [node.base, node.length].forEach(visit);
    if (node instanceof PackedRange) [node.from, node.to].forEach(visit);
    return;
  }
  const obj = node as Record<string, unknown>;
  if (typeof obj.kind === 'string') visit(obj as { kind: string });
  for (const key in obj) {
    if (key === 'span' || key === 'pathStarts' || key === 'keySpan') continue;
    const v = obj[key];
    if (v !== null && typeof v === 'object') walkEveryField(v, visit);
  }
}

/** What a walk visits, as kind@start:end, packed leaves included. */
function visits(walk: (node: unknown, visit: (n: { kind: string }) => void) => void, tree: unknown): string[] {
  const out: string[] = [];
  walk(tree, (n) => {
    const span = (n as { span?: { start: number; end: number } }).span;
    out.push(`${n.kind}@${span?.start}:${span?.end}`);
  });
  return out;
}

describe('walkNodes visits what a walk over every field visits', () => {
  const texts: [string, string][] = [
    ...listFiles(join(CORPUS_DIR, 'dumps')).map((f): [string, string] => [`dumps/${f}`, readFileSync(join(CORPUS_DIR, 'dumps', f), 'utf8')]),
    ...listFiles(join(CORPUS_DIR, 'realworld'), (f) => f.endsWith('.nft')).map((f): [string, string] => [`realworld/${f}`, readFileSync(join(CORPUS_DIR, 'realworld', f), 'utf8')]),
  ];
  const PY = join(CORPUS_DIR, 'py');
  for (const f of listFiles(PY, (x) => x.endsWith('.t')))
    texts.push([`py/${f}`, readPyTest(join(PY, f)).flatMap((line) => line.contexts.map((ctx) => rulesetFor(line, ctx).text)).join('\n')]);

  it('has the corpus', () => expect(texts.length).toBeGreaterThan(400));
  it.each(texts)('%s', (_name, text) => {
    const tree = parseRuleset(text).ast;
    const expected = visits(walkEveryField, tree);
    expect(expected.length).toBeGreaterThan(0);
    expect(visits(walkNodes, tree)).toEqual(expected);
  });
});
