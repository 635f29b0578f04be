import { LineIndex, type Finding, type RuleInfo } from '../core';

/**
 * Pure parser for nft's error output, as printed for `nft -c -f -` on the router:
 *   /dev/stdin:4:21-24: Error: Could not process rule: No such file or directory
 *     tcp dport 22 jump nope
 *                       ^^^^
 * (nftables:src/erec.c erec_print: `file:line:first-last: Error: msg`, then the source line and
 * carets; columns are 1-based and inclusive.) Lines without a location ("Error: ..." alone) are
 * kept with line 0.
 * NOTE: server/src/nft/ is being written in parallel with its own parser; when it lands, the lead
 * may replace this file by that one (same shape: {line, colStart, colEnd, message}).
 */
export interface NftErrorLine {
  file: string;
  /** 1-based; 0 = no location. */
  line: number;
  colStart: number;
  colEnd: number;
  severity: 'error' | 'warning';
  message: string;
}

const LOC_RE = /^(.+?):(\d+):(\d+)-(\d+): (Error|Warning): (.*)$/;

export function parseNftErrors(stderr: string): NftErrorLine[] {
  const out: NftErrorLine[] = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = LOC_RE.exec(line);
    if (m) {
      out.push({
        file: m[1], line: Number(m[2]), colStart: Number(m[3]), colEnd: Number(m[4]),
        severity: m[5] === 'Error' ? 'error' : 'warning', message: m[6],
      });
      continue;
    }
    const bare = /^(Error|Warning): (.*)$/.exec(line);
    if (bare) out.push({ file: '', line: 0, colStart: 0, colEnd: 0, severity: bare[1] === 'Error' ? 'error' : 'warning', message: bare[2] });
  }
  return out;
}

export const ROUTER_NFT_ERROR: RuleInfo = {
  code: 'NFT101',
  name: 'router-nft-error',
  severity: 'error',
  summary: 'nft on the router rejected the ruleset (kernel-validated dry run `nft -c -f -`).',
};

/**
 * Maps router errors onto the local file. `lineOffset` is the number of lines we prepended to the
 * upload (OpenWrt table-replacement preamble) so positions land on the user's text.
 */
export function nftErrorsToFindings(errors: NftErrorLine[], localText: string, file: string, lineOffset = 0): Finding[] {
  const idx = new LineIndex(localText);
  return errors.map((e) => {
    const line = e.line - 1 - lineOffset;
    let span = { start: 0, end: 0 };
    if (e.line > 0 && line >= 0 && line < idx.lineCount) {
      const start = idx.offsetAt({ line, character: e.colStart - 1 });
      const end = idx.offsetAt({ line, character: e.colEnd });
      span = { start, end: Math.max(start, end) };
    }
    return { code: ROUTER_NFT_ERROR.code, severity: e.severity, message: e.message, file, span };
  });
}
