import type { RuleInfo } from '../core/catalogue';

/**
 * Findings of the analysis pipeline itself (not of the ruleset).
 * NOTE: `INT` is outside the SYN/SEM/OFF/NFT families on purpose: it reports a bug of ours, so
 * users should not tune it away with a severity override. Warning, not error: the ruleset may be
 * fine, we just could not finish checking it.
 */
export const ANALYSIS_RULES = {
  internalError: {
    code: 'INT001', name: 'internal-error', severity: 'warning',
    summary: 'A check crashed on this file; the other checks still ran. Please report it with the file.',
  },
} as const satisfies Record<string, RuleInfo>;
