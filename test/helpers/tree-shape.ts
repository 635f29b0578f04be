import { PackedElement, PackedNode, PackedPrefix, PackedRange } from '../../server/src/syntax/packed-nodes';

/**
 * A JSON.stringify replacer for trees with packed nodes (syntax/packed-nodes.ts), whose fields
 * are offsets and getters: each becomes what it stands for (an element its key and span, a
 * prefix or range its two values, a leaf its kind, text and span).
 */
export function packedAsPlain(_key: string, v: unknown): unknown {
  if (!(v instanceof PackedNode)) return v;
  if (v instanceof PackedElement) return { key: v.key, span: v.span };
  if (v instanceof PackedPrefix) return { kind: v.kind, base: v.base, length: v.length, span: v.span };
  if (v instanceof PackedRange) return { kind: v.kind, from: v.from, to: v.to, span: v.span };
  const leaf = v as PackedNode & { kind: string; text: string };
  return { packed: v.constructor.name, kind: leaf.kind, text: leaf.text, span: leaf.span };
}
