import { LLkLookaheadStrategy, type ILookaheadStrategy, type IOrAlt } from 'chevrotain';

type BuildAlternation = ILookaheadStrategy['buildLookaheadForAlternation'];
type BuildOptional = ILookaheadStrategy['buildLookaheadForOptional'];
type ChooseAlternative = ReturnType<BuildAlternation>;

/**
 * Chevrotain's LL(k) lookahead, built on first use instead of in the parser's constructor, and
 * with a cheaper decision for alternations that have GATEs.
 *
 * - Lazy: performSelfAnalysis builds a lookahead function for every OR, OPTION and MANY of the
 *   grammar up front, about 45 ms of every `nft-offload check`, mostly for statements a given
 *   ruleset never uses (synproxy, tunnels, xt...). Each decision here starts as a stub that
 *   builds the real function the first time the parser reaches it.
 * - Gated alternations: Chevrotain's function for an OR with GATEs collects every alternative's
 *   GATE into a new array on each call, then tries the alternatives in order, path by path. Our
 *   `statement` rule is such an OR (17 alternatives, the common expression statement last), run
 *   for every statement of a ruleset. Here the token decides first, as in an OR without GATEs:
 *   the first alternative whose first tokens match is the only candidate, so when it has no GATE,
 *   or its GATE passes, it is the answer Chevrotain's function would give. Only when its GATE
 *   fails does Chevrotain's own function decide.
 *
 * Grammar validation (tests, not bundles) is unchanged: it runs the LL(k) strategy's `validate`.
 * Uses only Chevrotain's lookahead-strategy interface (ILookaheadStrategy, marked experimental).
 */
export class LazyLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: Parameters<BuildAlternation>[0]): ChooseAlternative {
    const chevrotains = (): ChooseAlternative => super.buildLookaheadForAlternation(options);
    const byTokenOnly = (): ChooseAlternative => super.buildLookaheadForAlternation({ ...options, hasPredicates: false });
    let built: ChooseAlternative | undefined;
    const build = (): ChooseAlternative => (built = options.hasPredicates ? gatedChoice(byTokenOnly(), chevrotains) : chevrotains());
    return function (this: unknown, orAlts) {
      return (built ?? build()).call(this, orAlts);
    };
  }

  override buildLookaheadForOptional(options: Parameters<BuildOptional>[0]): ReturnType<BuildOptional> {
    let built: ReturnType<BuildOptional> | undefined;
    const build = () => (built = super.buildLookaheadForOptional(options));
    return function (this: unknown) {
      return (built ?? build()).call(this);
    };
  }
}

/** An OR with GATEs: the token picks the candidate; Chevrotain's full function only when its GATE fails. */
function gatedChoice(byToken: ChooseAlternative, chevrotains: () => ChooseAlternative): ChooseAlternative {
  let full: ChooseAlternative | undefined;
  return function (this: unknown, orAlts?: IOrAlt<unknown>[]) {
    const i = byToken.call(this, orAlts);
    const gate = i === undefined ? undefined : orAlts?.[i]?.GATE;
    if (gate === undefined || gate.call(this)) return i;
    return (full ??= chevrotains()).call(this, orAlts);
  };
}
