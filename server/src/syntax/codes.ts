import type { RuleInfo } from '../core/catalogue';

/** Findings of the syntax layer. */
export const SYNTAX_RULES = {
  syntaxError: { code: 'SYN001', name: 'syntax-error', severity: 'error', summary: 'The text is not valid nftables syntax; nft -f would refuse the file.' },
  crlf: { code: 'SYN002', name: 'crlf-line-endings', severity: 'error', summary: 'The file uses CRLF line endings, which nft rejects.' },
  unterminatedString: { code: 'SYN003', name: 'unterminated-string', severity: 'error', summary: 'A quoted string has no closing quote.' },
  invalidCharacter: { code: 'SYN004', name: 'invalid-character', severity: 'error', summary: 'A character that nft cannot read (nft calls it junk).' },
  unsupportedXt: { code: 'SYN005', name: 'xt-compat-expression', severity: 'error', summary: 'An `xt` expression printed for iptables-nft rules cannot be loaded with nft -f.' },
  tooDeep: { code: 'SYN006', name: 'nesting-too-deep', severity: 'error', summary: 'Braces nest deeper than any ruleset can; the rest of the file was not parsed.' },
} as const satisfies Record<string, RuleInfo>;
