import { LineIndex } from '../core/line-index';
import { parseRuleset, type ParseResult } from '../syntax/parse';

/**
 * One version of one document, with its parse computed lazily and at most once.
 * Plain data for the ide layer: `file` is whatever name the caller uses (a path or URI).
 */
export class DocumentSnapshot {
  private _lines?: LineIndex;
  private _parse?: ParseResult;

  constructor(
    readonly file: string,
    readonly version: number,
    readonly text: string,
    parse?: ParseResult,
  ) {
    this._parse = parse;
  }

  get lines(): LineIndex {
    return (this._lines ??= new LineIndex(this.text));
  }

  get parse(): ParseResult {
    return (this._parse ??= parseRuleset(this.text));
  }

  get parsed(): boolean {
    return this._parse !== undefined;
  }
}
