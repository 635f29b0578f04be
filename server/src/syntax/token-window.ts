import { createTokenInstance, EOF, type IToken } from 'chevrotain';
import { Scanner } from './lexer';
import * as T from './tokens';

/** Tokens the parser can still reach behind the newest one (it looks back one, ahead four). */
const WINDOW = 1024;
const MASK = WINDOW - 1;

/** Chevrotain's own end-of-input token has no offsets either (parse.ts places such findings). */
export const END_OF_INPUT: IToken = createTokenInstance(EOF, '', NaN, NaN, NaN, NaN, NaN, NaN);

export interface TokenWindowOptions {
  /** Also collect every token (the editor keeps them for semantic tokens and formatting). */
  keep?: IToken[];
  /** Junk characters are reported here and never reach the parser. */
  onJunk(t: IToken): void;
  /** Braces nesting deeper than this end the input at that brace... */
  maxNesting: number;
  /** ...which is reported here. */
  onTooDeep(t: IToken): void;
}

/**
 * The parser's view of the token stream: the scanner is asked for a token only when the parser
 * reaches it, and only the last WINDOW tokens are held. A headless check of a 265k-token ruleset
 * thus never holds them all: most die before a garbage collection sees them, and none is in
 * memory with the finished tree. Chevrotain reads tokens only through LA/LA_FAST, which
 * NftParser routes here (Chevrotain's LexerAdapter names this use: "lazy lexers").
 *
 * Reaching back further than the window is a bug; `at` throws rather than return a stale token,
 * and parse.ts turns the throw into a finding.
 */
export class TokenWindow {
  private readonly ring: IToken[] = new Array<IToken>(WINDOW).fill(END_OF_INPUT);
  /** `{` minus `}` over all tokens up to and including each one, unclamped (tryItem's brace count). */
  private readonly balance = new Int32Array(WINDOW);
  /** How many tokens were placed; token i is in ring[i & MASK]. */
  private placed = 0;
  private runningBalance = 0;
  /** Brace depth, clamped at 0, for the nesting limit. */
  private depth = 0;
  private ended = false;

  constructor(
    private readonly scanner: Scanner,
    private readonly options: TokenWindowOptions,
  ) {}

  /** A window on no text (the parser's between parses). */
  static empty(): TokenWindow {
    return new TokenWindow(new Scanner(''), { onJunk() {}, maxNesting: 0, onTooDeep() {} });
  }

  /** Token number i (0-based, junk excluded); the end-of-input token past the last one. */
  at(i: number): IToken {
    if (i < this.placed) {
      if (i < this.placed - WINDOW) throw new Error(`token window: token ${i} is no longer held`);
      return this.ring[i & MASK];
    }
    while (i >= this.placed) this.place();
    return this.ring[i & MASK];
  }

  /** `{` minus `}` from the start through token i (0 before the first token). */
  braceBalanceAfter(i: number): number {
    if (i < 0) return 0;
    this.at(i);
    return this.balance[i & MASK];
  }

  /** Scans whatever the parser did not reach, so comments, problems and kept tokens cover the whole text. */
  drain(): void {
    if (!this.ended) {
      this.ended = true;
      for (let t = this.scanner.next(); t; t = this.scanner.next()) this.options.keep?.push(t);
    }
  }

  private place(): void {
    let t = this.ended ? undefined : this.scanner.next();
    while (t) {
      this.options.keep?.push(t);
      if (t.tokenType !== T.Junk) break;
      this.options.onJunk(t);
      t = this.scanner.next();
    }
    if (t?.tokenType === T.LBrace && ++this.depth > this.options.maxNesting) {
      this.options.onTooDeep(t);
      this.drain();
      t = undefined;
    } else if (t?.tokenType === T.RBrace && this.depth > 0) this.depth--;
    if (!t) {
      this.ended = true;
      t = END_OF_INPUT;
    } else if (t.tokenType === T.LBrace) this.runningBalance++;
    else if (t.tokenType === T.RBrace) this.runningBalance--;
    const slot = this.placed & MASK;
    this.ring[slot] = t;
    this.balance[slot] = this.runningBalance;
    this.placed++;
  }
}
