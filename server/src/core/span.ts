/** A half-open range of UTF-16 offsets into one file's text: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function spanCovers(outer: Span, offset: number): boolean {
  return offset >= outer.start && offset <= outer.end;
}

export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
