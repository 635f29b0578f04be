// Every semantic code has a docs page, and each page's Invalid example gives that code
// while its Valid example does not (Biome's rule-docs check).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRulesetModel, NO_INCLUDES, SEMANTIC_RULES } from '../../server/src/semantics/index';

const docs = join(__dirname, '../../docs/findings');
const rules = Object.values(SEMANTIC_RULES);

function example(md: string, heading: string): string | undefined {
  const m = md.match(new RegExp(`### ${heading}\\n\\n\`\`\`nft\\n([\\s\\S]*?)\\n\`\`\``));
  return m?.[1];
}

describe('semantic findings docs', () => {
  it('codes and names are unique', () => {
    expect(new Set(rules.map((r) => r.code)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
  });

  it.each(rules)('$code has a page', (r) => {
    const page = join(docs, `${r.code}.md`);
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8').startsWith(`# ${r.code} ${r.name}\n`)).toBe(true);
  });

  // Include examples need files; SEM000 has none.
  const checkable = rules.filter((r) => !['SEM000', 'SEM025', 'SEM026', 'SEM027'].includes(r.code));
  it.each(checkable)('$code examples', (r) => {
    const md = readFileSync(join(docs, `${r.code}.md`), 'utf8');
    const codes = (text: string) => buildRulesetModel({ path: 'x.nft', text: text + '\n' }, NO_INCLUDES).findings.map((f) => f.code);
    expect(codes(example(md, 'Invalid')!)).toContain(r.code);
    expect(codes(example(md, 'Valid')!)).not.toContain(r.code);
  });
});
