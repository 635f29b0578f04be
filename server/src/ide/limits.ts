/**
 * When the editor refuses to analyse a document: above a size limit, or when it is
 * large and looks binary (random bytes, an image opened by mistake). Small binary-ish
 * files are still analysed: their junk characters get the parser's own findings.
 */

/** Files up to this size are always analysed, whatever they contain. */
const ALWAYS_ANALYSED = 1024 * 1024;
const SAMPLE = 64 * 1024;
/** Share of control characters (other than tab, LF, CR) above which a sample is binary; text has none. */
const BINARY_SHARE = 0.01;

export function refusalReason(text: string, maxChars: number): string | undefined {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (text.length > maxChars) {
    return `This file is ${mb(text.length)}, above the ${mb(maxChars)} the editor analyses; run \`nft-offload check\` on it for the full check.`;
  }
  if (text.length > ALWAYS_ANALYSED) {
    const n = Math.min(SAMPLE, text.length);
    let ctl = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || c === 0xfffd) ctl++;
    }
    if (ctl / n > BINARY_SHARE) return `This file (${mb(text.length)}) looks binary, not like an nftables ruleset, so the editor does not analyse it.`;
  }
  return undefined;
}
