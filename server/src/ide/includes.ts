import * as posix from 'node:path/posix';
import type { Span } from '../core/span';
import type * as A from '../syntax/ast';

/**
 * `include "…"` resolution, as nft does it: an absolute path as is; `./` and `../`
 * relative to the including file; any other relative path in each include directory
 * (`-I`, then the default `/etc`). Glob characters expand (a glob matching nothing is
 * fine). Pure: file system access goes through `IncludeFs`.
 */
export interface IncludeFs {
  isFile(path: string): boolean;
  /** Entries of a directory (names only); [] when it is not one. */
  list(dir: string): string[];
}

export interface IncludeLink {
  /** The quoted path in the source. */
  span: Span;
  pattern: string;
  /** Resolved files, sorted; empty when nothing matched. */
  targets: string[];
}

export const DEFAULT_INCLUDE_DIR = '/etc';

const GLOB = /[*?[]/;

function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** Expands a path that may hold glob characters in any component. */
export function expandGlob(path: string, fs: IncludeFs): string[] {
  if (!GLOB.test(path)) return fs.isFile(path) ? [path] : [];
  const parts = path.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (part === '') continue;
    const next: string[] = [];
    for (const b of bases) {
      if (!GLOB.test(part)) next.push(posix.join(b, part));
      else {
        const re = globToRegExp(part);
        for (const name of fs.list(b)) if (!name.startsWith('.') && re.test(name)) next.push(posix.join(b, name));
      }
    }
    bases = next;
  }
  return bases.filter((p) => fs.isFile(p)).sort();
}

export function resolveInclude(pattern: string, fromFile: string, includePaths: readonly string[], fs: IncludeFs): string[] {
  if (pattern.startsWith('/')) return expandGlob(pattern, fs);
  const dir = posix.dirname(fromFile);
  if (pattern.startsWith('./') || pattern.startsWith('../')) return expandGlob(posix.join(dir, pattern), fs);
  for (const base of [...includePaths, DEFAULT_INCLUDE_DIR]) {
    const abs = posix.isAbsolute(base) ? base : posix.join(dir, base);
    const hits = expandGlob(posix.join(abs, pattern), fs);
    if (hits.length) return hits;
  }
  // nft also accepts a path relative to the current directory; the including file's directory is the closest stand-in.
  return expandGlob(posix.join(dir, pattern), fs);
}

/** Every include statement of a file (at any depth) with its resolved targets. */
export function includeLinks(ast: A.Ruleset, fromFile: string, includePaths: readonly string[], fs: IncludeFs): IncludeLink[] {
  const out: IncludeLink[] = [];
  const visit = (items: readonly unknown[] | undefined) => {
    for (const it of items ?? []) {
      const n = it as { kind?: string; body?: unknown[]; path?: A.StringExpr };
      if (!n || typeof n !== 'object') continue;
      if (n.kind === 'Include' && n.path) {
        out.push({ span: n.path.span, pattern: n.path.text, targets: resolveInclude(n.path.text, fromFile, includePaths, fs) });
      } else if (Array.isArray(n.body)) visit(n.body);
    }
  };
  visit(ast.items);
  return out;
}
