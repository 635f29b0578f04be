import type { IToken, TokenType } from 'chevrotain';
import type { Span } from '../core/span';
import type { SetElement } from './ast';
import {
  KEY_PREFIX,
  KEY_RANGE,
  KEY_VALUE,
  LEAF_ADDRESS,
  LEAF_NUMBER,
  LEAF_STRING,
  LEAF_WORD,
  PackedElement,
  PackedSource,
} from './packed-nodes';
import * as T from './tokens';

/**
 * The scanner: nft's flex rules (src/scanner.l, summarised in
 * shared/reference/nft-grammar.md §2) as one hand-written loop over char codes.
 * Where flex takes the longest match among addresses, times, classids, numbers and
 * words, so do we; keywords are looked up after a word is cut.
 *
 * Invariant: never throws; every input character ends up in a token, a comment, or
 * skipped whitespace; unknown characters become `Junk` tokens the parser rejects.
 */

export interface LexComment {
  text: string;
  span: Span;
}

export interface LexProblem {
  message: string;
  span: Span;
}

/** An `ElementBlock` token carries its elements, already parsed. */
export interface ElementBlockToken extends IToken {
  payload: SetElement[];
}

export interface LexResult {
  tokens: IToken[];
  comments: LexComment[];
  problems: LexProblem[];
}

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  QUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  AMP = 38,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  COMMA = 44,
  DASH = 45,
  DOT = 46,
  SLASH = 47,
  D0 = 48,
  D9 = 57,
  COLON = 58,
  SEMI = 59,
  LT = 60,
  EQ = 61,
  GT = 62,
  AT = 64,
  LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  CARET = 94,
  UNDERSCORE = 95,
  LBRACE = 123,
  PIPE = 124,
  RBRACE = 125,
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isWordStart(c: number): boolean {
  return isAlpha(c) || c === C.UNDERSCORE || c === C.DOT;
}
function isWordChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === C.UNDERSCORE || c === C.DOT || c === C.SLASH || c === C.DASH;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p)) return false;
  return true;
}

/** RFC 4291 text forms, including `::`, and an IPv4 tail (`::ffff:1.2.3.4`). */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.indexOf(':') < 0) return false;
  let groups: string[];
  let v4Tail = false;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  let head = s;
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    v4Tail = true;
    head = s.slice(0, lastColon + 1);
    if (head.endsWith('::')) head = head; // "::" then v4
    else head = head.slice(0, -1);
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return false;
  const max = v4Tail ? 6 : 8;
  const check = (g: string) => g.length >= 1 && g.length <= 4 && /^[0-9A-Fa-f]+$/.test(g);
  if (dbl >= 0) {
    const left = head.slice(0, dbl);
    const right = head.slice(dbl + 2);
    const l = left === '' ? [] : left.split(':');
    const r = right === '' ? [] : right.split(':');
    if (!l.every(check) || !r.every(check)) return false;
    return l.length + r.length <= max - 1;
  }
  groups = head === '' ? [] : head.split(':');
  if (!groups.every(check)) return false;
  return groups.length === max;
}

/** Longest prefix of text[pos..] that is an IPv6 address, or 0. */
function matchIPv6(text: string, pos: number): number {
  let end = pos;
  let colons = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === C.COLON) colons++;
    else if (!(isHex(c) || c === C.DOT)) break;
    end++;
  }
  if (colons < 2) return 0;
  for (let e = end; e > pos + 1; e--) {
    if (isIPv6(text.slice(pos, e))) return e - pos;
  }
  return 0;
}

/** `h{1,2}(:h{1,2}){5}` */
function matchMac(text: string, pos: number): number {
  let p = pos;
  for (let g = 0; g < 6; g++) {
    let n = 0;
    while (n < 2 && isHex(text.charCodeAt(p))) {
      p++;
      n++;
    }
    if (n === 0) return 0;
    if (g < 5) {
      if (text.charCodeAt(p) !== C.COLON) return 0;
      p++;
    }
  }
  return p - pos;
}

/** `h{1,4}:h{1,4}` when followed by whitespace, `:`, `-`, `}` or `,` (nft's classid rule). */
function matchClassid(text: string, pos: number): number {
  let p = pos;
  let n = 0;
  while (n < 5 && isHex(text.charCodeAt(p))) {
    p++;
    n++;
  }
  if (n === 0 || n > 4 || text.charCodeAt(p) !== C.COLON) return 0;
  p++;
  n = 0;
  while (n < 5 && isHex(text.charCodeAt(p))) {
    p++;
    n++;
  }
  if (n === 0 || n > 4) return 0;
  const f = text.charCodeAt(p);
  if (f === C.SPACE || f === C.TAB || f === C.LF || f === C.COLON || f === C.DASH || f === C.RBRACE || f === C.COMMA)
    return p - pos;
  return 0;
}

/** `(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?`, at least one unit. */
function matchTime(text: string, pos: number): number {
  const units = ['d', 'h', 'm', 's', 'ms'];
  let p = pos;
  let u = 0;
  let any = false;
  while (u < units.length) {
    let q = p;
    while (isDigit(text.charCodeAt(q))) q++;
    if (q === p) break;
    let matched = -1;
    for (let k = u; k < units.length; k++) {
      const unit = units[k];
      if (text.startsWith(unit, q)) {
        // `ms` must win over `m` followed by `s...` only when it is the longer unit here.
        if (unit === 'm' && text.startsWith('ms', q)) continue;
        matched = k;
        break;
      }
    }
    if (matched < 0) break;
    p = q + units[matched].length;
    u = matched + 1;
    any = true;
  }
  return any ? p - pos : 0;
}

function matchIPv4(text: string, pos: number): number {
  let p = pos;
  for (let g = 0; g < 4; g++) {
    let n = 0;
    while (isDigit(text.charCodeAt(p))) {
      p++;
      n++;
    }
    if (n === 0 || n > 3) return 0;
    if (g < 3) {
      if (text.charCodeAt(p) !== C.DOT) return 0;
      p++;
    }
  }
  return p - pos;
}

const PUNCT: Record<number, TokenType> = {
  [C.LBRACE]: T.LBrace,
  [C.RBRACE]: T.RBrace,
  [C.LBRACKET]: T.LBracket,
  [C.RBRACKET]: T.RBracket,
  [C.LPAREN]: T.LParen,
  [C.RPAREN]: T.RParen,
  [C.COMMA]: T.Comma,
  [C.COLON]: T.Colon,
  [C.SEMI]: T.Semicolon,
  [C.SLASH]: T.Slash,
  [C.DASH]: T.Dash,
  [C.PLUS]: T.Plus,
  [C.STAR]: T.Asterisk,
  [C.AT]: T.At,
  [C.DOLLAR]: T.Dollar,
  [C.AMP]: T.Amp,
  [C.PIPE]: T.Pipe,
  [C.CARET]: T.Caret,
  [C.DOT]: T.Dot,
};

function tok(type: TokenType, image: string, start: number, end: number): IToken {
  return {
    image,
    startOffset: start,
    endOffset: end - 1,
    // No line/column fields: positions come from offsets (core/line-index.ts), and
    // four fewer fields per token matter with hundreds of thousands of tokens.
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx!,
  };
}


/** Result of the word-like rules at one position: token type and length (0 = a lone '.'). */
interface WordMatch {
  type: TokenType;
  len: number;
}

/**
 * scanWord's result, one object reused by every call (each caller reads it at once): a fresh
 * object per word was 10 MB of garbage on the bench file, 400k words.
 */
const WORD_MATCH: WordMatch = { type: T.Identifier, len: 0 };

/**
 * Longest match among the word-like rules of scanner.l at `pos` (which holds a digit
 * or a word-start character). The common cases (plain numbers, plain words) are
 * decided without trying every rule.
 */
function scanWord(text: string, pos: number): WordMatch {
  const n = text.length;
  const c = text.charCodeAt(pos);
      let bestLen = 0;
  let bestType: TokenType = T.Identifier;
  if (isDigit(c)) {
    let e = pos;
    if (c === C.D0 && (text.charCodeAt(pos + 1) === 120 || text.charCodeAt(pos + 1) === 88) && isHex(text.charCodeAt(pos + 2))) {
      e = pos + 2;
      while (isHex(text.charCodeAt(e))) e++;
    } else {
      while (isDigit(text.charCodeAt(e))) e++;
    }
    bestLen = e - pos;
    bestType = T.NumberTok;
    const f = text.charCodeAt(e);
    if (f === C.DOT) {
      const l = matchIPv4(text, pos);
      if (l > bestLen) {
        bestLen = l;
        bestType = T.Address;
      }
    } else if (f === 100 || f === 104 || f === 109 || f === 115) {
      // d h m s: a time such as 1h30m
      const l = matchTime(text, pos);
      if (l > bestLen) {
        bestLen = l;
        bestType = T.Address;
      }
    } else if (f === 113 || f === 97) {
      if (text.startsWith('8021q', pos) && bestLen < 5) {
        bestLen = 5;
        bestType = T.Identifier;
      } else if (text.startsWith('8021ad', pos) && bestLen < 6) {
        bestLen = 6;
        bestType = T.Identifier;
      }
    }
    if (f === C.COLON || isHex(f) || (bestType === T.Address && text.charCodeAt(pos + bestLen) === C.COLON)) {
      const l6 = matchIPv6(text, pos);
      if (l6 > bestLen) {
        bestLen = l6;
        bestType = T.Address;
      }
      const lm = matchMac(text, pos);
      if (lm > bestLen) {
        bestLen = lm;
        bestType = T.Address;
      }
      const lc = matchClassid(text, pos);
      if (lc > bestLen) {
        bestLen = lc;
        bestType = T.Address;
      }
    }
  } else {
    let e = pos + 1;
    while (e < n && isWordChar(text.charCodeAt(e))) e++;
    // A lone '.' is the concatenation operator, not a word.
    if (!(c === C.DOT && e === pos + 1)) bestLen = e - pos;
    const f = text.charCodeAt(e);
    if (f === C.STAR) {
      bestLen = e + 1 - pos;
      bestType = T.AsteriskString;
    } else if (f === C.BACKSLASH && text.charCodeAt(e + 1) === C.STAR) {
      let g = e + 2;
      while (g < n && isWordChar(text.charCodeAt(g))) g++;
      bestLen = g - pos;
      bestType = T.AsteriskString;
    } else if (f === C.COLON && isHex(c)) {
      // fe80::1, aa:bb:cc:dd:ee:ff, ffff:ffff (classid)
      const l6 = matchIPv6(text, pos);
      const lm = matchMac(text, pos);
      const lc = matchClassid(text, pos);
      const l = Math.max(l6, lm, lc);
      if (l > bestLen) {
        bestLen = l;
        bestType = T.Address;
      }
    }
  }
  WORD_MATCH.type = bestType;
  WORD_MATCH.len = bestLen;
  return WORD_MATCH;
}

/** Lists shorter than this go through the ordinary tokens (and so get per-token highlighting). */
const ELEMENT_BLOCK_MIN = 64;

/** End of the value scanPlainValue found last (read at once by its caller). */
let plainValueEnd = 0;

/**
 * The plain value at `pos` (address, number, non-keyword word or quoted string): its kind
 * (LEAF_*), its end in plainValueEnd; -1 if there is none.
 */
function scanPlainValue(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c === C.QUOTE) {
    const close = text.indexOf('"', pos + 1);
    if (close < 0) return -1;
    plainValueEnd = close + 1;
    return LEAF_STRING;
  }
  if (!(isDigit(c) || isWordStart(c))) return -1;
  const m = scanWord(text, pos);
  if (m.len === 0) return -1;
  plainValueEnd = pos + m.len;
  if (m.type === T.Address) return LEAF_ADDRESS;
  if (m.type === T.NumberTok) return LEAF_NUMBER;
  if (m.type === T.Identifier && !T.keywordTokens.has(text.slice(pos, pos + m.len))) return LEAF_WORD;
  return -1;
}

/**
 * Fast path for big element lists (`elements = { 10.0.0.0/8, … }` with 100k entries):
 * when the whole brace block starting at `open` is plain `value`, `a/len` or `a-b`
 * elements separated by commas (at most one newline at each place nft allows one,
 * no comments), it becomes one `ElementBlock` token carrying the elements, and no
 * per-element tokens are made. Otherwise returns undefined and the ordinary
 * tokens are produced, so the grammar reports any problem.
 */
function scanElementBlock(src: PackedSource, open: number): { end: number; elements: SetElement[] } | undefined {
  const text = src.text;
  const elements: SetElement[] = [];
  let pos = open + 1;
  const n = text.length;
  const skipBlanks = () => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === C.SPACE || c === C.TAB) pos++;
      else if (c === C.BACKSLASH && text.charCodeAt(pos + 1) === C.LF) pos += 2;
      else break;
    }
  };
  /** Skips blanks and at most one newline; false if a second newline or a comment follows. */
  const skipOneNewline = (): boolean => {
    skipBlanks();
    if (text.charCodeAt(pos) === C.LF) {
      pos++;
      skipBlanks();
      if (text.charCodeAt(pos) === C.LF) return false;
    }
    return text.charCodeAt(pos) !== C.HASH && text.charCodeAt(pos) !== C.CR;
  };
  if (!skipOneNewline()) return undefined;
  for (;;) {
    const aStart = pos;
    const a = scanPlainValue(text, pos);
    if (a < 0) return undefined;
    const aEnd = (pos = plainValueEnd);
    skipBlanks();
    let shape = (KEY_VALUE << 4) | (a << 2);
    let bStart = aEnd;
    let bEnd = aEnd;
    const op = text.charCodeAt(pos);
    if (op === C.SLASH || op === C.DASH) {
      pos++;
      skipBlanks();
      bStart = pos;
      const b = scanPlainValue(text, pos);
      if (b < 0) return undefined;
      bEnd = pos = plainValueEnd;
      shape = ((op === C.SLASH ? KEY_PREFIX : KEY_RANGE) << 4) | (a << 2) | b;
      skipBlanks();
    }
    elements.push(new PackedElement(src, shape, aStart, aEnd, bStart, bEnd));
    const sep = text.charCodeAt(pos);
    if (sep === C.COMMA) {
      pos++;
      if (!skipOneNewline()) return undefined;
      if (text.charCodeAt(pos) === C.RBRACE) break; // trailing comma
      continue;
    }
    if (sep === C.LF) {
      if (!skipOneNewline()) return undefined;
      if (text.charCodeAt(pos) !== C.RBRACE) return undefined;
      break;
    }
    if (sep === C.RBRACE) break;
    return undefined;
  }
  if (elements.length < ELEMENT_BLOCK_MIN) return undefined;
  // slice(): an exactly sized copy, without the slack that growing by push leaves.
  return { end: pos + 1, elements: elements.slice() };
}

/**
 * A keyword token's image is its spelling, so every `accept` token can share one string
 * instead of holding its own copy (a 20k-rule file has about 100k keyword tokens).
 */
const KEYWORD_IMAGE = new Map<TokenType, string>([...T.keywordTokens].map(([word, type]) => [type, word]));

export function lex(text: string): LexResult {
  const scanner = new Scanner(text);
  const tokens: IToken[] = [];
  for (let t = scanner.next(); t; t = scanner.next()) tokens.push(t);
  return { tokens, comments: scanner.comments, problems: scanner.problems };
}

/**
 * The scanner as a pull source: `next()` cuts one token (undefined at the end). A headless
 * check parses while it scans (parse.ts), so each token dies young instead of living in a
 * 265k-token array until the parse ends; `lex` collects them all for the editor.
 */
export class Scanner {
  readonly comments: LexComment[] = [];
  readonly problems: LexProblem[] = [];
  private pos = 0;
  /** True while only blanks were seen since the last line start (for full-line comments). */
  private lineBlank = true;
  /** What the fast path's element nodes read their text from (made on the first element block). */
  private source: PackedSource | undefined;

  constructor(readonly text: string) {}

  private emit(type: TokenType, start: number, end: number, image = this.text.slice(start, end)): IToken {
    this.pos = end;
    this.lineBlank = false;
    return tok(type, image, start, end);
  }

  next(): IToken | undefined {
    const text = this.text;
    const n = text.length;
    let pos = this.pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === C.SPACE || c === C.TAB) {
        pos++;
        continue;
      }
      if (c === C.LF) {
        this.pos = pos + 1;
        this.lineBlank = true;
        return tok(T.Newline, '\n', pos, pos + 1);
      }
      if (c === C.CR) {
        if (text.charCodeAt(pos + 1) === C.LF) {
          // HEAD reports "CRLF line terminators"; treat it as a newline so recovery is sane.
          this.problems.push({ message: 'CRLF line terminators are not supported by nft; use LF line endings', span: { start: pos, end: pos + 2 } });
          this.pos = pos + 2;
          this.lineBlank = true;
          return tok(T.Newline, '\n', pos, pos + 2);
        }
        return this.emit(T.Junk, pos, pos + 1);
      }
      if (c === C.BACKSLASH) {
        const d = text.charCodeAt(pos + 1);
        if (d === C.LF) {
          pos += 2; // line continuation: no token
          continue;
        }
        if (d === C.CR && text.charCodeAt(pos + 2) === C.LF) {
          pos += 3;
          continue;
        }
        if (d === C.STAR) {
          // `\*` alone or `\*name` (asterisk string)
          let e = pos + 2;
          while (e < n && isWordChar(text.charCodeAt(e))) e++;
          return this.emit(T.AsteriskString, pos, e);
        }
        return this.emit(T.Junk, pos, pos + 1);
      }
      if (c === C.HASH) {
        let e = pos;
        while (e < n && text.charCodeAt(e) !== C.LF) e++;
        let textEnd = e;
        if (textEnd > pos && text.charCodeAt(textEnd - 1) === C.CR) textEnd--;
        this.comments.push({ text: text.slice(pos, textEnd), span: { start: pos, end: textEnd } });
        // A line holding only a comment is swallowed with its newline (scanner.l).
        if (this.lineBlank && e < n) e++;
        pos = e;
        continue;
      }
      if (c === C.QUOTE) {
        const close = text.indexOf('"', pos + 1);
        if (close < 0) {
          let e = pos;
          while (e < n && text.charCodeAt(e) !== C.LF) e++;
          this.problems.push({ message: 'unterminated string: missing closing `"`', span: { start: pos, end: e } });
          return this.emit(T.QuotedString, pos, e);
        }
        return this.emit(T.QuotedString, pos, close + 1);
      }
      if (isDigit(c) || isWordStart(c)) {
        const m = scanWord(text, pos);
        // Length 0: only a lone '.'.
        if (m.len === 0) return this.emit(T.Dot, pos, pos + 1, '.');
        const image = text.slice(pos, pos + m.len);
        if (m.type !== T.Identifier) return this.emit(m.type, pos, pos + m.len, image);
        const type = T.keywordTokens.get(image) ?? T.Identifier;
        // The slice is garbage at once (cheap, never promoted); the kept image is shared.
        return this.emit(type, pos, pos + m.len, KEYWORD_IMAGE.get(type) ?? image);
      }
      if (c === C.COLON && text.charCodeAt(pos + 1) === C.COLON) {
        const len = matchIPv6(text, pos);
        if (len > 0) return this.emit(T.Address, pos, pos + len);
      }
      if (c === C.LBRACKET) {
        // Bracketed IPv6 (`[2001:db8::1]`): the brackets are dropped by nft.
        const close = text.indexOf(']', pos + 1);
        if (close > pos + 1 && close - pos < 60 && isIPv6(text.slice(pos + 1, close))) return this.emit(T.Address, pos, close + 1);
      }
      const d = text.charCodeAt(pos + 1);
      switch (c) {
        case C.EQ:
          return d === C.EQ ? this.emit(T.EqEq, pos, pos + 2) : this.emit(T.Assign, pos, pos + 1);
        case C.BANG:
          return d === C.EQ ? this.emit(T.NotEq, pos, pos + 2) : this.emit(T.Bang, pos, pos + 1);
        case C.LT:
          return d === C.EQ ? this.emit(T.Le, pos, pos + 2) : d === C.LT ? this.emit(T.Shl, pos, pos + 2) : this.emit(T.Lt, pos, pos + 1);
        case C.GT:
          return d === C.EQ ? this.emit(T.Ge, pos, pos + 2) : d === C.GT ? this.emit(T.Shr, pos, pos + 2) : this.emit(T.Gt, pos, pos + 1);
        case C.STAR:
          return this.emit(T.Asterisk, pos, pos + 1);
      }
      if (c === C.LBRACE && text.length - pos > ELEMENT_BLOCK_MIN * 4) {
        const block = scanElementBlock((this.source ??= new PackedSource(text)), pos);
        if (block) {
          const t = this.emit(T.ElementBlock, pos, block.end, '{…}');
          (t as ElementBlockToken).payload = block.elements;
          return t;
        }
      }
      const p = PUNCT[c];
      if (p) return this.emit(p, pos, pos + 1);
      // Anything else, including non-ASCII and control bytes: junk. Take a whole
      // surrogate pair so a span never splits a character.
      return this.emit(T.Junk, pos, c >= 0xd800 && c <= 0xdbff && pos + 1 < n ? pos + 2 : pos + 1);
    }
    this.pos = pos;
    return undefined;
  }
}

/**
 * Runs the scanner once over a sample holding every kind of token. V8 optimises Scanner.next
 * early in a big file, from what it has seen so far; a token kind first met later (the first
 * quoted string after 100k set elements) throws that code away and the scanner runs slowly
 * until it is optimised again, 30–70 ms on the bench file. After the sample, no kind is new.
 */
export function warmUpScanner(): void {
  lex(WARM_UP_SAMPLE);
}

/** Every kind of token the scanner makes, and its problems (test/syntax/lexer-warm-up.test.ts checks). */
export const WARM_UP_SAMPLE = [
  '# comment',
  'define X = { 1, 2 }',
  'table inet t {',
  `\tset s { type ipv4_addr; flags interval; elements = { ${Array.from({ length: ELEMENT_BLOCK_MIN + 6 }, (_, i) => `10.0.${i}.0/24`).join(', ')} } }`,
  '\tchain c {',
  '\t\tiifname "eth*" ip saddr != 10.0.0.1-10.0.0.9 tcp dport { 22, 0x50 } ct state established,related accept comment "x"',
  '\t\tip6 daddr [fe80::1] ether saddr aa:bb:cc:dd:ee:ff meta mark & 0xff == 1 meta mark set mark | 2 ^ 3 << 1 >> 1 limit rate 1/second timeout 1h30m counter \\',
  '\t\t\tjump x; oifname eth\\* * @s $X < 1 > 2 <= 3 >= 4 ! : ( ) [ ] . - + :: ::1',
  '\t}',
  '}',
  '\u00e9 \r',
  '"open',
].join('\n');
