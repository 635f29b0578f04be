import type { RuleInfo } from '../core/catalogue';
import { SYNTAX_RULES } from '../syntax/codes';
import { SEMANTIC_RULES } from '../semantics';
import { OFFLOAD_RULES } from '../offload';
import { NFT_RULES } from '../nft/codes';
import { ANALYSIS_RULES } from './codes';

/** Every finding code the product can emit, in catalogue order (docs/findings/CODE.md each). */
export function allRules(): RuleInfo[] {
  return [SYNTAX_RULES, SEMANTIC_RULES, OFFLOAD_RULES, NFT_RULES, ANALYSIS_RULES].flatMap((group) => Object.values(group) as RuleInfo[]);
}
