import type { RuleInfo } from '../core/catalogue';

/**
 * Findings the language server adds about its own limits (not about the ruleset).
 * Information, never errors: the ruleset may be fine, the editor just does not check it all.
 */
export const LSP_RULES = {
  notAnalysed: {
    code: 'LSP001', name: 'not-analysed', severity: 'information',
    summary: 'The file is too large or looks binary, so the editor does not analyse it; `nft-offload check` still does.',
  },
  tooManyFindings: {
    code: 'LSP002', name: 'too-many-findings', severity: 'information',
    summary: 'The file has more findings than the editor shows; `nft-offload check` lists them all.',
  },
} as const satisfies Record<string, RuleInfo>;
