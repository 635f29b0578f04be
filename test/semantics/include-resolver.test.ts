// The file-system include resolver, on a scratch directory tree.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRulesetModel } from '../../server/src/semantics/index';
import { createFsIncludeResolver, globComponentToRegExp } from '../../server/src/workspace/include-resolver';

const root = mkdtempSync(join(tmpdir(), 'nft-inc-'));
const write = (p: string, text = '') => {
  mkdirSync(join(root, p, '..'), { recursive: true });
  writeFileSync(join(root, p), text);
};
write('main/ruleset.nft');
write('main/local.nft', 'define a = 1\n');
write('main/sub/b.nft', 'define b = 2\n');
write('main/sub/a.nft', 'define a2 = 2\n');
write('main/sub/.hidden.nft', '');
write('main/sub/c.conf', '');
mkdirSync(join(root, 'main/sub/dir.nft'), { recursive: true });
write('ipath/x.nft', 'define x = 1\n');
write('etc/y.nft', 'define y = 1\n');
write('etc/x.nft', 'define x_from_etc = 1\n');
write('deep/d.nft', 'include "./d.nft"\n');

const from = join(root, 'main/ruleset.nft');
const r = createFsIncludeResolver({ includePaths: [join(root, 'ipath')], defaultDir: join(root, 'etc') });
const names = (res: ReturnType<typeof r.resolve>) => ('files' in res ? res.files.map((f) => f.path.slice(root.length + 1)) : res.error);

describe('createFsIncludeResolver', () => {
  it('resolves ./ and ../ against the including file', () => {
    expect(names(r.resolve(from, './local.nft'))).toEqual(['main/local.nft']);
    expect(names(r.resolve(join(root, 'main/sub/b.nft'), '../local.nft'))).toEqual(['main/local.nft']);
  });
  it('searches include paths, then the default directory, for other relative names', () => {
    expect(names(r.resolve(from, 'x.nft'))).toEqual(['ipath/x.nft']);
    expect(names(r.resolve(from, 'y.nft'))).toEqual(['etc/y.nft']);
  });
  it('reports a missing plain file as nft does', () => {
    expect(names(r.resolve(from, 'nope.nft'))).toBe('File not found: nope.nft');
    expect(names(r.resolve(from, './nope.nft'))).toBe('File not found: ./nope.nft');
  });
  it('expands globs sorted, skipping dot files and directories; no match is fine', () => {
    expect(names(r.resolve(from, './sub/*.nft'))).toEqual(['main/sub/a.nft', 'main/sub/b.nft']);
    expect(names(r.resolve(from, './s?b/[ab].nft'))).toEqual(['main/sub/a.nft', 'main/sub/b.nft']);
    expect(names(r.resolve(from, './sub/[!a].nft'))).toEqual(['main/sub/b.nft']);
    expect(names(r.resolve(from, './none/*.nft'))).toEqual([]);
  });
  it('collects glob matches from every search directory', () => {
    expect(names(r.resolve(from, '*.nft'))).toEqual(['ipath/x.nft', 'etc/x.nft', 'etc/y.nft']);
  });
  it('refuses a directory named as a plain file', () => {
    expect(names(r.resolve(from, './sub/dir.nft'))).toMatch(/^File not found: .*not a regular file/);
  });
  it('compiles glob components', () => {
    expect(globComponentToRegExp('a*.n?t').test('abc.nft')).toBe(true);
    expect(globComponentToRegExp('[0-9]x').test('5x')).toBe(true);
    expect(globComponentToRegExp('a.b').test('axb')).toBe(false);
  });
  it('stops a self-include with a cycle finding instead of hanging', () => {
    const path = join(root, 'deep/d.nft');
    const m = buildRulesetModel({ path, text: 'include "./d.nft"\n' }, r);
    expect(m.findings.map((f) => f.code)).toEqual(['SEM026']);
  });
  it('stops at 16 levels of includes', () => {
    for (let i = 0; i < 20; i++) write(`chain/f${i}.nft`, `include "./f${i + 1}.nft"\n`);
    write('chain/f20.nft', '');
    const path = join(root, 'chain/f0.nft');
    const m = buildRulesetModel({ path, text: 'include "./f1.nft"\n' }, r);
    expect(m.findings.map((f) => f.code)).toEqual(['SEM027']);
  });
});
