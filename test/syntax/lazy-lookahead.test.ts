// LazyLookaheadStrategy must choose exactly what Chevrotain's LL(k) strategy chooses, including
// for ORs with GATEs, where it decides by token first and falls back to Chevrotain's own
// function only when the chosen alternative's GATE fails. A toy grammar with gated alternatives
// in every position is parsed both ways over every short input.
import { describe, expect, it } from 'vitest';
import { createToken, EmbeddedActionsParser, LLkLookaheadStrategy, type ILookaheadStrategy, type TokenType } from 'chevrotain';
import { LazyLookaheadStrategy } from '../../server/src/syntax/lazy-lookahead';

const A = createToken({ name: 'A', pattern: /a/ });
const B = createToken({ name: 'B', pattern: /b/ });
const C = createToken({ name: 'C', pattern: /c/ });
const TOKENS = [A, B, C];

class Toy extends EmbeddedActionsParser {
  /** GATE outcomes, read at parse time (one flag per gated alternative). */
  gates = { first: true, middle: true, last: true };

  constructor(strategy: ILookaheadStrategy) {
    super(TOKENS, { maxLookahead: 1, lookaheadStrategy: strategy, skipValidations: true });
    this.performSelfAnalysis();
  }

  item = this.RULE('item', (): string => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.gates.first, ALT: () => (this.CONSUME(A), 'gated-a') },
        { ALT: () => (this.CONSUME1(A), 'plain-a') },
        { ALT: () => (this.CONSUME(B), 'plain-b') },
        { GATE: () => this.gates.middle, ALT: () => (this.CONSUME2(A), this.CONSUME(C), 'gated-ac') },
        { GATE: () => this.gates.last, ALT: () => (this.CONSUME1(C), 'gated-c') },
      ],
    });
  });

  list = this.RULE('list', (): string[] => {
    const out: string[] = [];
    this.MANY(() => {
      const r = this.SUBRULE(this.item);
      this.ACTION(() => out.push(r));
    });
    return out;
  });
}

function parseWith(parser: Toy, input: TokenType[]): string {
  parser.input = input.map((t, i) => ({ image: t.name, startOffset: i, endOffset: i, tokenType: t, tokenTypeIdx: t.tokenTypeIdx! }));
  const out = parser.list();
  return `${out?.join(' ') ?? '(no result)'} | errors: ${parser.errors.map((e) => e.name).join(' ')}`;
}

function allInputs(maxLength: number): TokenType[][] {
  const out: TokenType[][] = [[]];
  for (let n = 1; n <= maxLength; n++) {
    const prev = out.filter((x) => x.length === n - 1);
    for (const p of prev) for (const t of TOKENS) out.push([...p, t]);
  }
  return out;
}

describe('LazyLookaheadStrategy chooses what LLkLookaheadStrategy chooses', () => {
  const chevrotains = new Toy(new LLkLookaheadStrategy({ maxLookahead: 1 }));
  const ours = new Toy(new LazyLookaheadStrategy({ maxLookahead: 1 }));
  const inputs = allInputs(4);
  const gateSettings = [true, false].flatMap((first) => [true, false].flatMap((middle) => [true, false].map((last) => ({ first, middle, last }))));

  it.each(gateSettings)('GATEs %o', (gates) => {
    chevrotains.gates = gates;
    ours.gates = gates;
    const differ = inputs.filter((input) => parseWith(ours, input) !== parseWith(chevrotains, input));
    expect(differ.map((i) => i.map((t) => t.name).join(''))).toEqual([]);
    // The grammar is not trivial: the GATEs change what is chosen.
    expect(new Set(inputs.map((input) => parseWith(chevrotains, input))).size).toBeGreaterThan(20);
  });
});
