/**
 * How the semantic layer reaches included files without doing I/O itself: the caller
 * (LSP, CLI, tests) injects a resolver. `server/src/workspace/include-resolver.ts`
 * implements it with the file system; tests use an in-memory map.
 */
export interface IncludedFile {
  /** The file's path as the resolver names it (used as `Loc.file`). */
  path: string;
  text: string;
}

export interface IncludeResolver {
  /**
   * Resolves `include "pattern"` written in `fromFile`. A glob that matches nothing
   * gives `{ files: [] }`; a plain name that cannot be read gives `{ error }` with
   * nft's wording (`File not found: …`). Matches come in glob(3) order (sorted).
   */
  resolve(fromFile: string, pattern: string): { files: IncludedFile[] } | { error: string };
}

/** A resolver that knows no files: every plain include is "File not found". */
export const NO_INCLUDES: IncludeResolver = {
  resolve(_from, pattern) {
    return /[*?[]/.test(pattern) ? { files: [] } : { error: `File not found: ${pattern}` };
  },
};
