import type { Span } from '../core/span';

/**
 * The edits made to one document since some older version, so results computed for
 * that version (semantic and offload findings, the symbol model) can be shown on the
 * current text while a fresh analysis is pending: an offset before an edit stays, one
 * after it moves by the edit's length change, one inside an edited range has no image.
 * Pure data; the LSP state appends one entry per content change.
 */
export interface EditEntry {
  /** The document version the edit produced. */
  version: number;
  /** Replaced range in the text before the edit. */
  start: number;
  end: number;
  /** Length of the inserted text. */
  inserted: number;
}

/** Bound on the log: beyond it, mapping from older versions gives up (results get recomputed anyway). */
const MAX_ENTRIES = 5000;

export class EditLog {
  private entries: EditEntry[] = [];
  /** Oldest version the log can map from; undefined = any version (nothing dropped yet). */
  private floor: number | undefined;

  push(e: EditEntry): void {
    this.entries.push(e);
    if (this.entries.length > MAX_ENTRIES) {
      const cut = this.entries.length - MAX_ENTRIES;
      this.floor = this.entries[cut - 1].version;
      this.entries = this.entries.slice(cut);
    }
  }

  /** Forget what is needed only for versions older than `version`. */
  trim(version: number): void {
    let i = 0;
    while (i < this.entries.length && this.entries[i].version <= version) i++;
    if (i > 0) {
      this.entries = this.entries.slice(i);
      this.floor = Math.max(this.floor ?? -Infinity, version);
    }
  }

  private since(version: number): EditEntry[] | undefined {
    if (this.floor !== undefined && version < this.floor) return undefined;
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1].version > version) i--;
    return this.entries.slice(i);
  }

  /** A mapper from offsets of `version` to the current text, or undefined when the log no longer reaches back. */
  forward(version: number): OffsetMap | undefined {
    const list = this.since(version);
    if (!list) return undefined;
    return new OffsetMap(list);
  }
}

export class OffsetMap {
  constructor(private readonly edits: readonly EditEntry[]) {}

  get identity(): boolean {
    return this.edits.length === 0;
  }

  /** Old offset → current offset; undefined when an edit replaced the text there. */
  offset(o: number): number | undefined {
    let x = o;
    for (const e of this.edits) {
      if (x <= e.start) continue;
      if (x >= e.end) x += e.inserted - (e.end - e.start);
      else return undefined;
    }
    return x;
  }

  /** Old span → current span; undefined when an edit touched it. */
  span(s: Span): Span | undefined {
    if (this.identity) return s;
    const start = this.offset(s.start);
    if (start === undefined) return undefined;
    if (s.end === s.start) return { start, end: start };
    // The span must not contain an edit: its end moves exactly as its start does.
    const end = this.offset(s.end);
    if (end === undefined || end - start !== s.end - s.start) return undefined;
    return { start, end };
  }

  /** Current offset → old offset (for looking a cursor up in an old model); undefined inside an edit. */
  back(o: number): number | undefined {
    let x = o;
    for (let i = this.edits.length - 1; i >= 0; i--) {
      const e = this.edits[i];
      if (x <= e.start) continue;
      if (x >= e.start + e.inserted) x -= e.inserted - (e.end - e.start);
      else return undefined;
    }
    return x;
  }
}
