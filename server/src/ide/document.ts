import type { Finding } from '../core/finding';
import { LineIndex } from '../core/line-index';
import { parseRuleset, type ParseResult } from '../syntax/parse';
import { syntaxStateOf, type SyntaxState } from './incremental-syntax';
import { chunkedSyntax } from './chunked-syntax';

/**
 * From this size on, the first syntax findings come from a block-by-block parse (about
 * 40% less CPU on a cold 3.4 MB file, and no whole-file tree held); the analysis's full
 * parse replaces them moments later.
 */
const CHUNKED_FROM = 256 * 1024;

/**
 * One version of one document, with its parse computed lazily and at most once.
 * Plain data for the ide layer: `file` is whatever name the caller uses (a path or URI).
 * `syntax` may come from an incremental re-parse of the previous version
 * (incremental-syntax.ts); then the syntax findings are known without a full parse,
 * and the tree is built only when a feature asks for it.
 */
export class DocumentSnapshot {
  private _lines?: LineIndex;
  private _parse?: ParseResult;
  private _syntax?: SyntaxState;

  constructor(
    readonly file: string,
    readonly version: number,
    readonly text: string,
    parse?: ParseResult,
    syntax?: SyntaxState,
    /** Above the analysis limits: features see an empty tree (the caller reports why). */
    readonly refused = false,
  ) {
    this._parse = parse;
    this._syntax = syntax;
  }

  get lines(): LineIndex {
    return (this._lines ??= new LineIndex(this.text));
  }

  get parse(): ParseResult {
    if (!this._parse) this._parse = this.refused ? emptyParse(this.text.length) : parseRuleset(this.text);
    return this._parse;
  }

  get parsed(): boolean {
    return this._parse !== undefined;
  }

  /** Syntax findings and item boundaries of this text (from the incremental path, else the parse). */
  get syntax(): SyntaxState {
    if (!this._syntax && !this._parse && !this.refused && this.text.length >= CHUNKED_FROM) this._syntax = chunkedSyntax(this.text);
    return (this._syntax ??= syntaxStateOf(this.text, this.parse));
  }

  get hasSyntax(): boolean {
    return this._syntax !== undefined || this._parse !== undefined;
  }

  get syntaxFindings(): Finding[] {
    return this.syntax.findings;
  }

  /** The pipeline parsed this exact text at top level: keep its tree (and let ours go, so only one is in memory). */
  adoptParse(parse: ParseResult): void {
    if (this._parse === parse) return;
    // The pipeline's findings are exact; block-by-block ones may word an error at a block's end differently.
    this._syntax = syntaxStateOf(this.text, parse);
    this._parse = parse;
  }
}

function emptyParse(length: number): ParseResult {
  return { ast: { kind: 'Ruleset', items: [], comments: [], span: { start: 0, end: length } }, tokens: [], comments: [], findings: [] };
}
