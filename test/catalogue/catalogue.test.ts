// The findings catalogue: every code is unique, kebab-named, and documented in
// docs/findings/CODE.md; docs/findings/README.md is the index users browse.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../server/src/analysis/catalogue';
import type { RuleInfo } from '../../server/src/core/catalogue';
import { LSP_RULES } from '../../server/src/lsp/codes';

const DOCS = join(__dirname, '../../docs/findings');
// The editor's own notes (LSP0xx) come from lsp/, which the analysis layer cannot import.
const rules = [...allRules(), ...(Object.values(LSP_RULES) as RuleInfo[])];

describe('findings catalogue', () => {
  it('has unique codes and kebab-case names', () => {
    const codes = rules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of rules) {
      expect(r.code).toMatch(/^(SYN|SEM|OFF|NFT|INT|LSP)\d{3}$/);
      expect(r.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
  it.each(rules.map((r) => [r.code, r.name]))('%s has a page titled with its name', (code, name) => {
    const page = join(DOCS, `${code}.md`);
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8').split('\n')[0]).toBe(`# ${code} ${name}`);
  });
  it('indexes every code in docs/findings/README.md', async () => {
    const rows = rules.map((r) => `| [${r.code}](${r.code}.md) | \`${r.name}\` | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
    const text = [
      '# Findings catalogue',
      '',
      'Every finding has a stable code. The letters name the layer: SYN syntax, SEM semantics, OFF offload analysis, NFT messages of the real `nft`, INT our own failures, LSP notes of the editor. Severities can be changed per code with the `nftablesOffload.severityOverrides` setting.',
      '',
      '| code | name | default severity | what it means |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
    await expect(text).toMatchFileSnapshot(join(DOCS, 'README.md'));
  });
});
