import type { IToken, IRecognitionException } from 'chevrotain';
import type { Finding } from '../core/finding';
import type { Span } from '../core/span';
import type { Ruleset } from './ast';
import { lex, type LexComment } from './lexer';
import { NftParser, describeToken } from './parser';
import { SYNTAX_RULES } from './codes';
import * as T from './tokens';

export interface ParseResult {
  ast: Ruleset;
  tokens: IToken[];
  comments: LexComment[];
  /** Syntax findings, in text order. `file` is '' (the parsed text). */
  findings: Finding[];
}

let shared: NftParser | undefined;

/**
 * One parser per process (Chevrotain's performance guide): building it runs the
 * grammar analysis. Validations stay on unless the caller is a bundle in production.
 */
function parser(): NftParser {
  if (!shared) shared = new NftParser({ skipValidations: process.env.NFT_OFFLOAD_VALIDATE_GRAMMAR !== '1' && process.env.NODE_ENV === 'production' });
  return shared;
}

/** Deepest brace nesting we parse; real rulesets stay far below (table → chain → anon chain → set). */
const MAX_NESTING = 256;

/** One pass over the tokens: where braces first nest too deep (-1: nowhere), and whether any is junk. */
function scanTokens(tokens: IToken[]): { tooDeep: number; junk: boolean } {
  let depth = 0;
  let junk = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].tokenType;
    if (t === T.LBrace) {
      if (++depth > MAX_NESTING) return { tooDeep: i, junk };
    } else if (t === T.RBrace) {
      if (depth > 0) depth--;
    } else if (t === T.Junk) junk = true;
  }
  return { tooDeep: -1, junk };
}

/**
 * Parses one file. Never throws: bad input gives findings and a partial tree.
 * Invariant: the AST and the findings describe the same text.
 */
export function parseRuleset(text: string): ParseResult {
  const { tokens: allTokens, comments, problems } = lex(text);
  const findings: Finding[] = [];
  for (const p of problems) {
    const rule = p.message.startsWith('CRLF') ? SYNTAX_RULES.crlf : SYNTAX_RULES.unterminatedString;
    findings.push({ code: rule.code, severity: 'error', message: p.message, file: '', span: p.span });
  }
  let tokens = allTokens;
  const { tooDeep: deep, junk } = scanTokens(allTokens);
  if (deep >= 0) {
    const t = allTokens[deep];
    findings.push({
      code: SYNTAX_RULES.tooDeep.code,
      severity: 'error',
      message: `braces nest more than ${MAX_NESTING} levels deep; the rest of the file is not checked`,
      file: '',
      span: { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 },
    });
    tokens = allTokens.slice(0, deep);
  }
  const p = parser();
  p.customErrors = [];
  // Without junk (the usual case) the parser reads the token array as it is: no 265k-slot copy.
  // (scanTokens saw every token before a too-deep brace, so `junk` covers a cut-off array too.)
  p.input = junk ? tokens.filter((t) => t.tokenType !== T.Junk || reportJunk(t, findings)) : tokens;
  let ast: Ruleset;
  try {
    ast = p.ruleset();
  } catch (e) {
    // Chevrotain should not throw with recovery on; if it does, keep the server alive.
    findings.push({
      code: SYNTAX_RULES.syntaxError.code,
      severity: 'error',
      message: `internal parser error: ${(e as Error).message}`,
      file: '',
      span: { start: 0, end: 0 },
    });
    ast = { kind: 'Ruleset', items: [], comments: [], span: { start: 0, end: text.length } };
  }
  if (!ast) ast = { kind: 'Ruleset', items: [], comments: [], span: { start: 0, end: text.length } };
  ast.comments = comments;
  ast.span = { start: 0, end: text.length };

  const seen = new Set<number>();
  for (const e of p.errors) {
    const f = recognitionFinding(e, text.length);
    if (seen.has(f.span.start) && !f.message.startsWith('syntax error, unexpected end')) continue;
    seen.add(f.span.start);
    findings.push(f);
  }
  for (const e of p.customErrors) {
    const rule = e.message.startsWith('unsupported xtables') ? SYNTAX_RULES.unsupportedXt : SYNTAX_RULES.syntaxError;
    if (seen.has(e.span.start) && rule === SYNTAX_RULES.syntaxError) continue;
    seen.add(e.span.start);
    findings.push({ code: rule.code, severity: 'error', message: e.message, file: '', span: e.span });
  }
  // The shared parser would otherwise keep this file's tokens alive until the next
  // parse. (Setting `input` also clears `p.errors`, so this comes after reading them.)
  p.input = [];
  p.customErrors = [];

  // Tokens Chevrotain makes up during recovery (and EOF) have no offsets: such a
  // finding points at the end of the text instead.
  for (const f of findings) {
    if (!Number.isFinite(f.span.start) || !Number.isFinite(f.span.end)) {
      const at = Number.isFinite(f.span.start) ? Math.min(f.span.start, text.length) : text.length;
      (f as { span: Span }).span = { start: at, end: Math.max(at, Number.isFinite(f.span.end) ? Math.min(f.span.end, text.length) : at) };
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start);
  return { ast, tokens: allTokens, comments, findings };
}

function reportJunk(t: IToken, findings: Finding[]): boolean {
  const cp = t.image.codePointAt(0) ?? 0;
  const shown = cp < 32 || cp === 127 ? `\\x${cp.toString(16).padStart(2, '0')}` : t.image;
  findings.push({
    code: SYNTAX_RULES.invalidCharacter.code,
    severity: 'error',
    message: `syntax error, unexpected junk '${shown}'`,
    file: '',
    span: { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 },
  });
  // Keep a stray character out of the parser: one finding is enough for it.
  return false;
}

function recognitionFinding(e: IRecognitionException, textLength: number): Finding {
  const t = e.token;
  let span: Span;
  if (!t || Number.isNaN(t.startOffset) || t.tokenType?.name === 'EOF') {
    const prev = (e as { previousToken?: IToken }).previousToken;
    const at = prev && prev.endOffset !== undefined && !Number.isNaN(prev.endOffset) ? (prev.endOffset ?? prev.startOffset) + 1 : textLength;
    span = { start: at, end: at };
  } else {
    span = { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
  }
  return {
    code: SYNTAX_RULES.syntaxError.code,
    severity: 'error',
    message: e.message,
    file: '',
    span,
  };
}

export { describeToken };
