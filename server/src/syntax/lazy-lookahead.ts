import { LLkLookaheadStrategy, type ILookaheadStrategy } from 'chevrotain';

type BuildAlternation = ILookaheadStrategy['buildLookaheadForAlternation'];
type BuildOptional = ILookaheadStrategy['buildLookaheadForOptional'];

/**
 * Chevrotain's LL(k) lookahead, built on first use instead of in the parser's constructor.
 *
 * performSelfAnalysis builds a lookahead function for every OR, OPTION and MANY of the grammar
 * up front: about 45 ms of every `nft-offload check`, mostly for statements a given ruleset
 * never uses (synproxy, tunnels, xt...). Each decision here starts as a stub that builds the
 * real function the first time the parser reaches it; the parser then keeps calling the stub,
 * which forwards to what it built. Grammar validation (tests, not bundles) is unchanged: it
 * runs the LL(k) strategy's own `validate`.
 *
 * Uses only Chevrotain's lookahead-strategy interface (ILookaheadStrategy, public since 10.x,
 * marked experimental).
 */
export class LazyLookaheadStrategy extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: Parameters<BuildAlternation>[0]): ReturnType<BuildAlternation> {
    let built: ReturnType<BuildAlternation> | undefined;
    const build = () => (built = super.buildLookaheadForAlternation(options));
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
