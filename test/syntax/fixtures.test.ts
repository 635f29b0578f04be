// Fixture-driven: each test/syntax/fixtures/*.nft gives its syntax findings
// (`*.findings.txt`) and an outline of its tree (`*.ast.txt`).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleset } from '../../server/src/syntax/parse';
import { LineIndex } from '../../server/src/core/line-index';
import { renderFindings } from '../helpers/render-findings';

const DIR = join(__dirname, 'fixtures');
const files = readdirSync(DIR).filter((f) => f.endsWith('.nft')).sort();

/** An indented outline of the tree: node kinds, names and line:col ranges. */
function renderTree(text: string, node: unknown, li: LineIndex, depth = 0, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) renderTree(text, n, li, depth, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const o = node as Record<string, unknown>;
  if (typeof o.kind === 'string' && o.span) {
    const s = o.span as { start: number; end: number };
    const a = li.positionAt(s.start);
    const b = li.positionAt(s.end);
    const label = ['text', 'verdict', 'keyword', 'op', 'objectType']
      .map((k) => (typeof o[k] === 'string' ? ` ${k}=${JSON.stringify(o[k])}` : ''))
      .join('');
    const path = Array.isArray(o.path) ? ` path=${(o.path as string[]).join(' ')}` : '';
    out.push(`${'  '.repeat(depth)}${o.kind}${label}${path} ${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1}`);
    depth++;
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'span' || k === 'pathStarts' || k === 'comments') continue;
    if (v && typeof v === 'object') renderTree(text, v, li, depth, out);
  }
  return out;
}

describe('syntax fixtures', () => {
  it.each(files)('%s', async (name) => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const { ast, findings } = parseRuleset(text);
    await expect(renderFindings(text, findings)).toMatchFileSnapshot(join(DIR, name.replace(/\.nft$/, '.findings.txt')));
    await expect(renderTree(text, ast.items, new LineIndex(text)).join('\n') + '\n').toMatchFileSnapshot(
      join(DIR, name.replace(/\.nft$/, '.ast.txt')),
    );
  });
});
