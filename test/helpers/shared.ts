import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared folder beside the checkout (../shared), as CI lays it out. */
export const SHARED_DIR = process.env.NFT_OFFLOAD_SHARED ?? resolve(__dirname, '../../../shared');
export const CORPUS_DIR = join(SHARED_DIR, 'corpus');

export function requireShared(): void {
  if (!existsSync(CORPUS_DIR)) throw new Error(`shared corpus not found at ${CORPUS_DIR} (set NFT_OFFLOAD_SHARED)`);
}

export function listFiles(dir: string, filter: (name: string) => boolean = () => true): string[] {
  return readdirSync(dir)
    .filter(filter)
    .sort();
}

/** Reads a TSV with a header line into objects keyed by column name. */
export function readTsv(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}
