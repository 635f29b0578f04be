// nft's stderr as captured from nft 1.0.6 (Debian 12) into test/nft/fixtures/*.stderr.txt, fed to
// the pure parser; runNftCheck then runs the real nft (in a network namespace via
// fixtures/nft-in-netns.sh). Only the `Warning:` and "source line looks like a header" inputs are
// synthetic: nft 1.0.6 printed no warning for any input tried.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteColumnToChar, mapNftErrors, parseNftErrors, runNftCheck, type NftSourceFile } from '../../server/src/nft';

const FIX = join(__dirname, 'fixtures');
const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');
const file = (path: string, name = path): NftSourceFile => ({ path, text: fx(name) });
const spanText = (f: NftSourceFile, s: { start: number; end: number }) => f.text.slice(s.start, s.end);

const canUnshare = (() => {
  try {
    execFileSync('unshare', ['-n', 'nft', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('parseNftErrors on captured nft output', () => {
  it('nested includes: `In file included from` / `from` chain, innermost first', () => {
    expect(parseNftErrors(fx('nested-include-utf8.stderr.txt'))).toEqual([
      {
        file: '/tmp/nftx/deep/b.nft', line: 3, colStart: 26, colEnd: 29, severity: 'error',
        message: 'Could not process rule: No such file or directory',
        includedFrom: [
          { file: '/tmp/nftx/a.nft', line: 1, colStart: 1, colEnd: 21 },
          { file: '/dev/stdin', line: 2, colStart: 1, colEnd: 16 },
        ],
      },
      { file: '/dev/stdin', line: 3, colStart: 68, colEnd: 72, severity: 'error', message: 'Could not process rule: No such file or directory' },
    ]);
  });

  it('records without a place: netlink (EPERM), internal (cannot open), command line', () => {
    expect(parseNftErrors(fx('eperm.stderr.txt'))).toEqual([
      { file: '', line: 0, colStart: 0, colEnd: 0, severity: 'error', message: 'netlink: cache initialization failed: Operation not permitted' },
    ]);
    expect(parseNftErrors(fx('internal.stderr.txt'))).toEqual([
      { file: 'internal', line: 0, colStart: 0, colEnd: 0, severity: 'error', message: 'Could not open file "/nonexist.nft": No such file or directory' },
    ]);
    // The echoed command and its marker line are not records.
    expect(parseNftErrors(fx('cmdline.stderr.txt'))).toEqual([
      { file: '', line: 0, colStart: 0, colEnd: 0, severity: 'error', message: 'syntax error, unexpected newline' },
    ]);
  });

  it('an echoed source line that looks like a record is skipped (synthetic)', () => {
    const stderr = '/dev/stdin:1:1-3: Warning: odd\nx:1:2-3: Error: not a record\n^^^\n';
    expect(parseNftErrors(stderr)).toEqual([{ file: '/dev/stdin', line: 1, colStart: 1, colEnd: 3, severity: 'warning', message: 'odd' }]);
  });
});

describe('mapNftErrors', () => {
  const top = file('/work/top.nft', 'nested-include-utf8.nft');
  const a = file('/etc/a.nft', 'tmp-tree/a.nft');
  const b = file('/etc/deep/b.nft', 'tmp-tree/deep/b.nft');
  const names: Record<string, NftSourceFile> = { '/dev/stdin': top, '/tmp/nftx/a.nft': a, '/tmp/nftx/deep/b.nft': b };

  it('places records in the file nft named, byte columns → characters, include chain → related', () => {
    const fs = mapNftErrors(parseNftErrors(fx('nested-include-utf8.stderr.txt')), {
      code: 'NFT001', warningCode: 'NFT002', entry: top, resolve: (n) => names[n],
    });
    expect(fs.map((f) => [f.file, f.code, f.severity, f.file === top.path ? spanText(top, f.span) : spanText(b, f.span)])).toEqual([
      ['/etc/deep/b.nft', 'NFT001', 'error', 'nope'],
      // `café €` before it on the same line: 3 more bytes than characters.
      ['/work/top.nft', 'NFT001', 'error', 'nope2'],
    ]);
    expect(fs[0].related?.map((r) => [r.location.file, r.message])).toEqual([
      ['/etc/a.nft', 'included from here'],
      ['/work/top.nft', 'included from here'],
    ]);
    expect(spanText(top, fs[0].related![1].location.span)).toBe('include "a.nft"');
  });

  it('clamps nft\'s one-past-the-end line, and unplaceable records go to the entry start', () => {
    const eof = file('/work/eof.nft', 'utf8-eof.nft');
    const fs = mapNftErrors(parseNftErrors(fx('utf8-eof.stderr.txt')), { code: 'NFT001', entry: eof, resolve: (n) => (n === '/dev/stdin' ? eof : undefined) });
    expect(fs.map((f) => f.span)).toEqual([
      { start: eof.text.lastIndexOf('}'), end: eof.text.lastIndexOf('}') + 1 },
      { start: eof.text.length, end: eof.text.length },
    ]);
    const lost = mapNftErrors(parseNftErrors(fx('nested-include-utf8.stderr.txt')), { code: 'NFT101', entry: eof, resolve: () => undefined });
    expect(lost[0]).toMatchObject({ file: '/work/eof.nft', span: { start: 0, end: 0 }, message: '/tmp/nftx/deep/b.nft:3:26: Could not process rule: No such file or directory' });
  });

  it('byteColumnToChar counts UTF-8 bytes, UTF-16 units out', () => {
    expect(byteColumnToChar('aé€😀b', 0)).toBe(0);
    expect(byteColumnToChar('aé€😀b', 3)).toBe(2);
    expect(byteColumnToChar('aé€😀b', 10)).toBe(5);
    expect(byteColumnToChar('ab', 5)).toBe(5);
  });
});

describe('runNftCheck', () => {
  it('nft absent: a note, no findings, no throw', async () => {
    const r = await runNftCheck({ path: join(FIX, 'utf8-eof.nft'), text: 'table ip t {\n}\n' }, { nftPath: '/nonexistent/nft' });
    expect(r).toMatchObject({ status: 'unavailable', findings: [], note: '/nonexistent/nft not found; nft -c check skipped (install nftables or set the nft path)' });
  });

  it.runIf(canUnshare)('real nft: the buffer goes on stdin, relative includes resolve next to the file (-I)', async () => {
    const path = join(FIX, 'tree', 'main.nft');
    // The on-disk main.nft is not read: the text below is what is checked (an unsaved buffer).
    const text = 'include "rules.nft"\ntable ip u {\n\tchain c {\n\t\tjump nochain\n\t}\n}\n';
    const r = await runNftCheck({ path, text }, { nftPath: join(FIX, 'nft-in-netns.sh') });
    expect(r.status).toBe('checked');
    expect(r.exitCode).toBe(1);
    const rules = join(FIX, 'tree', 'rules.nft');
    expect(r.findings.map((f) => [f.file, f.code, (f.file === path ? text : readFileSync(rules, 'utf8')).slice(f.span.start, f.span.end)])).toEqual([
      [rules, 'NFT001', 'elsewhere'],
      [path, 'NFT001', 'nochain'],
    ]);
  });

  it.runIf(canUnshare)('real nft: an accepted ruleset gives no findings', async () => {
    const r = await runNftCheck({ path: '', text: 'table ip t {\n\tchain c {\n\t\taccept\n\t}\n}\n' }, { nftPath: join(FIX, 'nft-in-netns.sh') });
    expect(r).toMatchObject({ status: 'checked', findings: [], exitCode: 0 });
  });
});
