import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Finding } from '../core/finding';
import { NFT_RULES } from './codes';
import { mapNftErrors, parseNftErrors, type NftSourceFile } from './nft-errors';

export interface NftCheckOptions {
  /** The nft binary: a path, or a bare name looked up on PATH. Default `nft`. */
  nftPath?: string;
  /** `-I` directories, searched before the checked file's own directory (which is always added). */
  includeDirs?: string[];
  /**
   * Texts we already hold, by absolute path (the editor's unsaved buffers, the files the analysis
   * read), so positions land on the text the user sees. Other files nft names are read from disk.
   */
  knownTexts?: ReadonlyMap<string, string>;
  /** Kill nft after this long (default 60 s; nft took 3.7 s on a 3.4 MB ruleset). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface NftCheckResult {
  /** `checked`: nft ran and judged the text. `unavailable`: it could not judge it; see `note`. */
  status: 'checked' | 'unavailable';
  /** NFT001/NFT002 findings, in the files nft named (`/dev/stdin` → the checked file's path). */
  findings: Finding[];
  /** One line for the user when status is `unavailable` (code NFT003); never an exception. */
  note?: string;
  exitCode: number | null;
  stderr: string;
}

const MAX_STDERR = 4 << 20;

/**
 * Runs `nft -c -f -` on one ruleset: argument array, no shell, the text on stdin, nothing
 * committed. `-I <dir of file>` is passed (after the caller's directories) because nft reads
 * `-f -` as `/dev/stdin`, and nft 1.0.6 looks up relative `include` names only in its include
 * path (measured: `/etc` first, then each `-I` in order), never next to the including file.
 * The CLI gives the analysis the same directories, so both resolve includes alike.
 * Needs CAP_NET_ADMIN: as root, or inside a network namespace (`unshare -n` / `ip netns exec`).
 * Never rejects: a missing or refused nft gives `status: 'unavailable'` and a note.
 */
export function runNftCheck(file: NftSourceFile, opts: NftCheckOptions = {}): Promise<NftCheckResult> {
  const nft = opts.nftPath || 'nft';
  const entryPath = file.path ? resolvePath(file.path) : '';
  const args = ['-c'];
  const dirs = [...(opts.includeDirs ?? []), ...(entryPath ? [dirname(entryPath)] : [])];
  for (const d of dirs) args.push('-I', resolvePath(d));
  args.push('-f', '-');
  const cwd = entryPath ? dirname(entryPath) : undefined;

  return new Promise<NftCheckResult>((done) => {
    let stderr = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: NftCheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(r);
    };
    const unavailable = (note: string, exitCode: number | null = null, findings: Finding[] = []): NftCheckResult =>
      ({ status: 'unavailable', findings, note, exitCode, stderr });

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(nft, args, { cwd, stdio: ['pipe', 'ignore', 'pipe'], signal: opts.signal });
    } catch (e) {
      finish(unavailable(`cannot run ${nft}: ${(e as Error).message}; nft -c check skipped`));
      return;
    }
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(unavailable(`${nft} -c did not finish within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s; nft -c check skipped`));
    }, opts.timeoutMs ?? 60_000);

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') finish(unavailable(`${nft} not found; nft -c check skipped (install nftables or set the nft path)`));
      else if (e.code === 'EACCES' || e.code === 'EPERM') finish(unavailable(`${nft} is not executable (${e.code}); nft -c check skipped`));
      else if (e.name === 'AbortError') finish(unavailable('nft -c check cancelled'));
      else finish(unavailable(`cannot run ${nft}: ${e.message}; nft -c check skipped`));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    // NOTE: nft may exit before reading all of stdin (e.g. it cannot open netlink); the write
    // then fails with EPIPE. That is not an error of ours: the exit status and stderr tell.
    child.stdin!.on('error', () => {});
    child.stdin!.end(file.text);

    child.on('close', (code, signal) => {
      if (settled) return;
      if (signal) {
        const parsed = toFindings(stderr, file, entryPath, opts);
        finish(unavailable(`${nft} -c died with ${signal}; its check is incomplete`, null, parsed));
        return;
      }
      if (code === 0) {
        // Warnings still come with exit 0.
        finish({ status: 'checked', findings: toFindings(stderr, file, entryPath, opts), exitCode: 0, stderr });
        return;
      }
      if (/Operation not permitted|Permission denied/.test(stderr) && !/^.+:\d+:\d+-\d+: Error:/m.test(stderr)) {
        finish(unavailable(`${nft} -c needs CAP_NET_ADMIN (run as root or inside a network namespace: unshare -n); nft -c check skipped`, code));
        return;
      }
      const findings = toFindings(stderr, file, entryPath, opts);
      if (code === 1 && findings.length > 0) {
        finish({ status: 'checked', findings, exitCode: code, stderr });
        return;
      }
      // nft 1.0.6 aborts or segfaults on some inputs; a shell would report 134/139.
      const first = stderr.split('\n').find((l) => l.trim()) ?? '';
      finish(unavailable(`${nft} -c exited with status ${code}${first ? `: ${first.trim()}` : ''}`, code, findings));
    });
  });
}

function toFindings(stderr: string, file: NftSourceFile, entryPath: string, opts: NftCheckOptions): Finding[] {
  const entry: NftSourceFile = { path: file.path, text: file.text };
  const cwd = entryPath ? dirname(entryPath) : process.cwd();
  const cache = new Map<string, NftSourceFile | undefined>();
  return mapNftErrors(parseNftErrors(stderr), {
    code: NFT_RULES.checkError.code,
    warningCode: NFT_RULES.checkWarning.code,
    entry,
    resolve: (name) => {
      if (name === '/dev/stdin' || name === '-') return entry;
      const abs = resolvePath(cwd, name);
      if (abs === entryPath) return entry;
      if (cache.has(abs)) return cache.get(abs);
      let text = opts.knownTexts?.get(abs);
      if (text === undefined) {
        try {
          text = readFileSync(abs, 'utf8');
        } catch {
          text = undefined;
        }
      }
      const f = text === undefined ? undefined : { path: abs, text };
      cache.set(abs, f);
      return f;
    },
  });
}

/** The note as a finding, for callers that show everything as findings (the LSP's output). */
export function nftUnavailableFinding(note: string, path: string): Finding {
  return { code: NFT_RULES.checkUnavailable.code, severity: 'information', message: note, file: path, span: { start: 0, end: 0 } };
}
