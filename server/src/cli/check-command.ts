import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { analyzeFile } from '../analysis';
import type { Finding } from '../core';
import { buildJsonReport } from './render-json';
import { renderFindingsText, renderSummary, type ReportFile } from './render-text';
import { appendAll } from '../core/arrays';

export interface CheckIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Colour the human report (stdout is a TTY and NO_COLOR is not set). */
  color: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  readStdin: () => Promise<string>;
}

export const CHECK_USAGE =
  'usage: nft-offload check [--json] [--nft] [--nft-path PATH] [-I DIR]... FILE...\n' +
  '  --json           print {"files":[{"path","diagnostics":[…]}]} with 0-based LSP positions\n' +
  '  --nft            also run the real `nft -c -f -` on each FILE (needs CAP_NET_ADMIN)\n' +
  '  --nft-path PATH  nft binary for --nft (default: $NFT_OFFLOAD_NFT or `nft` on PATH)\n' +
  '  -I, --includepath DIR  directory for relative includes (like nft -I); repeatable\n' +
  '  FILE may be `-` for standard input.\n' +
  'exit status: 0 no errors, 1 errors found, 2 usage or I/O problem\n';

interface CheckArgs {
  json: boolean;
  nft: boolean;
  nftPath?: string;
  includePaths: string[];
  files: string[];
}

function parseCheckArgs(argv: string[]): CheckArgs | string {
  const a: CheckArgs = { json: false, nft: false, includePaths: [], files: [] };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : undefined);
    if (onlyFiles || x === '-' || !x.startsWith('-')) a.files.push(x);
    else if (x === '--') onlyFiles = true;
    else if (x === '--json') a.json = true;
    else if (x === '--nft') a.nft = true;
    else if (x === '--nft-path' || x.startsWith('--nft-path=')) {
      const v = x.includes('=') ? x.slice(x.indexOf('=') + 1) : value();
      if (!v) return '--nft-path needs a value';
      a.nftPath = v;
      a.nft = true;
    } else if (x === '-I' || x === '--includepath' || x.startsWith('--includepath=')) {
      const v = x.includes('=') ? x.slice(x.indexOf('=') + 1) : value();
      if (!v) return `${x} needs a directory`;
      a.includePaths.push(v);
    } else if (x.startsWith('-I') && x.length > 2) a.includePaths.push(x.slice(2));
    else return `unknown option ${x}`;
  }
  if (a.files.length === 0) return 'check needs at least one FILE';
  return a;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
};

/** `nft-offload check`: analyse FILEs, print a report, return the exit status. */
export async function runCheckCommand(argv: string[], io: CheckIo): Promise<number> {
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`nft-offload: ${args}\n${CHECK_USAGE}`);
    return 2;
  }
  let ioProblem = false;
  const report = new Map<string, ReportFile>();
  // Printed names: entries as typed, other files relative to the working directory when inside it.
  const typed = new Map<string, string>();
  const nameOf = (path: string): string => {
    const abs = resolve(io.cwd, path);
    const t = typed.get(abs);
    if (t !== undefined) return t;
    if (!isAbsolute(path)) return path;
    const rel = relative(io.cwd, abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  };
  const reportFile = (name: string, text: string): ReportFile => {
    let r = report.get(name);
    if (!r) report.set(name, (r = { name, text, findings: [] }));
    return r;
  };
  const notes = new Set<string>();

  for (const file of args.files) {
    let text: string;
    try {
      text = file === '-' ? await io.readStdin() : await readFile(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      io.stderr(`nft-offload: cannot read ${file}: ${(err.code && ERRNO_TEXT[err.code]) || err.message}\n`);
      ioProblem = true;
      continue;
    }
    const path = file === '-' ? '<stdin>' : resolve(io.cwd, file);
    typed.set(path, file === '-' ? '<stdin>' : file);
    // Same include search as --nft: the -I directories, then the file's own directory
    // (run-nft-check.ts passes it to nft too), then /etc.
    const includePaths = [...args.includePaths.map((d) => resolve(io.cwd, d)), file === '-' ? io.cwd : dirname(path)];
    const result = analyzeFile(path, text, { includePaths, keepTokens: false });
    const knownTexts = new Map<string, string>();
    for (const f of result.files.values()) {
      knownTexts.set(f.path, f.text);
      appendAll(reportFile(nameOf(f.path), f.text).findings, f.findings);
    }
    if (args.nft) {
      // Imported here: node:child_process costs about 15 ms to load, and most checks run without --nft.
      const { runNftCheck } = await import('../nft/run-nft-check');
      const r = await runNftCheck(
        { path: file === '-' ? '' : path, text },
        { nftPath: args.nftPath ?? (io.env.NFT_OFFLOAD_NFT || undefined), includeDirs: args.includePaths.map((d) => resolve(io.cwd, d)), knownTexts },
      );
      if (r.note) notes.add(r.note);
      for (const f of r.findings) {
        const owner = f.file ? nameOf(f.file) : nameOf(path);
        const abs = resolve(io.cwd, f.file || path);
        const target = report.get(owner) ?? reportFile(owner, knownTexts.get(abs) ?? readQuietly(abs));
        target.findings.push(f);
      }
    }
  }

  const files = [...report.values()];
  for (const f of files) f.findings.sort(byPosition);
  if (args.json) io.stdout(JSON.stringify(buildJsonReport(files, nameOf), null, 2) + '\n');
  else {
    io.stdout(renderFindingsText(files, { color: io.color }, nameOf));
    if (files.length > 0) io.stdout(renderSummary(files));
  }
  for (const n of notes) io.stderr(`nft-offload: note: ${n}\n`);
  if (ioProblem) return 2;
  return files.some((f) => f.findings.some((x) => x.severity === 'error')) ? 1 : 0;
}

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/** Text of a file nft named that the analysis did not read (an include it found elsewhere). */
function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
