import { parseRuleset } from '../../server/src/syntax/parse';
import { buildRulesetModel, NO_INCLUDES, type SemanticModel } from '../../server/src/semantics';
import { hoverAt } from '../../server/src/ide/hover';
import { complete } from '../../server/src/ide/completion';

/** `$0` marks the cursor. Returns the text without it and the offset. */
export function cursor(input: string): { text: string; offset: number } {
  const offset = input.indexOf('$0');
  if (offset < 0) throw new Error('no $0 cursor marker');
  return { text: input.slice(0, offset) + input.slice(offset + 2), offset };
}

/** The semantic model of one in-memory file, as the server builds it. */
export function modelOf(text: string, file = 'test.nft'): SemanticModel {
  return buildRulesetModel({ path: file, text }, NO_INCLUDES);
}

export function hoverText(input: string): string | undefined {
  const { text, offset } = cursor(input);
  const model = modelOf(text);
  return hoverAt('test.nft', parseRuleset(text), offset, { model, offset, textOf: (f) => model.files.get(f)?.text })?.markdown;
}

export function completionLabels(input: string): string[] {
  const { text, offset } = cursor(input);
  return complete(text, offset, modelOf(text).symbols).items.map((i) => i.label);
}
