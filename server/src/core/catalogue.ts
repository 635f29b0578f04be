import type { Severity } from './finding';

/**
 * One entry of the findings catalogue. Each layer owns the entries for the codes it
 * emits (syntax/codes.ts, semantics/codes.ts, offload/codes.ts, nft/codes.ts); the
 * CLI and the LSP merge them. Invariant: a code, once published, never changes meaning.
 */
export interface RuleInfo {
  /** Stable code, e.g. `SYN001`. The letters name the layer. */
  code: string;
  /** Kebab-case name, e.g. `unexpected-token`. */
  name: string;
  severity: Severity;
  /** One line; feeds the catalogue table in the README. */
  summary: string;
}

export const DOCS_BASE_URL = 'https://github.com/nftables-offload/nftables-offload/blob/main/docs/findings/';

export function docsUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}
