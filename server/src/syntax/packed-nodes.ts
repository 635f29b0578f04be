import type { Span } from '../core/span';
import type * as A from './ast';

/**
 * Tree nodes for the lexer's element fast path (lexer.ts `scanElementBlock`). On a big ruleset
 * (a 100k-entry blocklist) these are most of the tree, so they are laid out to be small: the
 * offsets live in the node, `span` and `text` (and an element's `key`) are made when asked
 * for, and `kind` is on the prototype. A plain `{kind, text, span}` node with its span object and text string costs about
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

/** What a packed element's key is: one value, `base/length` or `from-to`. */
export const KEY_VALUE = 0;
export const KEY_PREFIX = 1;
export const KEY_RANGE = 2;

/** What a packed leaf is. */
export const LEAF_ADDRESS = 0;
export const LEAF_NUMBER = 1;
export const LEAF_WORD = 2;
export const LEAF_STRING = 3;

function leaf(src: PackedSource, kind: number, start: number, end: number): PackedValue {
  if (kind === LEAF_ADDRESS) return new PackedAddress(src, start, end);
  if (kind === LEAF_NUMBER) return new PackedNumber(src, start, end);
  if (kind === LEAF_WORD) return new PackedWord(src, start, end);
  return new PackedString(src, start, end);
}

/**
 * A set element that is only a key (no map value, options or comment), in one object: the
 * offsets of its one or two values and what they are. Its `key` is made on each read, as the
 * leaves' `span` and `text` are: a 100k-entry blocklist keeps 100k of these, not 330k nodes
 * (an element, its key, and a prefix's or range's two leaves), about 7 MB less to keep and
 * for the garbage collector to move. `shape` is keyShape * 16 + firstLeaf * 4 + secondLeaf.
 */
export class PackedElement extends PackedNode implements A.SetElement {
  constructor(
    private readonly src: PackedSource,
    private readonly shape: number,
    private aStart: number,
    private aEnd: number,
    private bStart: number,
    private bEnd: number,
  ) {
    super();
  }
  get key(): PackedValue | PackedPrefix | PackedRange {
    const shape = this.shape;
    const a = leaf(this.src, (shape >> 2) & 3, this.aStart, this.aEnd);
    const form = shape >> 4;
    if (form === KEY_VALUE) return a;
    const b = leaf(this.src, shape & 3, this.bStart, this.bEnd);
    return form === KEY_PREFIX ? new PackedPrefix(a, b) : new PackedRange(a, b);
  }
  get span(): Span {
    return { start: this.aStart, end: this.shape >> 4 === KEY_VALUE ? this.aEnd : this.bEnd };
  }
  override rebase(delta: number, move: (offset: number) => number): void {
    this.src.shift = delta;
    this.aStart = move(this.aStart);
    this.aEnd = move(this.aEnd);
    this.bStart = move(this.bStart);
    this.bEnd = move(this.bEnd);
  }
}
