import type { Span } from './span';

/** 0-based line/character position, the same shape LSP uses (UTF-16 characters). */
export interface Position {
  line: number;
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

/**
 * Maps offsets to line/character positions. Built once per text; lookups are
 * binary searches, so converting thousands of findings stays cheap.
 */
export class LineIndex {
  /** Offset where each line starts. An Int32Array: pushing 140k numbers took longer than finding them. */
  private readonly lineStarts: Int32Array;

  constructor(readonly text: string) {
    let starts = new Int32Array(Math.max(64, text.length >> 5));
    let n = 1; // starts[0]: line 0 starts at 0
    const add = (at: number) => {
      if (n === starts.length) {
        const bigger = new Int32Array(n * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[n++] = at;
    };
    if (text.indexOf('\r') < 0) {
      // The usual case: only LF. indexOf searches natively, several times faster than a
      // charCodeAt loop over a multi-megabyte ruleset.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) add(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) add(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) add(i + 1);
      }
    }
    this.lineStarts = starts.slice(0, n);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const next = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  rangeOf(s: Span): LineRange {
    return { start: this.positionAt(s.start), end: this.positionAt(s.end) };
  }

  /** The text of a 0-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}
