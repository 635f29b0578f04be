import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offloadFindings, renderFindings } from './helpers';

// Biome-style rule specs: test/offload/<CODE>-<name>/{invalid-*.nft, valid-*.nft}.
const root = __dirname;
const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && /^OFF\d{3}-/.test(d.name)).map((d) => d.name).sort();

for (const dir of dirs) {
  const code = dir.slice(0, 6);
  describe(dir, () => {
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.nft')).sort()) {
      const path = join(root, dir, file);
      const text = readFileSync(path, 'utf8');
      if (file.startsWith('invalid-')) {
        it(`${file} reports ${code}`, async () => {
          const found = offloadFindings(file, text).filter((f) => f.code === code);
          expect(found.length, `expected at least one ${code}`).toBeGreaterThan(0);
          await expect(renderFindings(found, text)).toMatchFileSnapshot(path.replace(/\.nft$/, '.findings.txt'));
        });
      } else if (file.startsWith('valid-')) {
        it(`${file} has no ${code}`, () => {
          const found = offloadFindings(file, text).filter((f) => f.code === code);
          expect(renderFindings(found, text)).toBe('\n');
        });
      }
    }
  });
}
