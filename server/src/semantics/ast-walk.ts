import { PackedElement, PackedNode, PackedPrefix, PackedRange } from '../syntax/packed-nodes';

/**
 * The fields that can hold nodes, for the commonest kinds (ast.ts): a rule's walk visits these
 * without enumerating every field of every node. Any other kind is walked field by field.
 * test/semantics/ast-walk.test.ts walks the whole corpus both ways and compares.
 */
const CHILD_KEYS = new Map<string, readonly string[]>([
  ['Number', []],
  ['Address', []],
  ['Word', []],
  ['String', []],
  ['KeywordValue', []],
  ['Wildcard', []],
  ['Ident', []],
  ['Selector', ['args']],
  ['Match', ['left', 'right']],
  ['Verdict', ['target', 'map']],
  ['Counter', ['ref']],
  ['Limit', ['ref']],
  ['Rule', ['statements', 'comment']],
  ['Prefix', ['base', 'length']],
  ['Range', ['from', 'to']],
  ['List', ['items']],
  ['SetLiteral', ['elements']],
  ['Var', ['name']],
  ['SetRef', ['name']],
]);

/**
 * Generic pre-order walk over AST nodes (any object with a `kind`). The AST types are
 * plain data, so walking their properties finds every nested expression and
 * statement without a visitor per node kind. `visit` returns false to skip a node's
 * children. Spans are skipped (they are not nodes).
 */
export function walkNodes(node: unknown, visit: (n: { kind: string }) => boolean | void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walkNodes(node[i], visit);
    return;
  }
  // Fast-path element nodes (syntax/packed-nodes.ts) have no children but their leaves; a
  // 100k-element set is walked without enumerating its nodes' fields.
  if (node instanceof PackedElement) return walkNodes(node.key, visit);
  if (node instanceof PackedNode) {
    if (visit(node as { kind: string } & PackedNode) === false) return;
    if (node instanceof PackedPrefix) {
      visit(node.base);
      visit(node.length);
    } else if (node instanceof PackedRange) {
      visit(node.from);
      visit(node.to);
    }
    return;
  }
  const obj = node as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind === 'string') {
    if (visit(obj as { kind: string }) === false) return;
    const keys = CHILD_KEYS.get(kind);
    if (keys) {
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]];
        if (v !== null && typeof v === 'object') walkNodes(v, visit);
      }
      return;
    }
  }
  for (const key in obj) {
    if (key === 'span' || key === 'pathStarts' || key === 'keySpan') continue;
    const v = obj[key];
    if (v !== null && typeof v === 'object') walkNodes(v, visit);
  }
}
