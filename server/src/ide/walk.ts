import type { Span } from '../core/span';

/** Any AST node: an object with a `kind` and a `span`. */
export interface AnyNode {
  kind: string;
  span: Span;
  [key: string]: unknown;
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as AnyNode).kind === 'string' && typeof (v as AnyNode).span === 'object';
}

/**
 * The child nodes of a node, in field order. Generic on purpose: it follows every field
 * that holds a node or an array of nodes, so new AST node kinds need no change here, and
 * recovered nodes with missing children are fine.
 */
export function childNodes(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key in node) {
    if (key === 'span' || key === 'kind' || key === 'comments') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Pre-order walk; `visit` returns false to skip a node's children. `parents` is the path from the root. */
export function walk(root: AnyNode, visit: (node: AnyNode, parents: AnyNode[]) => boolean | void): void {
  const parents: AnyNode[] = [];
  const rec = (n: AnyNode): void => {
    if (visit(n, parents) === false) return;
    parents.push(n);
    for (const c of childNodes(n)) rec(c);
    parents.pop();
  };
  rec(root);
}

/** The chain of nodes whose spans cover `offset`, outermost first. */
export function nodesAt(root: AnyNode, offset: number): AnyNode[] {
  const path: AnyNode[] = [];
  let cur: AnyNode | undefined = root;
  while (cur) {
    path.push(cur);
    let next: AnyNode | undefined;
    for (const c of childNodes(cur)) {
      if (c.span.start <= offset && offset <= c.span.end && c.span.end > c.span.start) {
        next = c;
        // Prefer the child that strictly contains the offset over one that ends at it.
        if (offset < c.span.end) break;
      }
    }
    cur = next;
  }
  return path;
}
