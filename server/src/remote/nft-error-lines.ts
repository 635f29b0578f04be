import type { Finding, RuleInfo } from '../core';
import { NFT_RULES } from '../nft/codes';
import { mapNftErrors, type NftErrorLine } from '../nft/nft-errors';

/**
 * Router side of nft's error output. The parser itself lives in server/src/nft/nft-errors.ts
 * (shared with the local `nft -c`); this file keeps the remote names and the NFT101 code.
 */
export { parseNftErrors, type NftErrorLine } from '../nft/nft-errors';

export const ROUTER_NFT_ERROR: RuleInfo = NFT_RULES.routerNftError;

/**
 * Maps router errors onto the local file. `lineOffset` is the number of lines we prepended to the
 * upload (OpenWrt table-replacement preamble) so positions land on the user's text. Records in
 * other files (router-side includes) land at the start of the file, with nft's place in the message.
 */
export function nftErrorsToFindings(errors: NftErrorLine[], localText: string, file: string, lineOffset = 0): Finding[] {
  const local = { path: file, text: localText };
  return mapNftErrors(errors, {
    code: ROUTER_NFT_ERROR.code,
    entry: local,
    resolve: (name) => (name === '/dev/stdin' ? local : undefined),
    stdinLineOffset: lineOffset,
  });
}
