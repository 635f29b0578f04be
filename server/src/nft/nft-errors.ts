import { LineIndex } from '../core/line-index';
import type { Finding, RelatedInfo, Severity } from '../core/finding';
import type { Span } from '../core/span';

/**
 * Pure parser for the error records nft prints on stderr (nftables:src/erec.c, erec_print):
 *
 *   In file included from /dev/stdin:2:1-22:
 *                    from /etc/nftables.conf:4:1-30:
 *   /etc/nft.d/inc.nft:3:21-24: Error: Could not process rule: No such file or directory
 *     tcp dport 22 jump nope
 *                       ^^^^
 *
 * The header is `file:line:first-last: Error|Warning: msg`; line and columns are 1-based, the
 * columns are inclusive and count BYTES of the line (a tab is one column). The source line and
 * a marker line (`^` for the main location, `~` for secondary ones) follow when nft can show
 * them. Records without a place look like `Error: msg` (command line), `netlink: Error: msg`
 * (kernel/cache errors) or `internal:0:0-0: Error: msg` (nft could not open its input).
 *
 * Used for the local `nft -c` (run-nft-check.ts) and for routers (server/src/remote/).
 * Invariant: no I/O, never throws; unknown lines are skipped.
 */
export interface NftLocation {
  /** As nft printed it: `/dev/stdin`, a path, `internal`, or '' when the record has no place. */
  file: string;
  /** 1-based; 0 = no location. */
  line: number;
  /** 1-based, inclusive, in bytes. */
  colStart: number;
  colEnd: number;
}

export interface NftErrorLine extends NftLocation {
  severity: 'error' | 'warning';
  message: string;
  /** `In file included from` chain, innermost include statement first. Absent when empty. */
  includedFrom?: NftLocation[];
}

const HEADER_RE = /^(.+?):(\d+):(\d+)-(\d+): (Error|Warning): (.*)$/;
const BARE_RE = /^(?:([A-Za-z][\w-]*): )?(Error|Warning): (.*)$/;
const INCLUDED_RE = /^(?:In file included from|\s+from) (.+?):(\d+):(\d+)-(\d+):\s*$/;
const MARKER_RE = /^[ \t]*[\^~][\^~ \t]*$/;

export function parseNftErrors(stderr: string): NftErrorLine[] {
  const out: NftErrorLine[] = [];
  const lines = stderr.split('\n').map((l) => l.replace(/\r$/, ''));
  let includes: NftLocation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const inc = INCLUDED_RE.exec(line);
    if (inc) {
      includes.push({ file: inc[1], line: Number(inc[2]), colStart: Number(inc[3]), colEnd: Number(inc[4]) });
      continue;
    }
    const m = HEADER_RE.exec(line);
    if (m) {
      const e: NftErrorLine = {
        file: m[1], line: Number(m[2]), colStart: Number(m[3]), colEnd: Number(m[4]),
        severity: m[5] === 'Error' ? 'error' : 'warning', message: m[6],
      };
      if (includes.length) e.includedFrom = includes;
      includes = [];
      out.push(e);
      // NOTE: skip the echoed source line and its marker line, so a ruleset line that happens to
      // look like a header (or like "Error: ...") is never read as a record.
      if (e.line > 0) {
        if (i + 2 < lines.length && MARKER_RE.test(lines[i + 2])) i += 2;
        else if (i + 1 < lines.length && MARKER_RE.test(lines[i + 1])) i += 1;
      }
      continue;
    }
    const bare = BARE_RE.exec(line);
    if (bare) {
      includes = [];
      const message = bare[1] ? `${bare[1]}: ${bare[3]}` : bare[3];
      out.push({ file: '', line: 0, colStart: 0, colEnd: 0, severity: bare[2] === 'Error' ? 'error' : 'warning', message });
      // A command-line error echoes the command and a marker line without any file name.
      if (i + 2 < lines.length && MARKER_RE.test(lines[i + 2])) i += 2;
    }
  }
  return out;
}

/** A file as we know it: the path we report and the text we hold for it. */
export interface NftSourceFile {
  path: string;
  text: string;
}

export interface NftErrorMapping {
  /** Code for `Error:` records (and `Warning:` records unless `warningCode` is given). */
  code: string;
  warningCode?: string;
  /** Where records without a usable place go (the file that was checked), at its start. */
  entry: NftSourceFile;
  /** nft's file name → our file; called for every name nft printed except '' and `internal`. */
  resolve: (nftFile: string) => NftSourceFile | undefined;
  /** Lines prepended to the checked text before nft saw it; applies to `/dev/stdin` only. */
  stdinLineOffset?: number;
}

/** Maps parsed records onto Findings in our files. Never throws; positions are clamped. */
export function mapNftErrors(errors: NftErrorLine[], how: NftErrorMapping): Finding[] {
  const indexes = new Map<string, LineIndex>();
  const indexOf = (f: NftSourceFile) => {
    let ix = indexes.get(f.path);
    if (!ix) indexes.set(f.path, (ix = new LineIndex(f.text)));
    return ix;
  };
  const place = (loc: NftLocation): { file: NftSourceFile; span: Span } | undefined => {
    if (!loc.file || loc.file === 'internal' || loc.line <= 0) return undefined;
    const file = how.resolve(loc.file);
    if (!file) return undefined;
    const ix = indexOf(file);
    const offset = loc.file === '/dev/stdin' ? how.stdinLineOffset ?? 0 : 0;
    // nft may point one line past the end ("unexpected end of file"): clamp to the last line.
    const line = Math.min(loc.line - 1 - offset, ix.lineCount - 1);
    if (line < 0) return undefined;
    const text = ix.lineText(line);
    // nft's range may take in the newline ("unexpected newline", a whole `include` line): stop at the line's end.
    const col = (byteCol: number) => Math.min(byteColumnToChar(text, byteCol), text.length);
    const start = ix.offsetAt({ line, character: col(Math.max(0, loc.colStart - 1)) });
    const end = ix.offsetAt({ line, character: col(Math.max(loc.colStart, loc.colEnd)) });
    return { file, span: { start, end: Math.max(start, end) } };
  };
  return errors.map((e) => {
    const code = e.severity === 'warning' && how.warningCode ? how.warningCode : how.code;
    const severity: Severity = e.severity;
    const at = place(e);
    if (!at) {
      const where = e.file && e.file !== 'internal' && e.line > 0 ? `${e.file}:${e.line}:${e.colStart}: ` : '';
      return { code, severity, message: where + e.message, file: how.entry.path, span: { start: 0, end: 0 } };
    }
    const finding: Finding = { code, severity, message: e.message, file: at.file.path, span: at.span };
    const related: RelatedInfo[] = [];
    for (const inc of e.includedFrom ?? []) {
      const p = place(inc);
      if (p) related.push({ location: { file: p.file.path, span: p.span }, message: 'included from here' });
    }
    if (related.length) finding.related = related;
    return finding;
  });
}

/** nft counts columns in bytes of UTF-8; our spans count UTF-16 units. */
export function byteColumnToChar(line: string, byteCol: number): number {
  let bytes = 0;
  let i = 0;
  while (i < line.length && bytes < byteCol) {
    const cp = line.codePointAt(i)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return bytes < byteCol ? i + (byteCol - bytes) : i;
}
