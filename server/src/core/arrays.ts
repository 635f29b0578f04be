/**
 * Appends `items` to `target`, in order. `target.push(...items)` passes every item as an
 * argument, and V8 throws a RangeError (maximum call stack size) beyond about 120k of them:
 * a 300k-entry blocklist crashed semantic analysis that way. Use this wherever `items` can be
 * as long as a set's elements, a file's lines or its findings.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
