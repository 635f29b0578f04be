import type { Span } from './span';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A place in some file: used for related locations (the other declaration, the blocking rule). */
export interface FileSpan {
  /** Absolute path or URI-less file name as the caller gave it; '' means "the same file". */
  file: string;
  span: Span;
}

export interface RelatedInfo {
  location: FileSpan;
  message: string;
}

/** A text edit in one file, in offsets. Fixes are data so the LSP and the CLI share them. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export type FixSafety = 'safe' | 'unsafe' | 'display-only';

export interface Fix {
  /** Imperative title, e.g. "Move `flow add @ft` above the accept". */
  title: string;
  safety: FixSafety;
  edits: TextEdit[];
}

/**
 * One finding from any layer. Invariant: `code` is stable and listed in the rule
 * catalogue (core/catalogue.ts), so users can look it up, filter it and override it.
 */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** The file the finding is in ('' = the file being analysed). */
  file: string;
  span: Span;
  related?: RelatedInfo[];
  fixes?: Fix[];
}
