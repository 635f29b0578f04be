import { parseRuleset } from '../../server/src/syntax/parse';
import { LineIndex } from '../../server/src/core/line-index';
import { indexSymbols } from '../../server/src/ide/symbols';
import { hoverAt } from '../../server/src/ide/hover';
import { complete } from '../../server/src/ide/completion';

/** `$0` marks the cursor. Returns the text without it and the offset. */
export function cursor(input: string): { text: string; offset: number } {
  const offset = input.indexOf('$0');
  if (offset < 0) throw new Error('no $0 cursor marker');
  return { text: input.slice(0, offset) + input.slice(offset + 2), offset };
}

export function hoverText(input: string): string | undefined {
  const { text, offset } = cursor(input);
  const parse = parseRuleset(text);
  const index = indexSymbols([{ file: 'test.nft', text, ast: parse.ast }]);
  return hoverAt('test.nft', text, parse, offset, index.symbols, index.defineValues, undefined, new LineIndex(text))?.markdown;
}

export function completionLabels(input: string): string[] {
  const { text, offset } = cursor(input);
  const parse = parseRuleset(text);
  const index = indexSymbols([{ file: 'test.nft', text, ast: parse.ast }]);
  return complete(text, offset, index.symbols).items.map((i) => i.label);
}
