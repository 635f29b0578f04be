import { createToken, Lexer, type TokenType } from 'chevrotain';
import { CONTEXT_WORDS, RESERVED_WORDS, RESERVED_VALUE_WORDS } from './keywords';
import { SELECTOR_ROOTS, BARE_META_KEYS } from './selectors';

/**
 * Chevrotain token types. The text is split into tokens by our own scanner
 * (lexer.ts) because nft's flex scanner uses longest-match across addresses, times,
 * classids and words, which Chevrotain's first-match lexer cannot express; Chevrotain
 * parsers accept any token vector built from these types.
 */

const NA = Lexer.NA;

/**
 * Category of every token that can neither end a block item nor close a block: lets
 * block bodies take one unexpected token as an error and skip to the item's end.
 */
export const NotCloser = createToken({ name: 'NotCloser', pattern: NA, label: 'token' });

/** Category: any word-shaped token, reserved or not (selector fields are matched by text). */
export const AnyWord = createToken({ name: 'AnyWord', pattern: NA, label: 'word' });
/** Category: any word usable as a name or a symbolic value (plain words and context keywords). */
export const Word = createToken({ name: 'Word', pattern: NA, categories: [AnyWord], label: 'string' });
/** A plain word, `[A-Za-z_.][A-Za-z0-9/_.-]*`, that is not a keyword anywhere. */
export const Identifier = createToken({ name: 'Identifier', pattern: NA, categories: [NotCloser, Word], label: 'string' });

export const Newline = createToken({ name: 'Newline', pattern: NA, label: 'newline' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: NA, label: "';'" });
export const LBrace = createToken({ name: 'LBrace', pattern: NA, categories: [NotCloser], label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: NA, label: "'}'" });
export const LBracket = createToken({ name: 'LBracket', pattern: NA, categories: [NotCloser], label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: NA, categories: [NotCloser], label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: NA, categories: [NotCloser], label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: NA, label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: NA, categories: [NotCloser], label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: NA, categories: [NotCloser], label: "'.'" });
export const Colon = createToken({ name: 'Colon', pattern: NA, categories: [NotCloser], label: "':'" });
export const Slash = createToken({ name: 'Slash', pattern: NA, categories: [NotCloser], label: "'/'" });
export const Dash = createToken({ name: 'Dash', pattern: NA, categories: [NotCloser], label: "'-'" });
export const Plus = createToken({ name: 'Plus', pattern: NA, categories: [NotCloser], label: "'+'" });
export const Asterisk = createToken({ name: 'Asterisk', pattern: NA, categories: [NotCloser], label: "'*'" });
export const At = createToken({ name: 'At', pattern: NA, categories: [NotCloser], label: "'@'" });
export const Dollar = createToken({ name: 'Dollar', pattern: NA, categories: [NotCloser], label: "'$'" });
export const Assign = createToken({ name: 'Assign', pattern: NA, categories: [NotCloser], label: "'='" });

/** Category of the relational operators (`==`, `!=`, `<`, ... and their word spellings). */
export const RelOp = createToken({ name: 'RelOp', pattern: NA, label: 'relational operator' });
export const EqEq = createToken({ name: 'EqEq', pattern: NA, categories: [NotCloser, RelOp], label: "'=='" });
export const NotEq = createToken({ name: 'NotEq', pattern: NA, categories: [NotCloser, RelOp], label: "'!='" });
export const Lt = createToken({ name: 'Lt', pattern: NA, categories: [NotCloser, RelOp], label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: NA, categories: [NotCloser, RelOp], label: "'>'" });
export const Le = createToken({ name: 'Le', pattern: NA, categories: [NotCloser, RelOp], label: "'<='" });
export const Ge = createToken({ name: 'Ge', pattern: NA, categories: [NotCloser, RelOp], label: "'>='" });
export const Bang = createToken({ name: 'Bang', pattern: NA, categories: [NotCloser], label: "'!'" });

export const Shl = createToken({ name: 'Shl', pattern: NA, categories: [NotCloser], label: "'<<'" });
export const Shr = createToken({ name: 'Shr', pattern: NA, categories: [NotCloser], label: "'>>'" });
export const Amp = createToken({ name: 'Amp', pattern: NA, categories: [NotCloser], label: "'&'" });
export const Pipe = createToken({ name: 'Pipe', pattern: NA, categories: [NotCloser], label: "'|'" });
export const Caret = createToken({ name: 'Caret', pattern: NA, categories: [NotCloser], label: "'^'" });

export const NumberTok = createToken({ name: 'Number', pattern: NA, categories: [NotCloser], label: 'number' });
/** IPv4/IPv6/MAC addresses, times (`1h30m`), tc classids (`1:2`): all `STRING` to nft. */
export const Address = createToken({ name: 'Address', pattern: NA, categories: [NotCloser], label: 'string' });
export const QuotedString = createToken({ name: 'QuotedString', pattern: NA, categories: [NotCloser], label: 'quoted string' });
/** `eth*` interface wildcards. */
export const AsteriskString = createToken({ name: 'AsteriskString', pattern: NA, categories: [NotCloser], label: 'string' });
/** A whole `{ … }` list of plain elements, parsed by the lexer's fast path (lexer.ts). */
export const ElementBlock = createToken({ name: 'ElementBlock', pattern: NA, categories: [NotCloser], label: "'{'" });
/** Any character no rule matches (nft's `JUNK`); also a stray `\r`. */
export const Junk = createToken({ name: 'Junk', pattern: NA, categories: [NotCloser], label: 'junk' });

/**
 * Categories over keywords, so that one CONSUME covers many spellings: this keeps
 * Chevrotain's lookahead tables small (building them dominated start-up time).
 */
export const SelectorHead = createToken({ name: 'SelectorHead', pattern: NA, label: 'selector' });
export const ValueKeyword = createToken({ name: 'ValueKeyword', pattern: NA, label: 'value' });
const SELECTOR_HEADS = new Set([...Object.keys(SELECTOR_ROOTS), ...BARE_META_KEYS]);
const VALUE_KEYWORDS = new Set([...RESERVED_VALUE_WORDS, 'exists', 'missing']);

/** Keyword token types by spelling. Reserved words are not `Word`s; context words are. */
export const keywordTokens = new Map<string, TokenType>();
const reservedSet = new Set(RESERVED_WORDS);

function tokenName(word: string): string {
  return 'K_' + word.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * A keyword's token type. Its categories are attached after createToken, not passed to it:
 * createToken resolves categories at once and rebuilds each parent's member list every time,
 * which over our ~250 keywords is quadratic (about 30 ms of start-up). The parser's
 * constructor resolves the categories of all token types in one pass (Chevrotain's
 * augmentTokenTypes), and only the parser matches by category.
 */
function keywordToken(word: string, categories: TokenType[]): TokenType {
  const type = createToken({ name: tokenName(word), pattern: NA, label: word });
  type.CATEGORIES = categories;
  return type;
}

const RELOP_WORDS = new Set(['eq', 'ne', 'lt', 'gt', 'le', 'ge']);
for (const w of RESERVED_WORDS) {
  const categories = RELOP_WORDS.has(w) ? [RelOp, AnyWord, NotCloser] : [AnyWord, NotCloser];
  if (SELECTOR_HEADS.has(w) && w !== 'last') categories.push(SelectorHead);
  if (VALUE_KEYWORDS.has(w)) categories.push(ValueKeyword);
  keywordTokens.set(w, keywordToken(w, categories));
}
for (const w of CONTEXT_WORDS) {
  if (reservedSet.has(w)) continue;
  keywordTokens.set(w, keywordToken(w, [Word, NotCloser]));
}

export function isReservedWord(word: string): boolean {
  return reservedSet.has(word);
}

/** The keyword token for `word`; throws at start-up if a grammar rule names a missing word. */
export function kw(word: string): TokenType {
  const t = keywordTokens.get(word);
  if (!t) throw new Error(`no keyword token for '${word}'`);
  return t;
}

export const allTokenTypes: TokenType[] = [
  NotCloser,
  AnyWord,
  SelectorHead,
  ValueKeyword,
  Word,
  Identifier,
  Newline,
  Semicolon,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Dot,
  Colon,
  Slash,
  Dash,
  Plus,
  Asterisk,
  At,
  Dollar,
  Assign,
  RelOp,
  EqEq,
  NotEq,
  Lt,
  Gt,
  Le,
  Ge,
  Bang,
  Shl,
  Shr,
  Amp,
  Pipe,
  Caret,
  NumberTok,
  Address,
  QuotedString,
  AsteriskString,
  Junk,
  ElementBlock,
  ...keywordTokens.values(),
];
export { tokenMatcher } from 'chevrotain';
