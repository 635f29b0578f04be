import type { IToken, IRecognitionException } from 'chevrotain';
import type { Finding } from '../core/finding';
import type { Span } from '../core/span';
import type { Ruleset } from './ast';
import { Scanner, warmUpScanner, type LexComment } from './lexer';
import { TokenWindow } from './token-window';
import { NftParser, describeToken } from './parser';
import { SYNTAX_RULES } from './codes';

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
  if (!shared) {
    shared = new NftParser({ skipValidations: process.env.NFT_OFFLOAD_VALIDATE_GRAMMAR !== '1' && process.env.NODE_ENV === 'production' });
    warmUpScanner();
  }
  return shared;
}

/** Deepest brace nesting we parse; real rulesets stay far below (table → chain → anon chain → set). */
const MAX_NESTING = 256;

export interface ParseOptions {
  /**
   * Return the token vector (default true: the editor needs it for semantic tokens and
   * formatting). Without it each token is dropped once the parser has passed it, so a big
   * ruleset's tokens are never all in memory (the bench file: 265k tokens, about 20 MB).
   */
  keepTokens?: boolean;
  /**
   * Read plain rules without the grammar (syntax/plain-rule.ts; default true). Tests turn it
   * off to check that both ways give the same tree.
   */
  plainRules?: boolean;
}

/**
 * Parses one file. Never throws: bad input gives findings and a partial tree.
 * Invariant: the AST and the findings describe the same text.
 */
export function parseRuleset(text: string, options: ParseOptions = {}): ParseResult {
  const findings: Finding[] = [];
  const scanner = new Scanner(text);
  const tokens: IToken[] | undefined = options.keepTokens === false ? undefined : [];
  const window = new TokenWindow(scanner, {
    keep: tokens,
    onJunk: (t) => reportJunk(t, findings),
    maxNesting: MAX_NESTING,
    onTooDeep: (t) =>
      findings.push({
        code: SYNTAX_RULES.tooDeep.code,
        severity: 'error',
        message: `braces nest more than ${MAX_NESTING} levels deep; the rest of the file is not checked`,
        file: '',
        span: { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 },
      }),
  });
  const p = parser();
  p.customErrors = [];
  p.usePlainRules = options.plainRules !== false;
  p.read(window);
  let ast: Ruleset;
  try {
    ast = p.ruleset();
  } catch (e) {
    // Rule errors are caught by tryItem; anything else is a bug of ours: keep the server alive.
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
  // The parser may stop before the end (a crash, or the nesting limit): comments, scanner
  // problems and kept tokens still cover the whole text.
  window.drain();
  const comments = scanner.comments;
  for (const pr of scanner.problems) {
    const rule = pr.message.startsWith('CRLF') ? SYNTAX_RULES.crlf : SYNTAX_RULES.unterminatedString;
    findings.push({ code: rule.code, severity: 'error', message: pr.message, file: '', span: pr.span });
  }
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
  // The shared parser would otherwise keep this file's scanner and last tokens alive until the
  // next parse. (This also clears `p.errors`, so it comes after reading them.)
  p.endRead();
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
  return { ast, tokens: tokens ?? [], comments, findings };
}

function reportJunk(t: IToken, findings: Finding[]): void {
  const cp = t.image.codePointAt(0) ?? 0;
  const shown = cp < 32 || cp === 127 ? `\\x${cp.toString(16).padStart(2, '0')}` : t.image;
  // The token never reaches the parser (token-window.ts): one finding is enough for it.
  findings.push({
    code: SYNTAX_RULES.invalidCharacter.code,
    severity: 'error',
    message: `syntax error, unexpected junk '${shown}'`,
    file: '',
    span: { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 },
  });
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
