import type { RuleInfo } from '../core/catalogue';

/**
 * Findings relayed from `nft` itself. The messages are nft's own words; we only place them.
 * NFT0xx: the local `nft -c -f -` (server/src/nft/run-nft-check.ts).
 * NFT1xx: `nft -c -f -` run on a router over SSH (server/src/remote/).
 */
export const NFT_RULES = {
  checkError: {
    code: 'NFT001', name: 'nft-check-error', severity: 'error',
    summary: 'The local `nft -c -f -` rejected the ruleset (parser, evaluator or the local kernel).',
  },
  checkWarning: {
    code: 'NFT002', name: 'nft-check-warning', severity: 'warning',
    summary: 'The local `nft -c -f -` printed a warning about the ruleset.',
  },
  checkUnavailable: {
    code: 'NFT003', name: 'nft-check-unavailable', severity: 'information',
    summary: 'The local `nft -c` could not run (not installed, not permitted, or it crashed); its check was skipped.',
  },
  routerNftError: {
    code: 'NFT101', name: 'router-nft-error', severity: 'error',
    summary: 'nft on the router rejected the ruleset (kernel-validated dry run `nft -c -f -`).',
  },
} as const satisfies Record<string, RuleInfo>;
