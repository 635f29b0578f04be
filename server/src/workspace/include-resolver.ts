import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncludeResolver, IncludedFile } from '../semantics/index';

/**
 * `include "…"` resolution on the local file system, following nft's rules
 * (nft `src/scanner.l` `include_file`, `include_glob`, `search_in_include_path`):
 * - an absolute path is used as is;
 * - a path starting with `./` or `../` is taken relative to the including file's
 *   directory (NOTE: nft itself uses its working directory; an editor has none that
 *   means anything, and the including file's directory is what users expect);
 * - any other relative path is searched in the include paths (`-I`), then in the
 *   default directory (`/etc`, nft's sysconfdir). Version note: nft ≤ 1.0.x searches
 *   the default directory FIRST and the `-I` directories after it (measured with nft
 *   1.0.6 on Debian 12: a file in /etc shadows the same name under `-I`); nft 1.1.0
 *   moved the default directory to the end (shared/reference/nft-grammar.md). We
 *   follow current nft, so on a 1.0.x host a same-named file in /etc would win there;
 * - glob characters (`*`, `?`, `[…]`) may appear in any path component; matches are
 *   sorted (glob(3) order), dot files are not matched by a wildcard, and a glob
 *   matching nothing is not an error;
 * - only regular files are read (nft ≥ 1.0.9 refuses directories and devices).
 * Paths in the result are absolute, so they identify a file across includes.
 */
export interface FsIncludeResolverOptions {
  /** Directories searched for relative names, like `nft -I`. */
  includePaths?: readonly string[];
  /** Searched after `includePaths`; nft's default is its sysconfdir, `/etc`. */
  defaultDir?: string;
  /** Read a file; injectable for tests. Defaults to `fs.readFileSync(p, 'utf8')`. */
  readFile?: (p: string) => string;
}

const GLOB_CHARS = /[*?[]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Compiles one path component of a glob (`*`, `?`, `[abc]`, `[!a-z]`, `\x`) to a RegExp. */
export function globComponentToRegExp(component: string): RegExp {
  let re = '^';
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < component.length) re += escapeRe(component[++i]);
    else if (c === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = component.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(re + '$');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** All paths matching an absolute glob pattern, sorted; wildcard components skip dot entries. */
export function expandGlob(absPattern: string): string[] {
  const root = path.parse(absPattern).root;
  const parts = absPattern.slice(root.length).split(/[/\\]+/).filter(Boolean);
  let current = [root];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next: string[] = [];
    if (!hasGlob(part)) {
      for (const dir of current) {
        const p = path.join(dir, part);
        if (exists(p)) next.push(p);
      }
    } else {
      const re = globComponentToRegExp(part);
      for (const dir of current) {
        let entries: string[];
        try {
          entries = fs.readdirSync(dir);
        } catch {
          continue;
        }
        for (const e of entries.sort()) {
          if (e.startsWith('.') && !part.startsWith('.')) continue;
          if (re.test(e)) next.push(path.join(dir, e));
        }
      }
    }
    current = next;
    if (!current.length) break;
  }
  return current;
}

export function createFsIncludeResolver(options: FsIncludeResolverOptions = {}): IncludeResolver {
  const includePaths = options.includePaths ?? [];
  const defaultDir = options.defaultDir ?? '/etc';
  const readFile = options.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8'));

  const read = (paths: string[]): { files: IncludedFile[] } | { error: string } => {
    const files: IncludedFile[] = [];
    for (const p of paths) {
      if (!isRegularFile(p)) continue;
      try {
        files.push({ path: p, text: readFile(p) });
      } catch (e) {
        return { error: `Could not read ${p}: ${(e as Error).message}` };
      }
    }
    return { files };
  };

  return {
    resolve(fromFile, pattern) {
      const glob = hasGlob(pattern);
      let candidates: string[];
      if (path.isAbsolute(pattern)) candidates = [pattern];
      else if (pattern.startsWith('./') || pattern.startsWith('../')) candidates = [path.resolve(path.dirname(fromFile), pattern)];
      else candidates = [...includePaths, defaultDir].map((d) => path.resolve(d, pattern));

      if (glob) {
        // nft keeps searching every include directory for a glob (scanner.l: "else 1
        // (no wildcards) or 2 (wildcards): keep searching"), so matches add up.
        return read(candidates.flatMap((c) => expandGlob(c)));
      }
      for (const c of candidates) {
        if (!exists(c)) continue;
        if (!isRegularFile(c)) return { error: `File not found: ${pattern} (${c} is not a regular file)` };
        return read([c]);
      }
      return { error: `File not found: ${pattern}` };
    },
  };
}
