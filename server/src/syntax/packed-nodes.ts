import type { Span } from '../core/span';
import type * as A from './ast';

/**
 * Tree nodes for the lexer's element fast path (lexer.ts `scanElementBlock`). On a big ruleset
 * (a 100k-entry blocklist) these are most of the tree, so they are laid out to be small: the
 * offsets live in the node, `span` and `text` are made when asked for, and `kind` is on the
 * prototype. A plain `{kind, text, span}` node with its span object and text string costs about
 * 120 bytes on 64-bit V8; a `PackedLeaf` costs 48. They satisfy the same AST interfaces as the
 * parser's nodes, so no consumer can tell them apart, except that `span` and `text` are fresh
 * values on each read (compare spans by value, never by identity) and their offsets move with
 * `rebase`, not by writing `span`.
 */
export abstract class PackedNode {
  abstract get span(): Span;
  /**
   * Moves the node's offsets `delta` back, each through `move` (semantics/parse-in-context.ts
   * clamps them to the included file). Pairs hold no offsets of their own: their leaves move.
   */
  rebase(_delta: number, _move: (offset: number) => number): void {}
}

/**
 * The text the leaves were lexed from, shared by every leaf of one lex: a leaf reads its `text`
 * from here instead of holding a string of its own (100k fewer strings to keep alive). `shift`
 * is how far `rebase` moved the offsets, so the leaf can still find its characters.
 */
export class PackedSource {
  shift = 0;
  constructor(readonly text: string) {}
}

/** A value word: address, number, plain word or quoted string (`text` without the quotes). */
abstract class PackedLeaf extends PackedNode {
  constructor(
    private readonly src: PackedSource,
    public start: number,
    public end: number,
  ) {
    super();
  }
  get text(): string {
    const at = this.start + this.src.shift;
    return this.src.text.slice(at, at + this.end - this.start);
  }
  get span(): Span {
    return { start: this.start, end: this.end };
  }
  override rebase(delta: number, move: (offset: number) => number): void {
    this.src.shift = delta;
    this.start = move(this.start);
    this.end = move(this.end);
  }
}

export class PackedAddress extends PackedLeaf implements A.AddressExpr {
  get kind(): 'Address' {
    return 'Address';
  }
}

export class PackedNumber extends PackedLeaf implements A.NumberExpr {
  get kind(): 'Number' {
    return 'Number';
  }
}

export class PackedWord extends PackedLeaf implements A.WordExpr {
  get kind(): 'Word' {
    return 'Word';
  }
}

export class PackedString extends PackedLeaf implements A.StringExpr {
  get kind(): 'String' {
    return 'String';
  }
  /** Without the quotes, as the parser's String nodes. */
  override get text(): string {
    const quoted = super.text;
    return quoted.slice(1, quoted.length - 1);
  }
}

export type PackedValue = PackedAddress | PackedNumber | PackedWord | PackedString;

/** `base/length`; the span runs from the base to the length. */
export class PackedPrefix extends PackedNode implements A.PrefixExpr {
  constructor(
    readonly base: PackedValue,
    readonly length: PackedValue,
  ) {
    super();
  }
  get kind(): 'Prefix' {
    return 'Prefix';
  }
  get span(): Span {
    return { start: this.base.start, end: this.length.end };
  }
}

/** `from-to`; the span runs from one end to the other. */
export class PackedRange extends PackedNode implements A.RangeExpr {
  constructor(
    readonly from: PackedValue,
    readonly to: PackedValue,
  ) {
    super();
  }
  get kind(): 'Range' {
    return 'Range';
  }
  get span(): Span {
    return { start: this.from.start, end: this.to.end };
  }
}

/** A set element that is only a key (no map value, options or comment). */
export class PackedElement implements A.SetElement {
  constructor(readonly key: PackedValue | PackedPrefix | PackedRange) {}
  get span(): Span {
    return this.key.span;
  }
}
