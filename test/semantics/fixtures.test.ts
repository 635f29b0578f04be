// Fixture-driven: each fixtures/*.nft gives *.findings.txt and *.symbols.txt.
// Files in fixtures/inc/ are only reached through `include`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixture, renderFindings, renderSymbols } from './check';

const dir = join(__dirname, 'fixtures');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.nft')).sort();

describe('semantic fixtures', () => {
  it.each(fixtures)('%s', async (name) => {
    const model = buildFixture(join(dir, name));
    const stem = join(dir, name.replace(/\.nft$/, ''));
    await expect(renderFindings(model, dir)).toMatchFileSnapshot(`${stem}.findings.txt`);
    await expect(renderSymbols(model, dir)).toMatchFileSnapshot(`${stem}.symbols.txt`);
  });

  it('valid-router.nft has no findings at all', () => {
    expect(buildFixture(join(dir, 'valid-router.nft')).findings).toEqual([]);
  });
});
