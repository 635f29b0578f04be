import { EmbeddedActionsParser, EOF, isRecognitionException, type IOrAlt, type OrMethodOpts, type IRuleConfig, type IToken, type TokenType, type IRecognitionException, type IParserErrorMessageProvider } from 'chevrotain';
import type { Span } from '../core/span';
import type * as A from './ast';
import * as T from './tokens';
import { kw } from './tokens';
import { LazyLookaheadStrategy } from './lazy-lookahead';
import type { ElementBlockToken } from './lexer';
import { END_OF_INPUT, TokenWindow } from './token-window';
import { PlainRuleReader, alternativesBeginningWith, expressionStatementHeads } from './plain-rule';
import { fitted, identNode, identOrStringNode, keywordValueNode, plainValue, sharedPath, sp, tokSpan, unquote } from './node-builders';
import {
  BINOP_START,
  SELECTOR_FUNCTIONS,
  SEPARATORS,
  TIME_UNITS,
  continuesSelector,
  looksLikeSelector,
  plainElementAt,
  simpleRhsAt,
  simpleRhsLength,
} from './grammar-facts';
import {
  SELECTOR_ROOTS,
  BARE_META_KEYS,
  INNER_PROTOCOLS,
  FIB_FLAGS,
  FIB_RESULTS,
  SETTABLE_META_KEYS,
  TCP_OPTION_NAMES,
  childWords,
  isComplete,
  type SelectorNode,
} from './selectors';

/**
 * The nftables grammar (nft's parser_bison.y, summarised in
 * shared/reference/nft-grammar.md) as one Chevrotain parser with embedded actions that
 * build the AST in ast.ts directly. A CST would cost a node per token, which matters
 * for rulesets with 100k set elements.
 *
 * Chevrotain records every rule once with dummy tokens, so code that reads token
 * fields or sub-rule results runs inside ACTION(), or through helpers that tolerate
 * undefined values.
 *
 * Words that are keywords only in some scanner state (`sport`, `saddr`, `state`...)
 * are matched here by text, walking the selector tables in selectors.ts, which is
 * what lets them also serve as names elsewhere, as in nft.
 */

export interface CustomError {
  message: string;
  span: Span;
}

const TCP_OPTION_WORDS = new Set([...TCP_OPTION_NAMES, 'kind', 'length', 'size', 'count', 'left', 'right', 'tsval', 'tsecr', 'subtype']);
const NAT_FLAGS = new Set(['random', 'fully-random', 'persistent']);

const BYTE_UNITS = new Set(['bytes', 'kbytes', 'mbytes']);

export class NftParser extends EmbeddedActionsParser {
  customErrors: CustomError[] = [];

  constructor(options: { skipValidations?: boolean } = {}) {
    super(T.allTokenTypes, {
      // Chevrotain's own recovery is off: block items recover by themselves (tryItem), which is
      // both closer to nft and cheaper (no follow-set work on every repetition).
      recoveryEnabled: false,
      // k=1 keeps start-up fast; the few decisions that need two tokens say so.
      maxLookahead: 1,
      lookaheadStrategy: new LazyLookaheadStrategy({ maxLookahead: 1 }),
      errorMessageProvider: nftErrorMessages,
      skipValidations: options.skipValidations ?? false,
    });
    this.performSelfAnalysis();
    const grammar = this.getGAstProductions();
    this.plainRules = new PlainRuleReader(this, expressionStatementHeads(grammar.statement));
    const chainItemAlternatives = alternativesBeginningWith(grammar.chainItem);
    for (const t of this.plainRules.firstTokens()) {
      const names = chainItemAlternatives(t);
      if (names.length === 1 && names[0] === 'rule') this.chainRuleStarts.add(t);
    }
  }

  /** The plain rule at the next token, taken, if there is one (never while recording). */
  private takePlainRule(): A.Rule | undefined {
    const reader = this.plainRules;
    const plain = reader?.read();
    if (!plain) return undefined;
    for (let i = reader!.length; i > 0; i--) this.takeToken();
    return plain;
  }

  /** Tokens with which a chain item can only be a rule, and a plain rule can begin. */
  private readonly chainRuleStarts = new Set<TokenType>();

  /** Reads plain rules without the grammar (plain-rule.ts); made once the grammar is recorded. */
  private plainRules?: PlainRuleReader;

  /** Whether `rule` tries the plain-rule reader first (off only to compare it with the grammar). */
  usePlainRules = true;

  // ------------------------------------------------------------------ helpers

  /**
   * Rules do not re-sync on their own: Chevrotain's follow-set re-sync can leave a
   * block at the first error and misread the rest of the file as top-level commands.
   * Errors travel up to the nearest block item instead (tryItem), which skips to the
   * next newline or `;`, as nft's `error stmt_separator` rule does.
   */
  protected override RULE<F extends (...args: any[]) => any>(name: string, impl: F, config?: IRuleConfig<ReturnType<F>>) {
    return super.RULE(name, impl, { resyncEnabled: false, ...config });
  }

  /**
   * No single-token insertion: pretending a missing `}` was there closes the wrong block
   * and misreads the rest of the file. The item-level skip in tryItem does better.
   */
  canRecoverWithSingleTokenInsertion(): boolean {
    return false;
  }

  /** Parses one block item; on a syntax error, records it and skips to the item's end. */
  private tryItem<R>(parse: () => R): R | undefined {
    const self = this as unknown as { currIdx: number; SAVE_ERROR(e: unknown): void };
    // Taken now: by the time an error comes back, the item's first token may have left the window.
    const startBalance = this.RECORDING_PHASE ? 0 : this.window.braceBalanceAfter(self.currIdx);
    try {
      return parse();
    } catch (e) {
      if (!isRecognitionException(e as Error) || this.RECORDING_PHASE) throw e;
      self.SAVE_ERROR(e);
      // Braces the failed item opened and did not close yet must be skipped too,
      // or their `}` would end the enclosing block.
      const open = this.window.braceBalanceAfter(self.currIdx) - startBalance;
      this.skipToSeparator(Math.max(0, open));
      return undefined;
    }
  }

  // ------------------------------------------------------------------ token source

  /** Where tokens come from: set by `read` for each parse (syntax/token-window.ts). */
  private window = TokenWindow.empty();

  /** Parses from `window` next (the rule to call is the caller's, as with Chevrotain's `input`). */
  read(window: TokenWindow): void {
    this.input = []; // resets Chevrotain's state (errors, position)
    this.window = window;
  }

  /** Lets go of the last parse's scanner and tokens. */
  endRead(): void {
    this.input = [];
    this.window = TokenWindow.empty();
  }

  // Chevrotain reads tokens only through these (its LexerAdapter trait, documented as the place
  // to plug in a lazy lexer); they read the window instead of Chevrotain's token array.
  override LA(howMuch: number): IToken {
    const i = (this as unknown as { currIdx: number }).currIdx + howMuch;
    return i < 0 ? END_OF_INPUT : this.window.at(i);
  }

  override LA_FAST(howMuch: number): IToken {
    return this.window.at((this as unknown as { currIdx: number }).currIdx + howMuch);
  }

  override SKIP_TOKEN(): IToken {
    if (this.LA(1).tokenType === EOF) return this.LA(1);
    this.takeToken();
    return this.LA(1);
  }

  moveToTerminatedState(): void {
    while (this.LA(1).tokenType !== EOF) this.takeToken();
  }

  /** Takes the next token (Chevrotain's consumeToken, which its types do not expose). */
  private takeToken(): void {
    (this as unknown as { consumeToken(): void }).consumeToken();
  }

  /** A newline or `;` between block items, taken as the `separator` rule would take it; false if there is none. */
  private takeSeparator(): boolean {
    if (!SEPARATORS.has(this.LA(1).tokenType)) return false;
    this.takeToken();
    return true;
  }

  /** Skips to the next newline or `;` at this brace depth, or to the `}` closing it. */
  private skipToSeparator(openBraces = 0): void {
    let depth = openBraces;
    for (;;) {
      const t = this.LA(1).tokenType;
      if (t === EOF) return;
      if (depth === 0 && (t === T.Newline || t === T.Semicolon || t === T.RBrace)) return;
      if (t === T.LBrace) depth++;
      else if (t === T.RBrace) depth--;
      this.SKIP_TOKEN();
    }
  }

  private lastTok(): IToken {
    return this.LA(0);
  }

  private spanFrom(start: IToken | undefined): Span {
    return sp(start, this.LA(0));
  }

  private err(message: string, span: Span): void {
    this.customErrors.push({ message, span });
  }

  /** After an item in a block: nft needs a newline or `;` (a `}` does not end an item). */
  private requireSeparator(allowEof: boolean): void {
    const t = this.LA(1);
    if (SEPARATORS.has(t.tokenType)) return;
    if (allowEof && t.tokenType === EOF) return;
    this.err(`syntax error, unexpected ${describeToken(t)}, expecting newline or semicolon`, tokSpan(t));
  }

  private ident = this.RULE('ident', (): A.Ident => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(kw('last')) },
    ]);
    return identNode(t);
  });

  /** A name that may also be quoted (flowtable references, devices, log prefixes...). */
  private identOrString = this.RULE('identOrString', (): A.Ident => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(kw('last')) },
      { ALT: () => this.CONSUME(T.QuotedString) },
    ]);
    return this.ACTION(() => identOrStringNode(t));
  });

  private separator = this.RULE('separator', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.CONSUME(T.Semicolon) }]);
  });

  private family = this.RULE('family', (): A.Ident => {
    const t = this.OR([
      { ALT: () => this.CONSUME(kw('ip')) },
      { ALT: () => this.CONSUME(kw('ip6')) },
      { ALT: () => this.CONSUME(kw('inet')) },
      { ALT: () => this.CONSUME(kw('arp')) },
      { ALT: () => this.CONSUME(kw('bridge')) },
      { ALT: () => this.CONSUME(kw('netdev')) },
    ]);
    return identNode(t);
  });

  /** `[family] table` */
  private tableSpec = this.RULE('tableSpec', (): A.TableSpec => {
    const start = this.LA(1);
    const family = this.OPTION(() => this.SUBRULE(this.family));
    const name = this.SUBRULE(this.ident);
    return { family, name, span: this.spanFrom(start) };
  });

  // ------------------------------------------------------------------ top level

  public ruleset = this.RULE('ruleset', (): A.Ruleset => {
    // (the only rule that may re-sync by itself: nothing above it can)
    const items: A.TopItem[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const item = this.tryItem(() => this.SUBRULE(this.line));
            this.ACTION(() => {
              if (item) items.push(item);
              this.requireSeparator(true);
            });
          },
        },
      ]);
    });
    return { kind: 'Ruleset', items, comments: [], span: { start: 0, end: 0 } };
  });

  private line = this.RULE('line', (): A.TopItem => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.commonBlock) },
      { ALT: () => this.SUBRULE(this.command) },
    ]);
  });

  /** include / define / redefine / undefine: allowed at top level and in every block. */
  private commonBlock = this.RULE('commonBlock', (): A.DefineStmt | A.IncludeStmt => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('include'));
          const p = this.CONSUME(T.QuotedString);
          return this.ACTION(() => ({
            kind: 'Include' as const,
            path: { kind: 'String' as const, text: unquote(p.image), span: tokSpan(p) },
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          const op = this.OR1([
            { ALT: () => this.CONSUME(kw('define')) },
            { ALT: () => this.CONSUME(kw('redefine')) },
          ]);
          const name = this.SUBRULE(this.ident);
          this.CONSUME(T.Assign);
          const value = this.SUBRULE(this.initializer);
          return this.ACTION(() => ({
            kind: 'Define' as const,
            op: op.image as 'define' | 'redefine',
            name,
            value,
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('undefine'));
          const name = this.SUBRULE1(this.ident);
          return { kind: 'Define' as const, op: 'undefine' as const, name, span: this.spanFrom(start) };
        },
      },
    ]);
  });

  /** Value of a define: an expression, a comma list, `{}`, `-N`. */
  private initializer = this.RULE('initializer', (): A.Expr => {
    return this.OR([
      {
        ALT: () => {
          const d = this.CONSUME(T.Dash);
          const n = this.CONSUME(T.NumberTok);
          return this.ACTION(() => ({
            kind: 'Neg' as const,
            operand: { kind: 'Number' as const, text: n.image, span: tokSpan(n) },
            span: sp(d, n),
          }));
        },
      },
      {
        // `define X = {}` (an empty set) is allowed here only, and only without a newline.
        GATE: () => this.LA(1).tokenType === T.LBrace && this.LA(2).tokenType === T.RBrace,
        ALT: () => {
          const a = this.CONSUME(T.LBrace);
          const b = this.CONSUME(T.RBrace);
          return { kind: 'SetLiteral' as const, elements: [], span: sp(a, b) };
        },
      },
      { ALT: () => this.SUBRULE(this.rhsList) },
    ]);
  });

  private command = this.RULE('command', (): A.TopItem => {
    return this.OR([
      {
        ALT: () => {
          const v = this.OR1([{ ALT: () => this.CONSUME(kw('add')) }, { ALT: () => this.CONSUME(kw('create')) }]);
          return this.SUBRULE(this.addCmd, { ARGS: [v] });
        },
      },
      { ALT: () => this.SUBRULE1(this.addCmd, { ARGS: [undefined] }) },
      {
        ALT: () => {
          const v = this.OR2([{ ALT: () => this.CONSUME(kw('insert')) }, { ALT: () => this.CONSUME(kw('replace')) }]);
          this.CONSUME(kw('rule'));
          return this.SUBRULE(this.ruleCmd, { ARGS: [v] });
        },
      },
      { ALT: () => this.SUBRULE(this.deleteCmd) },
      { ALT: () => this.SUBRULE(this.otherCmd) },
    ]);
  });

  /** Everything after `add`/`create` (or an implicit add). */
  private addCmd = this.RULE('addCmd', (verbTok?: IToken): A.TopItem => {
    const start = verbTok ?? this.LA(1);
    const verb = (verbTok?.image ?? 'add') as A.Verb;
    const explicitVerb = verbTok !== undefined;
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('table'));
          const spec = this.SUBRULE(this.tableSpec);
          const body = this.OPTION(() => this.SUBRULE(this.tableBody));
          return this.ACTION(() => ({
            kind: 'Table' as const,
            verb,
            explicitVerb,
            family: spec?.family,
            name: spec?.name,
            body,
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('chain'));
          const table = this.SUBRULE1(this.tableSpec);
          const name = this.SUBRULE(this.ident);
          const body = this.OPTION1(() => this.SUBRULE(this.chainBody));
          return { kind: 'Chain' as const, verb, explicitVerb, table, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const t = this.OR1([{ ALT: () => this.CONSUME(kw('set')) }, { ALT: () => this.CONSUME(kw('map')) }]);
          const table = this.SUBRULE2(this.tableSpec);
          const name = this.SUBRULE1(this.ident);
          const body = this.SUBRULE(this.setBody);
          return this.ACTION(() => ({
            kind: 'Set' as const,
            isMap: t.image === 'map',
            verb,
            explicitVerb,
            table,
            name,
            body,
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('flowtable'));
          const table = this.SUBRULE3(this.tableSpec);
          const name = this.SUBRULE2(this.ident);
          const body = this.OPTION2(() => this.SUBRULE(this.flowtableBody));
          return { kind: 'Flowtable' as const, verb, explicitVerb, table, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('element'));
          const table = this.SUBRULE4(this.tableSpec);
          const set = this.SUBRULE3(this.ident);
          const elements = this.SUBRULE(this.setLiteral);
          return { kind: 'ElementCmd' as const, verb, table, set, elements, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const objectType = this.SUBRULE(this.objectType);
          const table = this.SUBRULE5(this.tableSpec);
          const name = this.SUBRULE4(this.ident);
          const body = this.OPTION3(() =>
            this.OR2({
              IGNORE_AMBIGUITIES: true,
              DEF: [
                { ALT: () => this.SUBRULE(this.objectBody) },
                { ALT: () => this.SUBRULE(this.objectInline) },
              ],
            }),
          );
          this.ACTION(() => objectType === 'tunnel' && this.checkTunnelBody(body));
          return { kind: 'Object' as const, objectType, verb, explicitVerb, table, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('rule'));
          return this.SUBRULE(this.ruleCmd, { ARGS: [verbTok ?? this.lastTok()] });
        },
      },
      {
        // Implicit `add rule`: `[family] TABLE CHAIN statements...`
        ALT: () => this.SUBRULE1(this.ruleCmd, { ARGS: [verbTok] }),
      },
    ]);
  });

  private objectType = this.RULE('objectType', (): A.ObjectType => {
    return this.OR([
      { ALT: () => this.CONSUME(kw('counter')).image as A.ObjectType },
      { ALT: () => this.CONSUME(kw('quota')).image as A.ObjectType },
      { ALT: () => this.CONSUME(kw('limit')).image as A.ObjectType },
      { ALT: () => this.CONSUME(kw('secmark')).image as A.ObjectType },
      { ALT: () => this.CONSUME(kw('synproxy')).image as A.ObjectType },
      { ALT: () => this.CONSUME(kw('tunnel')).image as A.ObjectType },
      {
        ALT: () => {
          this.CONSUME(kw('ct'));
          const w = this.OR1([
            { ALT: () => this.CONSUME(kw('helper')) },
            { ALT: () => this.CONSUME(kw('timeout')) },
            { ALT: () => this.CONSUME(kw('expectation')) },
          ]);
          return ('ct ' + w.image) as A.ObjectType;
        },
      },
    ]);
  });

  /** `[add|insert|replace] rule [family] T C [position N|handle N|index N] stmts` */
  private ruleCmd = this.RULE('ruleCmd', (verbTok?: IToken): A.RuleCmd => {
    const start = verbTok ?? this.LA(1);
    const table = this.SUBRULE(this.tableSpec);
    const chain = this.SUBRULE(this.ident);
    const placement = this.OPTION(() => {
      const k = this.OR([
        { ALT: () => this.CONSUME(kw('position')) },
        { ALT: () => this.CONSUME(kw('handle')) },
        { ALT: () => this.CONSUME(kw('index')) },
      ]);
      const n = this.CONSUME(T.NumberTok);
      return this.ACTION(() => ({
        key: k.image as 'position' | 'handle' | 'index',
        value: { kind: 'Number' as const, text: n.image, span: tokSpan(n) },
      }));
    });
    const rule = this.OPTION1(() => this.SUBRULE(this.rule));
    return {
      kind: 'RuleCmd',
      verb: (verbTok && verbTok.image !== 'rule' ? verbTok.image : 'add') as A.Verb,
      explicitVerb: verbTok !== undefined,
      table,
      chain,
      placement,
      rule,
      span: this.spanFrom(start),
    };
  });

  /** delete / destroy: objects by name or handle, rules by handle, elements, devices. */
  private deleteCmd = this.RULE('deleteCmd', (): A.TopItem => {
    const start = this.LA(1);
    const v = this.OR([{ ALT: () => this.CONSUME(kw('delete')) }, { ALT: () => this.CONSUME(kw('destroy')) }]);
    const verb = v.image as A.Verb;
    return this.OR1([
      {
        ALT: () => {
          this.CONSUME(kw('element'));
          const table = this.SUBRULE(this.tableSpec);
          const set = this.SUBRULE(this.ident);
          const elements = this.SUBRULE(this.setLiteral);
          return { kind: 'ElementCmd' as const, verb, table, set, elements, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('rule'));
          const r = this.SUBRULE(this.ruleCmd, { ARGS: [v] });
          return this.ACTION(() => ({ ...r, verb }));
        },
      },
      {
        ALT: () => {
          const objTok = this.LA(1);
          const object = this.OR2([
            { ALT: () => this.CONSUME(kw('table')).image },
            { ALT: () => this.CONSUME(kw('chain')).image },
            { ALT: () => this.CONSUME(kw('set')).image },
            { ALT: () => this.CONSUME(kw('map')).image },
            { ALT: () => this.CONSUME(kw('flowtable')).image },
            { ALT: () => this.SUBRULE(this.objectType) as string },
          ]);
          const names: A.Ident[] = [];
          const args: A.Expr[] = [];
          let table: A.TableSpec | undefined;
          // [family] name [name] | [family] [table] handle N, then an optional `{ ... }` body.
          this.OPTION(() => {
            const f = this.SUBRULE(this.family);
            this.ACTION(() => (table = { family: f, span: f.span }));
          });
          this.MANY(() => {
            const n = this.SUBRULE1(this.ident);
            this.ACTION(() => names.push(n));
          });
          this.OPTION1(() => {
            this.CONSUME(kw('handle'));
            const n = this.CONSUME(T.NumberTok);
            this.ACTION(() => args.push({ kind: 'Number', text: n.image, span: tokSpan(n) }));
          });
          this.OPTION2(() => {
            const b = this.SUBRULE(this.genericBlock);
            this.ACTION(() => args.push(b));
          });
          return this.ACTION(() => {
            const t: A.TableSpec | undefined =
              object === 'table'
                ? { family: table?.family, name: names[0], span: this.spanFrom(objTok) }
                : names.length > 0
                  ? { family: table?.family, name: names[0], span: names[0].span }
                  : table;
            return {
              kind: 'OtherCmd' as const,
              verb,
              object,
              table: t,
              names: object === 'table' ? names.slice(1) : names.slice(1),
              args,
              span: this.spanFrom(start),
            };
          });
        },
      },
    ]);
  });

  /**
   * list, flush, reset, rename, get, describe, monitor, import, export: their operands
   * are names, families and a few words, so one permissive shape covers them.
   */
  private otherCmd = this.RULE('otherCmd', (): A.OtherCmd => {
    const start = this.LA(1);
    const v = this.OR([
      { ALT: () => this.CONSUME(kw('list')) },
      { ALT: () => this.CONSUME(kw('flush')) },
      { ALT: () => this.CONSUME(kw('reset')) },
      { ALT: () => this.CONSUME(kw('rename')) },
      { ALT: () => this.CONSUME(kw('get')) },
      { ALT: () => this.CONSUME(kw('monitor')) },
      { ALT: () => this.CONSUME(kw('import')) },
      { ALT: () => this.CONSUME(kw('export')) },
      { ALT: () => this.CONSUME(kw('describe')) },
    ]);
    const names: A.Ident[] = [];
    const args: A.Expr[] = [];
    let object: string | undefined;
    if (v.image === 'describe') {
      const e = this.SUBRULE(this.lhsExpr);
      this.ACTION(() => args.push(e));
    }
    this.MANY(() => {
      this.OR1([
        {
          ALT: () => {
            const t = this.CONSUME(T.AnyWord);
            this.ACTION(() => {
              if (object === undefined && t.tokenType !== T.Identifier) object = t.image;
              else names.push(identNode(t));
              // `reset set|map` goes by name only (parser_bison.y `reset_cmd`: set_spec, since the
              // kernel cannot look a set up by handle; by handle it crashed nft, bogon
              // null_set_name_crash).
              if (v.image === 'reset' && (object === 'set' || object === 'map') && t.tokenType === kw('handle')) {
                this.err('syntax error, unexpected handle, expecting string', tokSpan(t));
              }
            });
          },
        },
        {
          ALT: () => {
            const n = this.CONSUME(T.NumberTok);
            this.ACTION(() => args.push({ kind: 'Number', text: n.image, span: tokSpan(n) }));
          },
        },
        { ALT: () => this.CONSUME(T.QuotedString) },
        {
          ALT: () => {
            const b = this.SUBRULE(this.setLiteral);
            this.ACTION(() => args.push(b));
          },
        },
      ]);
    });
    return this.ACTION(() => ({
      kind: 'OtherCmd' as const,
      verb: v.image as A.Verb,
      object,
      names,
      args,
      span: this.spanFrom(start),
    }));
  });

  // ------------------------------------------------------------------ blocks

  private tableBody = this.RULE('tableBody', (): A.TableItem[] => {
    const items: A.TableItem[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      // A newline between items: what the separator alternative below would consume.
      if (!this.RECORDING_PHASE && this.takeSeparator()) return;
      this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const it = this.tryItem(() => this.SUBRULE(this.tableItem));
            this.ACTION(() => {
              if (it) items.push(it);
              this.requireSeparator(false);
            });
          },
        },
        { ALT: () => this.SUBRULE(this.unexpectedToken) },
      ] });
    });
    this.CONSUME(T.RBrace);
    return fitted(items);
  });

  /** tableItem's alternatives, made once (as statementChoice): the closures use nothing but `this`. */
  private tableItemChoice?: IOrAlt<A.TableItem>[];

  private tableItem = this.RULE('tableItem', (): A.TableItem => {
    return this.OR((this.tableItemChoice ??= [
      { ALT: () => this.SUBRULE(this.commonBlock) },
      {
        ALT: () => {
          const start = this.CONSUME(kw('chain'));
          const name = this.SUBRULE(this.ident);
          const body = this.SUBRULE(this.chainBody);
          return { kind: 'Chain' as const, verb: 'add' as const, explicitVerb: false, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const t = this.OR1([{ ALT: () => this.CONSUME(kw('set')) }, { ALT: () => this.CONSUME(kw('map')) }]);
          const name = this.SUBRULE1(this.ident);
          const body = this.SUBRULE(this.setBody);
          return this.ACTION(() => ({
            kind: 'Set' as const,
            isMap: t.image === 'map',
            verb: 'add' as const,
            explicitVerb: false,
            name,
            body,
            span: this.spanFrom(t),
          }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(kw('flowtable'));
          const name = this.SUBRULE2(this.ident);
          const body = this.SUBRULE(this.flowtableBody);
          return { kind: 'Flowtable' as const, verb: 'add' as const, explicitVerb: false, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const start = this.LA(1);
          const objectType = this.SUBRULE(this.objectType);
          const name = this.SUBRULE3(this.ident);
          const body = this.SUBRULE(this.objectBody);
          this.ACTION(() => objectType === 'tunnel' && this.checkTunnelBody(body));
          return { kind: 'Object' as const, objectType, verb: 'add' as const, explicitVerb: false, name, body, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('flags'));
          const value = this.SUBRULE(this.wordList);
          return { kind: 'Property' as const, key: 'flags', keySpan: tokSpan(k), value, span: this.spanFrom(k) };
        },
      },
      { ALT: () => this.SUBRULE(this.commentProp) },
    ]));
  });

  /** A token that cannot start a block item: reported, then skipped to the item's end. */
  private unexpectedToken = this.RULE('unexpectedToken', () => {
    const t = this.CONSUME(T.NotCloser);
    this.ACTION(() => {
      this.err(`syntax error, unexpected ${describeToken(t)}`, tokSpan(t));
      this.skipToSeparator();
    });
  });

  /** A comment's text: nft's `string`, quoted or a bare word (`comment wireguard`). */
  private commentText = this.RULE('commentText', (): IToken => {
    return this.OR([
      { ALT: () => this.CONSUME(T.QuotedString) },
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(T.AsteriskString) },
    ]);
  });

  private commentProp = this.RULE('commentProp', (): A.PropertySpec => {
    const k = this.CONSUME(kw('comment'));
    const s = this.SUBRULE(this.commentText);
    return this.ACTION(() => ({
      kind: 'Property' as const,
      key: 'comment',
      keySpan: tokSpan(k),
      value: { kind: 'String' as const, text: unquote(s.image), span: tokSpan(s) },
      span: sp(k, s),
    }));
  });

  /** `a, b, c` of words (flags lists). */
  private wordList = this.RULE('wordList', (): A.Expr => {
    const start = this.LA(1);
    const items: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const t = this.OR([{ ALT: () => this.CONSUME(T.AnyWord) }, { ALT: () => this.CONSUME(T.Dollar) }]);
        this.ACTION(() => items.push({ kind: 'Word', text: t.image, span: tokSpan(t) }));
        this.OPTION({
          GATE: () => this.ACTION(() => t.tokenType === T.Dollar),
          DEF: () => this.SUBRULE(this.ident),
        });
      },
    });
    return this.ACTION(() => (items.length === 1 ? items[0] : { kind: 'List' as const, items, span: this.spanFrom(start) }));
  });

  private chainBody = this.RULE('chainBody', (): A.ChainItem[] => {
    const items: A.ChainItem[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      if (!this.RECORDING_PHASE) {
        // The newline after each rule: what the separator alternative below would consume.
        if (this.takeSeparator()) return;
        // A plain rule: what the chainItem alternative below would read, through chainItem and rule.
        if (this.usePlainRules && this.chainRuleStarts.has(this.LA(1).tokenType)) {
          const plain = this.takePlainRule();
          if (plain) {
            items.push(plain);
            this.requireSeparator(false);
            return;
          }
        }
      }
      this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const it = this.tryItem(() => this.SUBRULE(this.chainItem));
            this.ACTION(() => {
              if (it) items.push(it);
              this.requireSeparator(false);
            });
          },
        },
        { ALT: () => this.SUBRULE(this.unexpectedToken) },
      ] });
    });
    this.CONSUME(T.RBrace);
    return fitted(items);
  });

  private chainItem = this.RULE('chainItem', (): A.ChainItem => {
    const start = this.LA(1);
    return this.OR([
      { ALT: () => this.SUBRULE(this.commonBlock) },
      {
        ALT: () => {
          this.CONSUME(kw('type'));
          const type = this.SUBRULE(this.ident);
          this.CONSUME(kw('hook'));
          const hook = this.SUBRULE1(this.ident);
          let device: A.Expr | undefined;
          let devices: A.Expr | undefined;
          this.OPTION(() => {
            this.OR1([
              {
                ALT: () => {
                  this.CONSUME(kw('device'));
                  device = this.SUBRULE(this.deviceValue);
                },
              },
              {
                ALT: () => {
                  this.CONSUME(kw('devices'));
                  this.CONSUME(T.Assign);
                  devices = this.SUBRULE(this.devicesValue);
                },
              },
            ]);
          });
          this.CONSUME(kw('priority'));
          const priority = this.SUBRULE(this.priorityValue);
          return { kind: 'ChainHook' as const, type, hook, device, devices, priority, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('policy'));
          const value = this.OR2([
            { ALT: () => this.SUBRULE(this.verdictWordValue) },
            { ALT: () => this.SUBRULE(this.variable) },
          ]);
          return { kind: 'Policy' as const, value, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('flags'));
          const value = this.SUBRULE(this.wordList);
          return { kind: 'Property' as const, key: 'flags', keySpan: tokSpan(k), value, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME1(kw('devices'));
          this.CONSUME1(T.Assign);
          const d = this.SUBRULE1(this.devicesValue);
          return { kind: 'Devices' as const, devices: d, span: this.spanFrom(start) };
        },
      },
      { ALT: () => this.SUBRULE(this.commentProp) },
      { ALT: () => this.SUBRULE(this.rule) },
    ]);
  });

  private verdictWordValue = this.RULE('verdictWordValue', (): A.Expr => {
    const t = this.OR([{ ALT: () => this.CONSUME(kw('accept')) }, { ALT: () => this.CONSUME(kw('drop')) }]);
    return keywordValueNode(t);
  });

  private deviceValue = this.RULE('deviceValue', (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.variable) },
      {
        ALT: () => {
          const t = this.OR1([
            { ALT: () => this.CONSUME(T.Word) },
            { ALT: () => this.CONSUME(T.QuotedString) },
            { ALT: () => this.CONSUME(T.AsteriskString) },
          ]);
          return this.ACTION(() =>
            t.tokenType === T.QuotedString
              ? { kind: 'String' as const, text: unquote(t.image), span: tokSpan(t) }
              : { kind: 'Word' as const, text: t.image, span: tokSpan(t) },
          );
        },
      },
    ]);
  });

  private devicesValue = this.RULE('devicesValue', (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.setLiteral) },
      { ALT: () => this.SUBRULE(this.variable) },
    ]);
  });

  /** `priority` value: a signed number, `$var`, or a standard name with `+ N` / `- N`. */
  private priorityValue = this.RULE('priorityValue', (): A.Expr => {
    const start = this.LA(1);
    return this.OR([
      { ALT: () => this.SUBRULE(this.variable) },
      {
        ALT: () => {
          const n = this.CONSUME(T.NumberTok);
          return { kind: 'Number' as const, text: n.image, span: tokSpan(n) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Dash);
          const n = this.CONSUME1(T.NumberTok);
          return this.ACTION(() => ({
            kind: 'Neg' as const,
            operand: { kind: 'Number' as const, text: n.image, span: tokSpan(n) },
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          const w = this.CONSUME(T.Word);
          const base: A.Expr = { kind: 'Word', text: w.image, span: tokSpan(w) };
          const off = this.OPTION(() => {
            const op = this.OR1([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME1(T.Dash) }]);
            const n = this.CONSUME2(T.NumberTok);
            return this.ACTION(() => ({ op: op.image, n }));
          });
          return this.ACTION(() => {
            if (!off) return base;
            const num: A.Expr = { kind: 'Number', text: off.n.image, span: tokSpan(off.n) };
            // `name ± N` is Binary('+', name, ±N): the right side carries the sign (ast.ts BinaryOp).
            return {
              kind: 'Binary' as const,
              op: '+' as A.BinaryOp,
              left: base,
              right: off.op === '+' ? num : { kind: 'Neg' as const, operand: num, span: num.span },
              span: this.spanFrom(start),
            };
          });
        },
      },
    ]);
  });

  private setBody = this.RULE('setBody', (): A.SetItem[] => {
    const items: A.SetItem[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const it = this.tryItem(() => this.SUBRULE(this.setItem));
            this.ACTION(() => {
              if (!it) return;
              items.push(it);
              // `elements = {…}` and `auto-merge` need no separator (parser_bison.y set_block).
              const free = it.kind === 'Elements' || (it.kind === 'Property' && it.key === 'auto-merge');
              if (!free) this.requireSeparator(false);
            });
          },
        },
        { ALT: () => this.SUBRULE(this.unexpectedToken) },
      ] });
    });
    this.CONSUME(T.RBrace);
    return fitted(items);
  });

  private setItem = this.RULE('setItem', (): A.SetItem => {
    const start = this.LA(1);
    return this.OR([
      { ALT: () => this.SUBRULE(this.commonBlock) },
      {
        ALT: () => {
          const isTypeof = this.OR1([
            { ALT: () => (this.CONSUME(kw('type')), false) },
            { ALT: () => (this.CONSUME(kw('typeof')), true) },
          ]);
          const key = this.SUBRULE(this.setTypeExpr, { ARGS: [isTypeof] });
          let data: A.Expr | undefined;
          let dataInterval = false;
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.OPTION1(() => {
              this.CONSUME(kw('interval'));
              dataInterval = true;
            });
            data = this.SUBRULE1(this.setTypeExpr, { ARGS: [isTypeof] });
          });
          return { kind: 'SetType' as const, typeof: isTypeof, key, data, dataInterval, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('flags'));
          const value = this.SUBRULE(this.wordList);
          return { kind: 'Property' as const, key: 'flags', keySpan: tokSpan(k), value, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const k = this.OR2([
            { ALT: () => this.CONSUME(kw('timeout')) },
            { ALT: () => this.CONSUME(kw('gc-interval')) },
            { ALT: () => this.CONSUME(kw('size')) },
          ]);
          const value = this.SUBRULE(this.rhsPrimary);
          return this.ACTION(() => ({
            kind: 'Property' as const,
            key: k.image,
            keySpan: tokSpan(k),
            value,
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('policy'));
          const v = this.CONSUME(T.Word);
          return this.ACTION(() => ({
            kind: 'Property' as const,
            key: 'policy',
            keySpan: tokSpan(k),
            value: { kind: 'Word' as const, text: v.image, span: tokSpan(v) },
            span: this.spanFrom(start),
          }));
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('auto-merge'));
          return { kind: 'Property' as const, key: 'auto-merge', keySpan: tokSpan(k), span: tokSpan(k) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('elements'));
          this.CONSUME(T.Assign);
          const elements = this.OR3([
            { ALT: () => this.SUBRULE(this.setLiteral) },
            { ALT: () => this.SUBRULE(this.variable) },
          ]);
          return { kind: 'Elements' as const, elements, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          // Several per line are allowed: `limit rate 1/second counter` (1.0.7+).
          const statement = this.SUBRULE(this.statefulStmt);
          this.MANY(() => this.SUBRULE1(this.statefulStmt));
          return { kind: 'Stateful' as const, statement, span: this.spanFrom(start) };
        },
      },
      { ALT: () => this.SUBRULE(this.commentProp) },
    ]);
  });

  /**
   * `type ipv4_addr . inet_service`, `typeof ip saddr . tcp dport`, and map data
   * (`verdict`, `counter`, `ct helper`...).
   */
  private setTypeExpr = this.RULE('setTypeExpr', (isTypeof: boolean): A.Expr => {
    const start = this.LA(1);
    const parts: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Dot,
      DEF: () => {
        const e = this.OR([
          {
            GATE: () => isTypeof === true,
            ALT: () => this.SUBRULE(this.lhsBinop),
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.AnyWord);
              // `ct helper` etc. as object-map data.
              const t2 = this.OPTION({
                GATE: () => this.ACTION(() => t.image === 'ct'),
                DEF: () => this.CONSUME1(T.AnyWord),
              });
              return this.ACTION(() => ({
                kind: 'Word' as const,
                text: t2 ? `${t.image} ${t2.image}` : t.image,
                span: sp(t, t2 ?? t),
              }));
            },
          },
        ]);
        this.ACTION(() => parts.push(e));
      },
    });
    return this.ACTION(() => (parts.length === 1 ? parts[0] : { kind: 'Concat' as const, parts, span: this.spanFrom(start) }));
  });

  private flowtableBody = this.RULE('flowtableBody', (): A.FlowtableItem[] => {
    const items: A.FlowtableItem[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const it = this.tryItem(() => this.SUBRULE(this.flowtableItem));
            this.ACTION(() => {
              if (!it) return;
              items.push(it);
              // `counter` in a flowtable needs no separator (parser_bison.y flowtable_block).
              if (!(it.kind === 'Property' && it.key === 'counter')) this.requireSeparator(false);
            });
          },
        },
        { ALT: () => this.SUBRULE(this.unexpectedToken) },
      ] });
    });
    this.CONSUME(T.RBrace);
    return fitted(items);
  });

  private flowtableItem = this.RULE('flowtableItem', (): A.FlowtableItem => {
    const start = this.LA(1);
    return this.OR([
      { ALT: () => this.SUBRULE(this.commonBlock) },
      {
        ALT: () => {
          this.CONSUME(kw('hook'));
          const hook = this.SUBRULE(this.ident);
          const priority = this.OPTION(() => {
            this.CONSUME(kw('priority'));
            return this.SUBRULE(this.priorityValue);
          });
          return { kind: 'FlowtableHook' as const, hook, priority, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('devices'));
          this.CONSUME(T.Assign);
          const devices = this.SUBRULE(this.devicesValue);
          return { kind: 'Devices' as const, devices, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('counter'));
          return { kind: 'Property' as const, key: 'counter', keySpan: tokSpan(k), span: tokSpan(k) };
        },
      },
      {
        ALT: () => {
          const k = this.CONSUME(kw('flags'));
          const value = this.SUBRULE(this.wordList);
          return { kind: 'Property' as const, key: 'flags', keySpan: tokSpan(k), value, span: this.spanFrom(start) };
        },
      },
      { ALT: () => this.SUBRULE(this.commentProp) },
    ]);
  });

  /** Object blocks (counter, quota, limit, ct helper/timeout/expectation, secmark, synproxy, tunnel). */
  private objectBody = this.RULE('objectBody', (): A.ObjectItem[] => {
    const items: A.ObjectItem[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.separator) },
          { ALT: () => this.SUBRULE(this.commonBlock) },
          {
            ALT: () => {
              const p = this.tryItem(() => this.SUBRULE(this.objectProperty));
              this.ACTION(() => p && items.push(p));
            },
          },
        ],
      });
    });
    this.CONSUME(T.RBrace);
    return fitted(items);
  });

  /** One `key value...` run inside an object block; values are kept as written. */
  private objectProperty = this.RULE('objectProperty', (): A.PropertySpec => {
    const start = this.LA(1);
    const values: A.Expr[] = [];
    let key = '';
    this.AT_LEAST_ONE(() => {
      const e = this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        {
          ALT: () => {
            const t = this.CONSUME(T.AnyWord);
            return this.ACTION(() => {
              if (!key) key = t.image;
              return { kind: 'Word' as const, text: t.image, span: tokSpan(t) };
            });
          },
        },
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.SUBRULE(this.genericBlock) },
        { ALT: () => this.SUBRULE(this.variable) },
        {
          ALT: () => {
            const t = this.OR1([
              { ALT: () => this.CONSUME(T.Assign) },
              { ALT: () => this.CONSUME(T.Colon) },
              { ALT: () => this.CONSUME(T.Slash) },
              { ALT: () => this.CONSUME(T.Comma) },
              { ALT: () => this.CONSUME(T.Dash) },
              { ALT: () => this.CONSUME(T.Dot) },
            ]);
            return this.ACTION(() => ({ kind: 'Word' as const, text: t.image, span: tokSpan(t) }));
          },
        },
      ] });
      this.ACTION(() => values.push(e));
    });
    return this.ACTION(() => ({
      kind: 'Property' as const,
      key: key || 'value',
      keySpan: values[0]?.span ?? tokSpan(start),
      value: values.length === 1 ? values[0] : { kind: 'List' as const, items: values, span: this.spanFrom(start) },
      span: this.spanFrom(start),
    }));
  });

  /**
   * Tunnel object bodies (1.1.6+, parser_bison.y tunnel_block): `id N`, `ip|ip6 saddr|daddr
   * ADDR`, `sport N`, `dport N`, `ttl N`, `tos N`, `erspan|vxlan|geneve { … }`, one per line.
   * Object bodies are parsed as plain word runs, so the shape is checked here.
   */
  private checkTunnelBody(body: A.ObjectItem[] | undefined): void {
    for (const item of body ?? []) {
      if (item.kind !== 'Property' || !item.value) continue;
      const parts = item.value.kind === 'List' ? item.value.items : [item.value];
      const want = TUNNEL_KEYS[item.key];
      if (want === undefined) {
        this.err(`syntax error, unexpected ${item.key}, expecting ${Object.keys(TUNNEL_KEYS).join(', ')}`, parts[0].span);
        continue;
      }
      if (item.key === 'ip' || item.key === 'ip6') {
        const dir = parts[1];
        if (!dir || dir.kind !== 'Word' || (dir.text !== 'saddr' && dir.text !== 'daddr')) {
          this.err(`syntax error, expecting saddr or daddr after ${item.key}`, (dir ?? parts[0]).span);
          continue;
        }
      }
      if (parts.length > want) this.err(`syntax error, unexpected ${exprText(parts[want])}, expecting newline or semicolon`, parts[want].span);
      else if (parts.length < want) this.err(`syntax error, '${item.key}' needs a value`, item.span);
    }
  }

  /** `{ ... }` with anything balanced inside (object sub-blocks, `delete chain ... { devices = ... }`). */
  private genericBlock = this.RULE('genericBlock', (): A.Expr => {
    return this.OR([
      {
        ALT: () => {
          const b = this.CONSUME(T.ElementBlock);
          return this.ACTION(() => ({ kind: 'SetLiteral' as const, elements: (b as ElementBlockToken).payload ?? [], span: tokSpan(b) }));
        },
      },
      { ALT: () => this.SUBRULE(this.braceBlock) },
    ]);
  });

  private braceBlock = this.RULE('braceBlock', (): A.Expr => {
    const start = this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.genericBlock) },
        { ALT: () => this.CONSUME(T.AnyWord) },
        { ALT: () => this.CONSUME(T.NumberTok) },
        { ALT: () => this.CONSUME(T.Address) },
        { ALT: () => this.CONSUME(T.QuotedString) },
        { ALT: () => this.CONSUME(T.AsteriskString) },
        { ALT: () => this.CONSUME(T.Newline) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        { ALT: () => this.CONSUME(T.Assign) },
        { ALT: () => this.CONSUME(T.Colon) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Dash) },
        { ALT: () => this.CONSUME(T.Dot) },
        { ALT: () => this.CONSUME(T.Dollar) },
        { ALT: () => this.CONSUME(T.At) },
      ]);
    });
    const end = this.CONSUME(T.RBrace);
    return { kind: 'SetLiteral', elements: [], span: sp(start, end) };
  });

  /** Inline object data: `counter t c packets 1 bytes 2`, `quota t q over 1 mbytes`. */
  private objectInline = this.RULE('objectInline', (): A.ObjectItem[] => {
    const p = this.SUBRULE(this.objectProperty);
    return this.ACTION(() => (p ? [p] : []));
  });

  // ------------------------------------------------------------------ rules and statements

  public rule = this.RULE('rule', (): A.Rule => {
    if (!this.RECORDING_PHASE && this.usePlainRules) {
      const plain = this.takePlainRule();
      if (plain) return plain;
    }
    const start = this.LA(1);
    const statements: A.Statement[] = [];
    this.AT_LEAST_ONE(() => {
      const s = this.SUBRULE(this.statement);
      this.ACTION(() => s && statements.push(s));
    });
    const comment = this.OPTION(() => {
      this.CONSUME(kw('comment'));
      const s = this.SUBRULE1(this.commentText);
      return this.ACTION(() => ({ kind: 'String' as const, text: unquote(s.image), span: tokSpan(s) }));
    });
    return { kind: 'Rule', statements: fitted(statements), comment, span: this.spanFrom(start) };
  });

  /**
   * The statement rule's alternatives, made once: an OR's array of alternatives is otherwise
   * rebuilt on every call (Chevrotain's performance guide), and this one runs for every
   * statement of a ruleset (17 objects and 17 closures each time, about 100 MB on the bench
   * file). The closures use nothing but `this`.
   */
  private statementChoice?: OrMethodOpts<A.Statement>;

  private statement = this.RULE('statement', (): A.Statement => {
    // Order matters where a keyword starts both a statement and a selector
    // (`ct count` vs `ct state`, `tunnel name` vs `tunnel path`): the specific one first.
    return this.OR((this.statementChoice ??= { IGNORE_AMBIGUITIES: true, DEF: [
      { ALT: () => this.SUBRULE(this.verdictStmt) },
      {
        // `ct count …` is a statement, `ct state …` a selector: the second word decides.
        GATE: () => this.LA(1).image !== 'ct' || this.LA(2).image === 'count',
        ALT: () => this.SUBRULE(this.statefulStmt),
      },
      { ALT: () => this.SUBRULE(this.logStmt) },
      { ALT: () => this.SUBRULE(this.rejectStmt) },
      { ALT: () => this.SUBRULE(this.natStmt) },
      { ALT: () => this.SUBRULE(this.flowStmt) },
      { ALT: () => this.SUBRULE(this.simpleStmt) },
      { ALT: () => this.SUBRULE(this.queueStmt) },
      { ALT: () => this.SUBRULE(this.dupFwdStmt) },
      { ALT: () => this.SUBRULE(this.meterStmt) },
      { ALT: () => this.SUBRULE(this.synproxyStmt) },
      { ALT: () => this.SUBRULE(this.setUpdateStmt) },
      { ALT: () => this.SUBRULE(this.legacySetStmt) },
      { ALT: () => this.SUBRULE(this.resetOptionStmt) },
      { GATE: () => this.LA(2).image === 'name', ALT: () => this.SUBRULE(this.objrefStmt) },
      { ALT: () => this.SUBRULE(this.xtStmt) },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ] }));
  });

  private verdictStmt = this.RULE('verdictStmt', (): A.VerdictStmt => {
    const v = this.SUBRULE(this.verdict);
    return this.ACTION(() => ({ kind: 'Verdict' as const, verdict: v.verdict, target: v.target, span: v.span }));
  });

  /** accept | drop | continue | return | jump TARGET | goto TARGET */
  private verdict = this.RULE('verdict', (): A.VerdictExpr => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          const t = this.OR1([
            { ALT: () => this.CONSUME(kw('accept')) },
            { ALT: () => this.CONSUME(kw('drop')) },
            { ALT: () => this.CONSUME(kw('continue')) },
            { ALT: () => this.CONSUME(kw('return')) },
          ]);
          return this.ACTION(() => ({ kind: 'Verdict' as const, verdict: t.image as A.VerdictKind, span: tokSpan(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(kw('jump')) }, { ALT: () => this.CONSUME(kw('goto')) }]);
          const target = this.OR3([
            { ALT: () => this.SUBRULE(this.identOrString) },
            { ALT: () => this.SUBRULE(this.variable) },
            { ALT: () => this.SUBRULE(this.anonChain) },
          ]);
          return this.ACTION(() => ({
            kind: 'Verdict' as const,
            verdict: t.image as A.VerdictKind,
            target: target as A.Ident | A.VarExpr | A.AnonChain,
            span: this.spanFrom(start),
          }));
        },
      },
    ]);
  });

  private anonChain = this.RULE('anonChain', (): A.AnonChain => {
    const start = this.CONSUME(T.LBrace);
    const rules: A.Rule[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.separator) },
        {
          ALT: () => {
            const r = this.tryItem(() => this.SUBRULE(this.rule));
            this.ACTION(() => {
              if (r) rules.push(r);
              this.requireSeparator(false);
            });
          },
        },
      ]);
    });
    const end = this.CONSUME(T.RBrace);
    return { kind: 'AnonChain', rules, span: sp(start, end) };
  });

  /** counter, limit, quota, ct count, last: the statements allowed in set elements and set bodies too. */
  private statefulStmt = this.RULE('statefulStmt', (): A.Statement => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('counter'));
          let packets: string | undefined;
          let bytes: string | undefined;
          let ref: A.Expr | undefined;
          this.OPTION(() => {
            this.OR1([
              {
                ALT: () => {
                  this.CONSUME(kw('name'));
                  ref = this.SUBRULE(this.objName);
                },
              },
              {
                ALT: () => {
                  this.AT_LEAST_ONE(() => {
                    const k = this.OR2([{ ALT: () => this.CONSUME(kw('packets')) }, { ALT: () => this.CONSUME(kw('bytes')) }]);
                    const n = this.CONSUME(T.NumberTok);
                    this.ACTION(() => {
                      if (k.image === 'packets') packets = n.image;
                      else bytes = n.image;
                    });
                  });
                },
              },
            ]);
          });
          return { kind: 'Counter' as const, ref, packets, bytes, span: this.spanFrom(start) };
        },
      },
      { ALT: () => this.SUBRULE(this.limitStmt) },
      { ALT: () => this.SUBRULE(this.quotaStmt) },
      {
        ALT: () => {
          this.CONSUME(kw('ct'));
          this.CONSUME(kw('count'));
          const args: A.Expr[] = [];
          const words = ['count'];
          this.OPTION1(() => {
            this.CONSUME(kw('over'));
            words.push('over');
          });
          const n = this.CONSUME1(T.NumberTok);
          this.ACTION(() => args.push({ kind: 'Number', text: n.image, span: tokSpan(n) }));
          return { kind: 'Generic' as const, keyword: 'ct count', args, words, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('last'));
          const args: A.Expr[] = [];
          this.OPTION2(() => {
            this.CONSUME(kw('used'));
            const v = this.OR3([
              { ALT: () => this.CONSUME(T.Word) },
              { ALT: () => this.CONSUME(T.Address) },
              { ALT: () => this.CONSUME2(T.NumberTok) },
            ]);
            this.ACTION(() => {
              if (v.tokenType !== T.Address && v.image !== 'never')
                this.err(`syntax error, unexpected ${describeToken(v)}, expecting never or a time such as 1h30m`, tokSpan(v));
              args.push({ kind: 'Word', text: v.image, span: tokSpan(v) });
            });
          });
          return { kind: 'Generic' as const, keyword: 'last', args, words: [], span: this.spanFrom(start) };
        },
      },
    ]);
  });

  /** `name NAME` / `name $var` / `name "quoted"` after counter/quota/limit/synproxy. */
  private objName = this.RULE('objName', (): A.Expr => {
    return this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
      // `counter name ip saddr map { … : "name" }` (object maps)
      { GATE: () => looksLikeSelector(this), ALT: () => this.SUBRULE(this.stmtExpr) },
      { ALT: () => this.SUBRULE(this.variable) },
      {
        ALT: () => {
          const i = this.SUBRULE(this.identOrString);
          return this.ACTION(() => ({ kind: 'Word' as const, text: i.text, span: i.span }));
        },
      },
    ] });
  });

  /**
   * `limit rate [over|until] N/UNIT [burst N packets]`,
   * `limit rate [over|until] N bytes|kbytes|mbytes/UNIT [burst N bytes|kbytes|mbytes]`,
   * `limit name NAME`. The byte unit and time unit may be one word (`mbytes/second`),
   * because nft's words may contain `/`.
   */
  private limitStmt = this.RULE('limitStmt', (): A.LimitStmt => {
    const start = this.CONSUME(kw('limit'));
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('name'));
          const ref = this.SUBRULE(this.objName);
          return { kind: 'Limit' as const, ref, over: false, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('rate'));
          const res = this.SUBRULE(this.rateSpec);
          return this.ACTION(() => ({ kind: 'Limit' as const, ...res, span: this.spanFrom(start) }));
        },
      },
    ]);
  });

  private rateSpec = this.RULE('rateSpec', (): Omit<A.LimitStmt, 'kind' | 'span'> => {
    let over = false;
    this.OPTION(() => {
      const t = this.OR([{ ALT: () => this.CONSUME(kw('over')) }, { ALT: () => this.CONSUME(kw('until')) }]);
      over = this.ACTION(() => t.image === 'over');
    });
    const n = this.CONSUME(T.NumberTok);
    let unit = '';
    let isBytes = false;
    this.OR1([
      {
        ALT: () => {
          this.CONSUME(T.Slash);
          const u = this.SUBRULE(this.timeUnit);
          this.ACTION(() => (unit = u.image));
        },
      },
      {
        ALT: () => {
          // `mbytes/second` (one word) or `mbytes / second`
          const b = this.CONSUME(T.Word);
          isBytes = true;
          const u2 = this.OR3([
            {
              // `bytes / second`
              ALT: () => {
                this.CONSUME1(T.Slash);
                return this.SUBRULE1(this.timeUnit);
              },
            },
            {
              // `1025bytes/ second`: the word took the slash (words may contain `/`).
              GATE: () => this.ACTION(() => b.image.endsWith('/')),
              ALT: () => this.SUBRULE2(this.timeUnit),
            },
            { ALT: () => undefined },
          ]);
          this.ACTION(() => {
            unit = u2 ? `${b.image.replace(/\/$/, '')}/${u2.image}` : b.image;
            const [bu, tu] = unit.split('/');
            if (!BYTE_UNITS.has(bu) || !TIME_UNITS.has(tu ?? ''))
              this.err(`syntax error, invalid rate unit '${unit}': expecting N/UNIT or N bytes|kbytes|mbytes/UNIT`, sp(b, this.LA(0)));
          });
        },
      },
    ]);
    let burst: string | undefined;
    this.OPTION2(() => {
      this.CONSUME(kw('burst'));
      const bn = this.CONSUME1(T.NumberTok);
      const bu = this.OPTION3(() => this.CONSUME1(T.Word));
      this.ACTION(() => {
        burst = bn.image;
        if (bu) {
          const isPkt = bu.image === 'packets';
          if (!isBytes && !isPkt) this.err(`syntax error, unexpected ${bu.image}, expecting packets`, tokSpan(bu));
          else if (isBytes && isPkt) this.err(`syntax error, unexpected packets, expecting bytes, kbytes or mbytes`, tokSpan(bu));
          else if (isBytes && !BYTE_UNITS.has(bu.image)) this.err(`syntax error, unexpected ${bu.image}, expecting bytes`, tokSpan(bu));
        }
      });
    });
    return { over, rate: this.ACTION(() => n.image), unit, burst };
  });

  private timeUnit = this.RULE('timeUnit', (): IToken => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(kw('hour')) },
      { ALT: () => this.CONSUME(kw('day')) },
    ]);
    this.ACTION(() => {
      if (!TIME_UNITS.has(t.image)) this.err(`syntax error, unexpected ${t.image}, expecting second, minute, hour, day or week`, tokSpan(t));
    });
    return t;
  });

  /** `quota [over|until] N UNIT [used N UNIT]`, `quota name NAME` */
  private quotaStmt = this.RULE('quotaStmt', (): A.QuotaStmt => {
    const start = this.CONSUME(kw('quota'));
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('name'));
          const ref = this.SUBRULE(this.objName);
          return { kind: 'Quota' as const, ref, over: false, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          let over = false;
          this.OPTION(() => {
            const t = this.OR1([{ ALT: () => this.CONSUME(kw('over')) }, { ALT: () => this.CONSUME(kw('until')) }]);
            over = this.ACTION(() => t.image === 'over');
          });
          this.CONSUME(T.NumberTok);
          this.SUBRULE(this.byteUnit);
          this.OPTION1(() => {
            this.CONSUME(kw('used'));
            this.CONSUME1(T.NumberTok);
            this.SUBRULE1(this.byteUnit);
          });
          return { kind: 'Quota' as const, over, span: this.spanFrom(start) };
        },
      },
    ]);
  });

  private byteUnit = this.RULE('byteUnit', () => {
    const t = this.CONSUME(T.Word);
    this.ACTION(() => {
      if (!BYTE_UNITS.has(t.image)) this.err(`syntax error, unexpected ${t.image}, expecting bytes, kbytes or mbytes`, tokSpan(t));
    });
  });

  /** `log [prefix S] [group N] [snaplen N] [queue-threshold N] [level L] [flags F[,F]...]` */
  private logStmt = this.RULE('logStmt', (): A.LogStmt => {
    const start = this.CONSUME(kw('log'));
    let prefix: A.StringExpr | undefined;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw('prefix'));
            const p = this.OR1([
              { ALT: () => this.CONSUME(T.QuotedString) },
              { ALT: () => this.CONSUME(T.Word) },
              {
                ALT: () => {
                  this.CONSUME(T.Dollar);
                  return this.CONSUME1(T.Word);
                },
              },
            ]);
            this.ACTION(() => (prefix = { kind: 'String', text: unquote(p.image), span: tokSpan(p) }));
          },
        },
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(kw('group')) },
              { ALT: () => this.CONSUME(kw('snaplen')) },
              { ALT: () => this.CONSUME(kw('queue-threshold')) },
            ]);
            this.CONSUME(T.NumberTok);
          },
        },
        {
          ALT: () => {
            this.CONSUME(kw('level'));
            this.CONSUME2(T.Word);
          },
        },
        {
          ALT: () => {
            // `flags tcp sequence,options | ip options | skuid | ether | all`
            this.CONSUME(kw('flags'));
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME1(kw('tcp'));
                  this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Word) });
                },
              },
              {
                ALT: () => {
                  this.CONSUME1(kw('ip'));
                  this.CONSUME(kw('options'));
                },
              },
              { ALT: () => this.CONSUME4(T.Word) },
              { ALT: () => this.CONSUME(kw('skuid')) },
              { ALT: () => this.CONSUME(kw('ether')) },
              { ALT: () => this.CONSUME(kw('all')) },
            ]);
          },
        },
      ]);
    });
    return { kind: 'Log', prefix, span: this.spanFrom(start) };
  });

  /** `reject [with icmp|icmpv6|icmpx [type] CODE | with tcp reset]` */
  private rejectStmt = this.RULE('rejectStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('reject'));
    const words: string[] = [];
    const args: A.Expr[] = [];
    this.OPTION(() => {
      this.CONSUME(kw('with'));
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw('tcp'));
            this.CONSUME(kw('reset'));
            this.ACTION(() => words.push('tcp', 'reset'));
          },
        },
        {
          ALT: () => {
            const fam = this.OR1([
              { ALT: () => this.CONSUME(kw('icmp')) },
              { ALT: () => this.CONSUME(kw('icmpv6')) },
              { ALT: () => this.CONSUME(T.Word) },
            ]);
            this.OPTION1(() => this.CONSUME(kw('type')));
            const code = this.OR2([
              { ALT: () => this.CONSUME1(T.Word) },
              { ALT: () => this.CONSUME(T.NumberTok) },
              { ALT: () => this.CONSUME(T.Dollar) },
            ]);
            this.OPTION2({ GATE: () => this.ACTION(() => code.tokenType === T.Dollar), DEF: () => this.CONSUME2(T.Word) });
            this.ACTION(() => {
              words.push(fam.image);
              args.push({ kind: 'Word', text: code.image, span: tokSpan(code) });
              if (fam.tokenType === T.Identifier && fam.image !== 'icmpx')
                this.err(`syntax error, unexpected ${fam.image}, expecting icmp, icmpv6, icmpx or tcp`, tokSpan(fam));
            });
          },
        },
      ]);
    });
    return { kind: 'Generic', keyword: 'reject', args, words, span: this.spanFrom(start) };
  });

  /**
   * snat/dnat/masquerade/redirect. Forms (parser_bison.y nat_stmt_args):
   * `dnat [ip|ip6] [addr . port|prefix|interval] [to] EXPR[:PORT] [flags]`,
   * `masquerade [to :PORTS] [flags]`, `redirect [to [:]PORT] [flags]`.
   */
  private natStmt = this.RULE('natStmt', (): A.NatStmt => {
    const start = this.LA(1);
    const t = this.OR([
      { ALT: () => this.CONSUME(kw('snat')) },
      { ALT: () => this.CONSUME(kw('dnat')) },
      { ALT: () => this.CONSUME(kw('masquerade')) },
      { ALT: () => this.CONSUME(kw('redirect')) },
    ]);
    let family: string | undefined;
    let to: A.Expr | undefined;
    let port: A.Expr | undefined;
    this.OPTION({
      GATE: () => !T.tokenMatcher(this.LA(2), T.Word) || this.LA(2).image === 'to' || this.LA(2).image === 'addr' || this.LA(2).image === 'prefix',
      DEF: () => {
        const f = this.OR1([{ ALT: () => this.CONSUME(kw('ip')) }, { ALT: () => this.CONSUME(kw('ip6')) }]);
        this.ACTION(() => (family = f.image));
      },
    });
    // `addr . port`, `prefix`, `interval` qualifiers
    this.OPTION1(() => {
      this.OR2([
        {
          ALT: () => {
            this.CONSUME(kw('addr'));
            this.CONSUME(T.Dot);
            this.CONSUME(kw('port'));
          },
        },
        { ALT: () => this.CONSUME(kw('prefix')) },
        { ALT: () => this.CONSUME(kw('interval')) },
      ]);
    });
    this.OPTION2({
      // `masquerade persistent,random`: flags alone are not a target.
      GATE: () => !NAT_FLAGS.has(this.LA(1).image),
      DEF: () => {
        this.OPTION3(() => this.CONSUME(kw('to')));
        const t = this.SUBRULE(this.natTarget);
        this.ACTION(() => {
          to = t?.to;
          port = t?.port;
        });
      },
    });
    this.OPTION4(() => this.SUBRULE(this.natFlags));
    return this.ACTION(() => ({
      kind: 'Nat' as const,
      type: t.image as A.NatStmt['type'],
      family,
      to,
      port,
      span: this.spanFrom(start),
    }));
  });

  /** `ADDR`, `ADDR:PORT`, `:PORT`, `EXPR map {...}`, ranges. */
  private natTarget = this.RULE('natTarget', (): { to: A.Expr; port?: A.Expr } => {
    const start = this.LA(1);
    let base: A.Expr | undefined;
    let port: A.Expr | undefined;
    this.OR([
      {
        ALT: () => {
          base = this.SUBRULE(this.stmtExpr);
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            port = this.SUBRULE2(this.stmtExpr);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME1(T.Colon);
          base = port = this.SUBRULE1(this.stmtExpr);
        },
      },
    ]);
    return this.ACTION(() => ({ to: base ?? { kind: 'Error' as const, span: this.spanFrom(start) }, port }));
  });

  private natFlags = this.RULE('natFlags', () => {
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const f = this.OR([{ ALT: () => this.CONSUME(kw('random')) }, { ALT: () => this.CONSUME(T.Word) }]);
        this.ACTION(() => {
          if (!NAT_FLAGS.has(f.image)) this.err(`syntax error, unexpected ${f.image}, expecting random, fully-random or persistent`, tokSpan(f));
        });
      },
    });
  });

  /** `flow add @ft`, `flow offload @ft` (the name may be quoted). */
  private flowStmt = this.RULE('flowStmt', (): A.FlowOffloadStmt => {
    const start = this.CONSUME(kw('flow'));
    const op = this.OR([{ ALT: () => this.CONSUME(kw('add')) }, { ALT: () => this.CONSUME(kw('offload')) }]);
    this.CONSUME(T.At);
    const flowtable = this.SUBRULE(this.identOrString);
    this.ACTION(() => void op);
    return { kind: 'FlowOffload', flowtable, span: this.spanFrom(start) };
  });

  /** notrack, and bare keywords with no operands. */
  private simpleStmt = this.RULE('simpleStmt', (): A.GenericStmt => {
    const t = this.CONSUME(kw('notrack'));
    return { kind: 'Generic', keyword: 'notrack', args: [], words: [], span: tokSpan(t) };
  });

  /**
   * `queue [num N[-M]] [flags bypass,fanout | bypass,fanout]` (old form) or
   * `queue [flags F] to N | N-M | $v | EXPR map {…}`.
   */
  private queueStmt = this.RULE('queueStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('queue'));
    const words: string[] = [];
    const args: A.Expr[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw('num'));
            const e = this.SUBRULE(this.rhsRange);
            this.ACTION(() => {
              words.push('num');
              args.push(e);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(kw('flags'));
            this.SUBRULE(this.queueFlags);
          },
        },
        { ALT: () => this.SUBRULE1(this.queueFlags) },
        {
          ALT: () => {
            this.CONSUME(kw('to'));
            const e = this.OR1([
              {
                // `queue to symhash mod 2 [map {…}]`, `queue to numgen inc mod 4`
                GATE: () => ['numgen', 'jhash', 'symhash'].includes(this.LA(1).image),
                ALT: () => this.SUBRULE1(this.stmtExpr),
              },
              { ALT: () => this.SUBRULE1(this.rhsRange), GATE: () => !looksLikeSelector(this) },
              {
                ALT: () => {
                  // `queue to EXPR map { … }` (1.1.2+): a selector key needs a map.
                  const s = this.SUBRULE2(this.stmtExpr);
                  this.ACTION(() => {
                    if (s.kind !== 'Map') this.err(`syntax error, unexpected ${describeToken(this.LA(1))}, expecting . or map`, tokSpan(this.LA(1)));
                  });
                  return s;
                },
              },
            ]);
            this.ACTION(() => {
              words.push('to');
              args.push(e);
            });
          },
        },
      ]);
    });
    return { kind: 'Generic', keyword: 'queue', args, words, span: this.spanFrom(start) };
  });

  private queueFlags = this.RULE('queueFlags', () => {
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.OR([{ ALT: () => this.CONSUME(kw('bypass')) }, { ALT: () => this.CONSUME(kw('fanout')) }]),
    });
  });

  /** `dup to ADDR [device DEV]`, `fwd [ip|ip6] to ADDR|DEV [device DEV]`, `tproxy [ip|ip6] to [ADDR][:PORT]` */
  private dupFwdStmt = this.RULE('dupFwdStmt', (): A.GenericStmt => {
    const start = this.LA(1);
    const k = this.OR([
      { ALT: () => this.CONSUME(kw('dup')) },
      { ALT: () => this.CONSUME(kw('fwd')) },
      { ALT: () => this.CONSUME(kw('tproxy')) },
    ]);
    const args: A.Expr[] = [];
    const words: string[] = [];
    this.OPTION(() => {
      const f = this.OR1([{ ALT: () => this.CONSUME(kw('ip')) }, { ALT: () => this.CONSUME(kw('ip6')) }]);
      this.ACTION(() => words.push(f.image));
    });
    this.CONSUME(kw('to'));
    const target = this.SUBRULE(this.natTarget);
    this.ACTION(() => {
      if (!target) return;
      args.push(target.to);
      if (target.port && target.port !== target.to) args.push(target.port);
    });
    this.OPTION1(() => {
      this.CONSUME(kw('device'));
      const d = this.SUBRULE(this.stmtExpr);
      this.ACTION(() => {
        words.push('device');
        args.push(d);
      });
    });
    return this.ACTION(() => ({ kind: 'Generic' as const, keyword: k.image, args, words, span: this.spanFrom(start) }));
  });

  /** `meter NAME [size N] { KEY [timeout T] stmt }` (deprecated, still accepted). */
  private meterStmt = this.RULE('meterStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('meter'));
    const name = this.SUBRULE(this.ident);
    this.OPTION(() => {
      this.CONSUME(kw('size'));
      this.CONSUME(T.NumberTok);
    });
    this.CONSUME(T.LBrace);
    const key = this.SUBRULE(this.lhsExpr);
    const statements: A.Statement[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw('timeout'));
            this.SUBRULE(this.rhsPrimary);
          },
        },
        {
          ALT: () => {
            const s = this.SUBRULE(this.statefulStmt);
            this.ACTION(() => statements.push(s));
          },
        },
      ]);
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({
      kind: 'Generic' as const,
      keyword: 'meter',
      args: [{ kind: 'Word' as const, text: name.text, span: name.span }, key],
      words: [],
      statements,
      span: this.spanFrom(start),
    }));
  });

  /** `synproxy [mss N] [wscale N] [timestamp] [sack-perm]` */
  private synproxyStmt = this.RULE('synproxyStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('synproxy'));
    const words: string[] = [];
    const args: A.Expr[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('name'));
          const r = this.SUBRULE(this.objName);
          this.ACTION(() => {
            words.push('name');
            args.push(r);
          });
        },
      },
      {
        ALT: () => {
          this.MANY(() => {
            this.OR1([
              {
                ALT: () => {
                  const k = this.OR2([{ ALT: () => this.CONSUME(kw('mss')) }, { ALT: () => this.CONSUME(kw('wscale')) }]);
                  const n = this.CONSUME(T.NumberTok);
                  this.ACTION(() => {
                    words.push(k.image);
                    args.push({ kind: 'Number', text: n.image, span: tokSpan(n) });
                  });
                },
              },
              {
                ALT: () => {
                  const k = this.OR3([
                    { ALT: () => this.CONSUME(kw('timestamp')) },
                    { ALT: () => this.CONSUME(kw('sack-perm')) },
                    { ALT: () => this.CONSUME(kw('sack-permitted')) },
                  ]);
                  this.ACTION(() => words.push(k.image));
                },
              },
            ]);
          });
        },
      },
    ]);
    return { kind: 'Generic', keyword: 'synproxy', args, words, span: this.spanFrom(start) };
  });

  /** `add|update|delete @SET { KEY [stmts] [: VALUE] }` */
  private setUpdateStmt = this.RULE('setUpdateStmt', (): A.SetUpdateStmt => {
    const start = this.LA(1);
    const op = this.OR([
      { ALT: () => this.CONSUME(kw('add')) },
      { ALT: () => this.CONSUME(kw('update')) },
      { ALT: () => this.CONSUME(kw('delete')) },
    ]);
    this.CONSUME(T.At);
    const set = this.SUBRULE(this.identOrString);
    this.CONSUME(T.LBrace);
    const element = this.SUBRULE(this.setElement);
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({
      kind: 'SetUpdate' as const,
      op: op.image as 'add' | 'update' | 'delete',
      set,
      element: element?.key,
      value: element?.value,
      statements: element?.options,
      span: this.spanFrom(start),
    }));
  });

  /** Legacy `set add|update EXPR @SET`. */
  private legacySetStmt = this.RULE('legacySetStmt', (): A.SetUpdateStmt => {
    const start = this.CONSUME(kw('set'));
    const op = this.OR([{ ALT: () => this.CONSUME(kw('add')) }, { ALT: () => this.CONSUME(kw('update')) }]);
    const element = this.SUBRULE(this.lhsExpr);
    this.CONSUME(T.At);
    const set = this.SUBRULE(this.identOrString);
    return this.ACTION(() => ({
      kind: 'SetUpdate' as const,
      op: op.image as 'add' | 'update',
      set,
      element,
      span: this.spanFrom(start),
    }));
  });

  /** `reset tcp option NAME` */
  private resetOptionStmt = this.RULE('resetOptionStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('reset'));
    this.CONSUME(kw('tcp'));
    this.CONSUME(kw('option'));
    const o = this.OR([{ ALT: () => this.CONSUME(T.AnyWord) }, { ALT: () => this.CONSUME(T.NumberTok) }]);
    this.ACTION(() => {
      if (o.tokenType !== T.NumberTok && !TCP_OPTION_NAMES.has(o.image))
        this.err(`syntax error, unknown tcp option '${o.image}'`, tokSpan(o));
    });
    return this.ACTION(() => ({
      kind: 'Generic' as const,
      keyword: 'reset',
      args: [{ kind: 'Word' as const, text: o.image, span: tokSpan(o) }],
      words: ['tcp', 'option'],
      span: this.spanFrom(start),
    }));
  });

  /** `tunnel name NAME`, `secmark name NAME` (object references as statements). */
  private objrefStmt = this.RULE('objrefStmt', (): A.GenericStmt => {
    const start = this.LA(1);
    const k = this.OR([{ ALT: () => this.CONSUME(kw('tunnel')) }, { ALT: () => this.CONSUME(kw('secmark')) }]);
    this.CONSUME(kw('name'));
    const r = this.SUBRULE(this.objName);
    return this.ACTION(() => ({ kind: 'Generic' as const, keyword: k.image, args: [r], words: ['name'], span: this.spanFrom(start) }));
  });

  /** `xt match|target NAME ...`: printed by nft for iptables-nft rules, never accepted as input. */
  private xtStmt = this.RULE('xtStmt', (): A.GenericStmt => {
    const start = this.CONSUME(kw('xt'));
    const w = this.CONSUME(T.Word);
    const n = this.OR([{ ALT: () => this.CONSUME1(T.AnyWord) }, { ALT: () => this.CONSUME(T.QuotedString) }]);
    this.ACTION(() => {
      // nft refuses the name after `xt match|target` (the token it points at).
      this.err(`unsupported xtables compat expression \`xt ${w.image} ${n.image}\`: load this ruleset with iptables-nft`, tokSpan(n));
    });
    return { kind: 'Generic', keyword: 'xt', args: [], words: [], span: this.spanFrom(start) };
  });

  /**
   * A statement led by an expression: a match (`tcp dport 22`, `ct state != new`),
   * a set statement (`meta mark set 1`), or a verdict map (`ip saddr vmap @m`).
   */
  private exprStmt = this.RULE('exprStmt', (): A.Statement => {
    const start = this.LA(1);
    // A keyword path starts the usual match (`ip saddr …`): OR1 below would take lhsExpr for it.
    if (!this.RECORDING_PHASE && T.tokenMatcher(start, T.SelectorHead)) {
      const left = this.SUBRULE(this.lhsExpr);
      return this.SUBRULE(this.exprStmtTail, { ARGS: [left, start] });
    }
    let constantLeft = false;
    const left = this.OR1([
      { ALT: () => this.SUBRULE(this.lhsExpr) },
      {
        // nft's grammar lets a match start with a constant (`saddr @s`, `fullcone …`) and
        // refuses it only in evaluation; parsing it keeps our error where nft puts it.
        ALT: () => {
          const e = this.SUBRULE(this.constantLhs);
          constantLeft = true;
          return e;
        },
      },
    ]);
    const stmt = this.SUBRULE(this.exprStmtTail, { ARGS: [left, start] });
    this.ACTION(() => {
      if (!constantLeft) return;
      const head = left.kind === 'Concat' ? left.parts[0] : left;
      const text = head && 'text' in head ? String(head.text) : 'this';
      this.err(`'${text}' is a constant, not a selector: a match needs something like \`ip saddr\` on its left side`, head?.span ?? left.span);
    });
    return stmt;
  });

  /** A constant at the start of a match, possibly concatenated with selectors. */
  private constantLhs = this.RULE('constantLhs', (): A.Expr => {
    const start = this.LA(1);
    const first = this.SUBRULE(this.literal);
    return this.SUBRULE(this.concatRest, { ARGS: [first, start] });
  });

  private exprStmtTail = this.RULE('exprStmtTail', (left: A.Expr, start: IToken): A.Statement => {
    // The usual match has no operator and one plain value (`tcp dport 22`): the last alternative
    // below, built the same way (simpleRhs never starts with `set`, `vmap` or an operator).
    if (!this.RECORDING_PHASE) {
      const right = this.simpleRhs();
      if (right) return { kind: 'Match' as const, left, right, span: this.spanFrom(start) };
    }
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('set'));
          const value = this.SUBRULE(this.stmtExpr);
          return this.ACTION(() => {
            this.checkSetStatement(left, value);
            return { kind: 'Set' as const, target: left as A.SelectorExpr, value, span: this.spanFrom(start) };
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('vmap'));
          const map = this.SUBRULE(this.mapTarget);
          return this.ACTION(() => {
            const s = this.spanFrom(start);
            return {
              kind: 'Verdict' as const,
              verdict: 'jump' as A.VerdictKind,
              map: { kind: 'Map' as const, key: left, map, verdictMap: true, span: s },
              span: s,
            };
          });
        },
      },
      {
        ALT: () => {
          const op = this.SUBRULE(this.relOp);
          const right = this.SUBRULE(this.rhsList);
          return { kind: 'Match' as const, left, op, right, span: this.spanFrom(start) };
        },
      },
      {
        ALT: () => {
          const right = this.SUBRULE1(this.rhsList);
          return { kind: 'Match' as const, left, right, span: this.spanFrom(start) };
        },
      },
    ]);
  });

  /** What nft's grammar refuses in `X set Y` (parser_bison.y meta_stmt, ct_stmt, payload_stmt). */
  private checkSetStatement(left: A.Expr, value: A.Expr): void {
    if (value?.kind === 'SetLiteral') this.err("syntax error, unexpected '{': a set statement takes one value, not a set", value.span);
    if (left?.kind !== 'Selector') return;
    const head = left.path[0];
    if (['vxlan', 'geneve', 'gre', 'gretap'].includes(head) && left.path.length > 2)
      this.err(`syntax error, inner header fields after '${head}' cannot be set`, left.span);
    const metaKey = head === 'meta' ? left.path[1] : BARE_META_KEYS.has(head) ? head : undefined;
    if (metaKey && !SETTABLE_META_KEYS.has(metaKey))
      this.err(`syntax error, meta ${metaKey} cannot be set; settable keys are ${[...SETTABLE_META_KEYS].join(', ')}`, left.span);
  }

  private relOp = this.RULE('relOp', (): string => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.RelOp) }, { ALT: () => this.CONSUME(T.Bang) }, { ALT: () => this.CONSUME(kw('not')) }]);
    return this.ACTION(() => {
      const words: Record<string, string> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', not: '!' };
      return words[t.image] ?? t.image;
    });
  });

  /** `{ ... }`, `@name` or `$var` after map/vmap. */
  private mapTarget = this.RULE('mapTarget', (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.setLiteral) },
      { ALT: () => this.SUBRULE(this.setRef) },
      { ALT: () => this.SUBRULE(this.variable) },
    ]);
  });

  // ------------------------------------------------------------------ expressions

  /** Left-hand side: selectors, binary operators, concatenations. */
  public lhsExpr = this.RULE('lhsExpr', (): A.Expr => {
    const start = this.LA(1);
    if (!this.RECORDING_PHASE && T.tokenMatcher(start, T.SelectorHead) && !SELECTOR_FUNCTIONS.has(start.tokenType)) {
      // Fast path for the usual left side, a keyword path (`ip saddr`, `ct state`): straight to
      // pathSelector, which lhsBinop and selector would reach for this token anyway, then to what
      // follows only if it follows. Same nodes; not while Chevrotain records.
      let e: A.Expr = this.SUBRULE(this.pathSelector);
      if (BINOP_START.has(this.LA(1).tokenType)) e = this.SUBRULE(this.lhsBinopRest, { ARGS: [e, start] });
      return this.LA(1).tokenType === T.Dot ? this.SUBRULE(this.concatRest, { ARGS: [e, start] }) : e;
    }
    const first = this.SUBRULE(this.lhsBinop);
    return this.SUBRULE(this.concatRest, { ARGS: [first, start] });
  });

  /**
   * `. part . part …` after the first part of a left-hand side. Constants may be concatenated
   * with selectors (`ip saddr . 10.0.0.1 . 80 @s`).
   */
  private concatRest = this.RULE('concatRest', (first: A.Expr, start: IToken): A.Expr => {
    const parts: A.Expr[] = [first];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      const e = this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { GATE: () => looksLikeSelector(this), ALT: () => this.SUBRULE(this.lhsBinop) },
          { ALT: () => this.SUBRULE(this.rhsRange) },
        ],
      });
      this.ACTION(() => parts.push(e));
    });
    return this.ACTION(() => (parts.length === 1 ? parts[0] : { kind: 'Concat' as const, parts, span: this.spanFrom(start) }));
  });

  private lhsBinop = this.RULE('lhsBinop', (): A.Expr => {
    const start = this.LA(1);
    const first = this.OR([
      { ALT: () => this.SUBRULE(this.selector) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const e = this.SUBRULE(this.lhsExpr);
          this.CONSUME(T.RParen);
          return e;
        },
      },
    ]);
    return this.SUBRULE(this.lhsBinopRest, { ARGS: [first, start] });
  });

  /** `OP operand OP operand …` after the first operand of a left-hand side. */
  private lhsBinopRest = this.RULE('lhsBinopRest', (first: A.Expr, start: IToken): A.Expr => {
    let left = first;
    this.MANY(() => {
      const op = this.SUBRULE(this.binOp);
      const right = this.SUBRULE(this.operand);
      this.ACTION(() => {
        left = { kind: 'Binary', op, left, right, span: this.spanFrom(start) };
      });
    });
    return left;
  });

  /** Right operand of a binary operator on the left-hand side: a selector or a value. */
  private operand = this.RULE('operand', (): A.Expr => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => looksLikeSelector(this), ALT: () => this.SUBRULE(this.selector) },
        { ALT: () => this.SUBRULE(this.rhsPrimary) },
      ],
    });
  });

  private binOp = this.RULE('binOp', (): A.BinaryOp => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Amp) },
      { ALT: () => this.CONSUME(T.Pipe) },
      { ALT: () => this.CONSUME(T.Caret) },
      { ALT: () => this.CONSUME(T.Shl) },
      { ALT: () => this.CONSUME(T.Shr) },
      { ALT: () => this.CONSUME(kw('and')) },
      { ALT: () => this.CONSUME(kw('or')) },
      { ALT: () => this.CONSUME(kw('xor')) },
      { ALT: () => this.CONSUME(kw('lshift')) },
      { ALT: () => this.CONSUME(kw('rshift')) },
    ]);
    return this.ACTION(() => {
      const m: Record<string, A.BinaryOp> = { and: '&', or: '|', xor: '^', lshift: '<<', rshift: '>>' };
      return m[t.image] ?? (t.image as A.BinaryOp);
    });
  });

  /**
   * A selector: a keyword path walked through the tables in selectors.ts, or one of the
   * selectors with arguments (fib, numgen, jhash, symhash, raw payload).
   */
  private selector = this.RULE('selector', (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.fibExpr) },
      { ALT: () => this.SUBRULE(this.hashExpr) },
      { ALT: () => this.SUBRULE(this.rawPayload) },
      { ALT: () => this.SUBRULE(this.pathSelector) },
    ]);
  });

  private pathSelector = this.RULE('pathSelector', (): A.SelectorExpr => {
    const head = this.CONSUME(T.SelectorHead);
    const path: string[] = [];
    const pathStarts: number[] = [];
    const args: A.Expr[] = [];
    let node: SelectorNode | undefined;
    this.ACTION(() => {
      path.push(head.image);
      pathStarts.push(head.startOffset | 0);
      node = SELECTOR_ROOTS[head.image];
      if (!node && BARE_META_KEYS.has(head.image)) node = {}; // bare meta key: complete
    });
    this.MANY({
      GATE: () => continuesSelector(node, this.LA(1)),
      DEF: () => {
        this.OR1([
          {
            ALT: () => {
              const w = this.CONSUME(T.AnyWord);
              this.ACTION(() => {
                path.push(w.image);
                pathStarts.push(w.startOffset | 0);
                const parent = node;
                const child = parent?.children?.[w.image];
                node = child ?? (INNER_PROTOCOLS.has(w.image) && parent?.inner ? SELECTOR_ROOTS[w.image] : undefined);
                if (!node && parent) {
                  const want = childWords(parent);
                  const shown = want.slice(0, 12).join(', ') + (want.length > 12 ? ', …' : '');
                  this.err(`syntax error, unknown ${path.slice(0, -1).join(' ')} key '${w.image}', expecting ${shown}`, tokSpan(w));
                }
              });
            },
          },
          {
            ALT: () => {
              const n = this.CONSUME(T.NumberTok);
              this.ACTION(() => {
                args.push({ kind: 'Number', text: n.image, span: tokSpan(n) });
                node = node?.children ? { children: node.children, terminal: true } : {};
              });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.LBracket);
              const n = this.CONSUME1(T.NumberTok);
              this.CONSUME(T.RBracket);
              this.ACTION(() => {
                args.push({ kind: 'Number', text: n.image, span: tokSpan(n) });
                node = {};
              });
            },
          },
          {
            // `tcp option @N,OFF,LEN`
            ALT: () => {
              const r = this.SUBRULE(this.rawPayload);
              this.ACTION(() => {
                args.push(r);
                node = {};
              });
            },
          },
        ]);
      },
    });
    this.ACTION(() => {
      // In nft's TCP scanner state, option and field names stay keywords, so a
      // value spelled like one (`tcp option sack window`) is a syntax error.
      const next = this.LA(1);
      if (path[0] === 'tcp' && path[1] === 'option' && T.tokenMatcher(next, T.Word) && TCP_OPTION_WORDS.has(next.image))
        this.err(`syntax error, unexpected ${next.image}`, tokSpan(next));
      if (node && !isComplete(node)) {
        const t = this.LA(1);
        const want = childWords(node);
        const shown = want.slice(0, 12).join(', ') + (want.length > 12 ? ', …' : '');
        this.err(
          `syntax error, unexpected ${describeToken(t)} after '${path.join(' ')}', expecting ${shown || 'a field'}`,
          tokSpan(t),
        );
      }
    });
    return this.ACTION(() => ({ kind: 'Selector' as const, path: sharedPath(path), pathStarts: fitted(pathStarts), args: args.length ? fitted(args) : undefined, span: this.spanFrom(head) }));
  });

  /** `fib saddr . iif oif` */
  private fibExpr = this.RULE('fibExpr', (): A.SelectorExpr => {
    const start = this.CONSUME(kw('fib'));
    const path = ['fib'];
    const pathStarts: number[] = [start.startOffset | 0];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Dot,
      DEF: () => {
        const f = this.CONSUME(T.AnyWord);
        this.ACTION(() => {
          path.push(f.image);
          pathStarts.push(f.startOffset | 0);
          if (!FIB_FLAGS.has(f.image)) this.err(`syntax error, unexpected ${f.image}, expecting saddr, daddr, mark, iif or oif`, tokSpan(f));
        });
      },
    });
    const r = this.CONSUME1(T.AnyWord);
    this.ACTION(() => {
      path.push(r.image);
      pathStarts.push(r.startOffset | 0);
      if (!FIB_RESULTS.has(r.image)) this.err(`syntax error, unexpected ${r.image}, expecting oif, oifname, type or check`, tokSpan(r));
    });
    return { kind: 'Selector', path: sharedPath(path), pathStarts: fitted(pathStarts), span: this.spanFrom(start) };
  });

  /** `numgen inc|random mod N [offset N]`, `jhash EXPR mod N [seed N] [offset N]`, `symhash mod N [offset N]` */
  private hashExpr = this.RULE('hashExpr', (): A.FuncExpr => {
    const start = this.LA(1);
    const args: A.Expr[] = [];
    const options: A.FuncExpr['options'] = [];
    const name = this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('numgen'));
          const m = this.OR1([{ ALT: () => this.CONSUME(kw('inc')) }, { ALT: () => this.CONSUME(kw('random')) }]);
          this.ACTION(() => args.push({ kind: 'Word', text: m.image, span: tokSpan(m) }));
          return 'numgen';
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('jhash'));
          const e = this.SUBRULE(this.lhsExpr);
          this.ACTION(() => args.push(e));
          return 'jhash';
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('symhash'));
          return 'symhash';
        },
      },
    ]);
    this.CONSUME(kw('mod'));
    const m = this.CONSUME(T.NumberTok);
    this.ACTION(() => options.push({ key: 'mod', value: { kind: 'Number', text: m.image, span: tokSpan(m) }, span: tokSpan(m) }));
    this.MANY(() => {
      const k = this.OR2([{ ALT: () => this.CONSUME(kw('seed')) }, { ALT: () => this.CONSUME(kw('offset')) }]);
      const v = this.CONSUME1(T.NumberTok);
      this.ACTION(() => options.push({ key: k.image, value: { kind: 'Number', text: v.image, span: tokSpan(v) }, span: sp(k, v) }));
    });
    return { kind: 'Func', name, args, options, span: this.spanFrom(start) };
  });

  /** `@ll|nh|th|ih,OFFSET,LENGTH` */
  private rawPayload = this.RULE('rawPayload', (): A.RawPayloadExpr => {
    const start = this.CONSUME(T.At);
    const base = this.OR([{ ALT: () => this.CONSUME(T.Word) }, { ALT: () => this.CONSUME(kw('th')) }, { ALT: () => this.CONSUME(T.NumberTok) }]);
    this.CONSUME(T.Comma);
    const off = this.CONSUME1(T.NumberTok);
    this.CONSUME1(T.Comma);
    const len = this.CONSUME2(T.NumberTok);
    return this.ACTION(() => ({
      kind: 'RawPayload' as const,
      base: base.image,
      offset: { kind: 'Number' as const, text: off.image, span: tokSpan(off) },
      length: { kind: 'Number' as const, text: len.image, span: tokSpan(len) },
      span: this.spanFrom(start),
    }));
  });

  /**
   * Statement arguments (set values, nat targets): a selector-led expression with an
   * optional `map`, or a right-hand-side value.
   */
  private stmtExpr = this.RULE('stmtExpr', (): A.Expr => {
    const start = this.LA(1);
    return this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
      {
        GATE: () => looksLikeSelector(this),
        ALT: () => {
          const key = this.SUBRULE(this.lhsExpr);
          const m = this.OPTION(() => {
            this.CONSUME(kw('map'));
            return this.SUBRULE(this.mapTarget);
          });
          return this.ACTION(() => (m ? { kind: 'Map' as const, key, map: m, verdictMap: false, span: this.spanFrom(start) } : key));
        },
      },
      { ALT: () => this.SUBRULE(this.rhsList) },
    ] });
  });

  /** Right-hand side with bare comma lists: `established,related`. */
  private rhsList = this.RULE('rhsList', (): A.Expr => {
    if (!this.RECORDING_PHASE) {
      const simple = this.simpleRhs();
      if (simple) return simple;
    }
    const start = this.LA(1);
    const items: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const e = this.SUBRULE(this.rhsConcat);
        this.ACTION(() => items.push(e));
      },
    });
    return this.ACTION(() => (items.length === 1 ? items[0] : { kind: 'List' as const, items, span: this.spanFrom(start) }));
  });

  /**
   * Fast path for the most common right-hand sides: one value (`tcp dport 22`, `udp`, `ip saddr
   * 10.0.0.1`) or one prefix or range of plain values (`10.0.0.0/8`, `1024-65535`) with no
   * operator after it. The rules below would pass such a value up unchanged through five or more
   * sub-rules; this builds the node they would build (plainValue, keywordValue's, rhsRange's) from
   * the same tokens, and leaves anything else to them. Never used while Chevrotain records.
   */
  private simpleRhs(): A.Expr | undefined {
    const e = simpleRhsAt(this);
    if (!e) return undefined;
    for (let i = simpleRhsLength(e); i > 0; i--) this.SKIP_TOKEN();
    return e;
  }

  private rhsConcat = this.RULE('rhsConcat', (): A.Expr => {
    const start = this.LA(1);
    const parts: A.Expr[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Dot,
      DEF: () => {
        const e = this.SUBRULE(this.rhsRange);
        this.ACTION(() => parts.push(e));
      },
    });
    return this.ACTION(() => (parts.length === 1 ? parts[0] : { kind: 'Concat' as const, parts, span: this.spanFrom(start) }));
  });

  /** `a`, `a-b`, `a/len` (also flag masks `syn / syn,ack`). */
  private rhsRange = this.RULE('rhsRange', (): A.Expr => {
    const start = this.LA(1);
    let e = this.SUBRULE(this.rhsBinop);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dash);
            const to = this.SUBRULE1(this.rhsBinop);
            this.ACTION(() => (e = { kind: 'Range', from: e, to, span: this.spanFrom(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Slash);
            const len = this.SUBRULE2(this.rhsBinop);
            this.ACTION(() => (e = { kind: 'Prefix', base: e, length: len, span: this.spanFrom(start) }));
          },
        },
      ]);
    });
    return e;
  });

  private rhsBinop = this.RULE('rhsBinop', (): A.Expr => {
    const start = this.LA(1);
    let left = this.SUBRULE(this.rhsPrimary);
    this.MANY(() => {
      const op = this.SUBRULE(this.binOp);
      const right = this.SUBRULE1(this.operand);
      this.ACTION(() => {
        left = { kind: 'Binary', op, left, right, span: this.spanFrom(start) };
      });
    });
    return left;
  });

  /** A value: number, word, address, string, `$var`, `@set`, `{…}`, `*`, a keyword constant, `( … )`. */
  public rhsPrimary = this.RULE('rhsPrimary', (): A.Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.variable) },
      { ALT: () => this.SUBRULE(this.setRef) },
      { ALT: () => this.SUBRULE(this.setLiteral) },
      { ALT: () => this.SUBRULE(this.keywordValue) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Asterisk);
          return { kind: 'Wildcard' as const, span: tokSpan(t) };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const e = this.SUBRULE(this.rhsList);
          this.CONSUME(T.RParen);
          return e;
        },
      },
    ]);
  });

  private literal = this.RULE('literal', (): A.Expr => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.NumberTok) },
      { ALT: () => this.CONSUME(T.Address) },
      { ALT: () => this.CONSUME(T.QuotedString) },
      { ALT: () => this.CONSUME(T.AsteriskString) },
      { ALT: () => this.CONSUME(T.Word) },
    ]);
    // Every token here but a number, address or quoted string is a Word (AsteriskString too).
    return this.ACTION(() => plainValue(t));
  });

  /** Reserved words that nft still takes as values (keyword_expr, primary_rhs_expr). */
  private keywordValue = this.RULE('keywordValue', (): A.Expr => {
    const t = this.CONSUME(T.ValueKeyword);
    return keywordValueNode(t);
  });

  private variable = this.RULE('variable', (): A.VarExpr => {
    const d = this.CONSUME(T.Dollar);
    const name = this.SUBRULE(this.ident);
    return { kind: 'Var', name, span: this.spanFrom(d) };
  });

  private setRef = this.RULE('setRef', (): A.SetRefExpr => {
    const a = this.CONSUME(T.At);
    const name = this.SUBRULE(this.identOrString);
    return { kind: 'SetRef', name, span: this.spanFrom(a) };
  });

  /**
   * `{ elem, elem : value, ... }`. nft allows at most one newline after `{`, after each
   * `,` and before `}` (nft-grammar.md §4.3); a blank line inside is a syntax error.
   */
  public setLiteral = this.RULE('setLiteral', (): A.SetLiteralExpr => {
    return this.OR([
      {
        ALT: () => {
          const b = this.CONSUME(T.ElementBlock);
          return this.ACTION(() => ({
            kind: 'SetLiteral' as const,
            elements: (b as ElementBlockToken).payload ?? [],
            span: tokSpan(b),
          }));
        },
      },
      { ALT: () => this.SUBRULE(this.braceSetLiteral) },
    ]);
  });

  private braceSetLiteral = this.RULE('braceSetLiteral', (): A.SetLiteralExpr => {
    const start = this.CONSUME(T.LBrace);
    const elements: A.SetElement[] = [];
    this.SUBRULE(this.elementNewlines);
    this.ACTION(() => this.fastElements(elements));
    this.MANY(() => {
      const el = this.SUBRULE(this.setElement);
      this.ACTION(() => el && elements.push(el));
      this.SUBRULE1(this.elementNewlines);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.elementNewlines);
            this.ACTION(() => this.fastElements(elements));
          },
        },
        { ALT: () => undefined, GATE: () => this.LA(1).tokenType === T.RBrace },
      ]);
    });
    const end = this.CONSUME(T.RBrace);
    this.ACTION(() => {
      if (elements.length === 0) this.err("syntax error, unexpected '}': a set needs at least one element", tokSpan(end));
    });
    return { kind: 'SetLiteral', elements: fitted(elements), span: sp(start, end) };
  });

  /**
   * Fast path for long element lists (blocklists with 100k entries, verdict maps with
   * thousands): a run of plain `value`, `addr/len` or `a-b` elements, or `value : VERDICT`
   * map elements, each followed by a comma, is taken here without the grammar's sub-rule
   * calls. Anything else is left to `setElement`. Builds the nodes the grammar would.
   */
  private fastElements(out: A.SetElement[]): void {
    for (let e = plainElementAt(this); e; e = plainElementAt(this)) {
      for (let i = 0; i < e.len + 1; i++) this.SKIP_TOKEN(); // the element and its comma
      out.push(e.element);
      // At most one newline after a comma (nft-grammar.md §4.3).
      if (this.LA(1).tokenType === T.Newline) {
        this.SKIP_TOKEN();
        if (this.LA(1).tokenType === T.Newline) return; // let the grammar report it
      }
    }
  }

  private elementNewlines = this.RULE('elementNewlines', () => {
    let count = 0;
    this.MANY(() => {
      const t = this.CONSUME(T.Newline);
      this.ACTION(() => {
        count++;
        if (count === 2) this.err('syntax error, unexpected newline: a blank line is not allowed inside a set element list', tokSpan(t));
      });
    });
  });

  /** One element: `KEY [options] [: VALUE [options]]`; verdicts are values in verdict maps. */
  private setElement = this.RULE('setElement', (): A.SetElement => {
    const start = this.LA(1);
    const el = this.SUBRULE(this.setElementBody);
    let value: A.Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      value = this.OR({ IGNORE_AMBIGUITIES: true, DEF: [
        { ALT: () => this.SUBRULE(this.verdict) },
        { GATE: () => looksLikeSelector(this), ALT: () => this.SUBRULE(this.lhsExpr) },
        { ALT: () => this.SUBRULE(this.rhsConcat) },
        {
          ALT: () => {
            // `: interval ...`? not valid; nft allows only values here. Quoted/bare words are covered above.
            const t = this.CONSUME(kw('queue'));
            return { kind: 'Verdict' as const, verdict: 'queue' as const, span: tokSpan(t) };
          },
        },
      ] });
      this.MANY(() => {
        const o = this.SUBRULE(this.elementOption);
        this.ACTION(() => {
          if (el) (el.options ??= []).push(o);
        });
      });
    });
    return this.ACTION(() => ({ ...(el ?? { key: { kind: 'Error' as const, span: this.spanFrom(start) } }), value, span: this.spanFrom(start) }));
  });

  /** Key of an element plus its options (shared with `add @set { … }`). */
  private setElementBody = this.RULE('setElementBody', (): A.SetElement => {
    const start = this.LA(1);
    const key = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => looksLikeSelector(this), ALT: () => this.SUBRULE(this.lhsExpr) },
        { ALT: () => this.SUBRULE(this.rhsConcat) },
      ],
    });
    const options: A.Statement[] = [];
    let comment: A.StringExpr | undefined;
    this.MANY(() => {
      this.OR1([
        {
          ALT: () => {
            this.CONSUME(kw('comment'));
            const s = this.SUBRULE2(this.commentText);
            this.ACTION(() => (comment = { kind: 'String', text: unquote(s.image), span: tokSpan(s) }));
          },
        },
        {
          ALT: () => {
            const o = this.SUBRULE(this.elementOption);
            this.ACTION(() => options.push(o));
          },
        },
      ]);
    });
    return { key, options, comment, span: this.spanFrom(start) };
  });

  /** `timeout T`, `expires T`, and stateful statements on an element. */
  private elementOption = this.RULE('elementOption', (): A.Statement => {
    const start = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          const k = this.OR1([{ ALT: () => this.CONSUME(kw('timeout')) }, { ALT: () => this.CONSUME(kw('expires')) }]);
          const v = this.SUBRULE(this.rhsPrimary);
          return this.ACTION(() => ({ kind: 'Generic' as const, keyword: k.image, args: [v], words: [], span: this.spanFrom(start) }));
        },
      },
      { ALT: () => this.SUBRULE(this.statefulStmt) },
    ]);
  });
}

/** Tokens per tunnel property, key included (`ip saddr 1.2.3.4` = 3, `geneve { … }` = 2). */
const TUNNEL_KEYS: Record<string, number> = { id: 2, ip: 3, ip6: 3, sport: 2, dport: 2, ttl: 2, tos: 2, erspan: 2, vxlan: 2, geneve: 2 };

function exprText(e: A.Expr): string {
  return 'text' in e && typeof e.text === 'string' ? e.text : e.kind === 'SetLiteral' ? "'{'" : e.kind;
}

function tokenTypeLabel(t: TokenType): string {
  if (t === T.Word || t === T.Identifier || t === T.AnyWord) return 'string';
  if (t === EOF) return 'end of file';
  return t.LABEL ?? t.name;
}

/** "a, b or c", deduplicated, shortened after eight. */
function expectingList(paths: TokenType[][]): string {
  const labels: string[] = [];
  for (const p of paths) {
    const l = p.length ? tokenTypeLabel(p[0]) : 'end of statement';
    if (!labels.includes(l)) labels.push(l);
  }
  if (labels.length > 8) return labels.slice(0, 8).join(', ') + ', …';
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}` : (labels[0] ?? 'something else');
}

/** Messages in nft's own words: `syntax error, unexpected X, expecting Y` (parser_bison.y, parse.error custom). */
const nftErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `syntax error, unexpected ${describeToken(actual)}, expecting ${tokenTypeLabel(expected)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `syntax error, unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const paths = expectedPathsPerAlt.flat();
    return `syntax error, unexpected ${describeToken(actual[0])}, expecting ${expectingList(paths)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `syntax error, unexpected ${describeToken(actual[0])}, expecting ${expectingList(expectedIterationPaths)}`;
  },
};

export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return 'end of file';
  if (t.tokenType === T.Newline) return 'newline';
  if (t.tokenType === T.QuotedString) return 'quoted string';
  if (t.tokenType === T.Identifier || t.tokenType === T.Address || t.tokenType === T.AsteriskString) return 'string';
  if (t.tokenType === T.NumberTok) return 'number';
  if (t.tokenType === T.Junk) return 'junk';
  if (T.keywordTokens.get(t.image) === t.tokenType) {
    return T.tokenMatcher(t, T.Word) ? 'string' : t.image;
  }
  return `'${t.image}'`;
}

export type { IRecognitionException };
