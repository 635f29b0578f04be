// Tokenizes text with the shipped TextMate grammar through the same engine VS Code uses
// (vscode-textmate + the oniguruma WASM build), so the dump shows what an editor will paint.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import vsctm from 'vscode-textmate';

const require = createRequire(import.meta.url);
const grammarPath = fileURLToPath(new URL('../../syntaxes/nftables.tmLanguage.json', import.meta.url));
const ROOT_SCOPE = 'source.nftables';

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  // NOTE: the WASM comes from node_modules; nothing is downloaded.
  const wasm = await readFile(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === ROOT_SCOPE
        ? vsctm.parseRawGrammar(await readFile(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar(ROOT_SCOPE);
  if (!grammar) throw new Error(`grammar ${ROOT_SCOPE} did not load`);
  return grammar;
}

export function getGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

/** Tokens of every line, without whitespace-only tokens and without the root scope. */
export async function tokenize(text: string): Promise<Token[]> {
  const grammar = await getGrammar();
  const tokens: Token[] = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((lineText, index) => {
    const result = grammar.tokenizeLine(lineText, stack);
    for (const token of result.tokens) {
      const tokenText = lineText.slice(token.startIndex, token.endIndex);
      if (tokenText.trim() === '') continue;
      tokens.push({ line: index + 1, text: tokenText, scopes: token.scopes.filter((s) => s !== ROOT_SCOPE) });
    }
    stack = result.ruleStack;
  });
  return tokens;
}

/**
 * One block per source line: the line itself, then one row per token with its scopes, innermost
 * last. Meta scopes are kept, so an unclosed block shows up as scopes leaking into later lines.
 */
export async function renderTokens(text: string): Promise<string> {
  const tokens = await tokenize(text);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  lines.forEach((lineText, index) => {
    out.push(`${String(index + 1).padStart(3)} | ${lineText.replace(/\t/g, '  ')}`);
    for (const token of tokens.filter((t) => t.line === index + 1)) {
      const shown = JSON.stringify(token.text);
      out.push(`      ${shown.padEnd(28)} ${token.scopes.join(' ') || '-'}`);
    }
  });
  return out.join('\n') + '\n';
}

/** Innermost scope of the first token whose text is exactly `text` on the given 1-based line. */
export function scopeOf(tokens: Token[], line: number, text: string): string | undefined {
  return tokens.find((t) => t.line === line && t.text === text)?.scopes.at(-1);
}
