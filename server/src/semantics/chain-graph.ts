import type { BuildState, PendingRef } from './build-model';

/**
 * Checks over the jump/goto graph of each table:
 * - cycles (SEM005): the kernel walks every jump from each base chain and refuses a
 *   chain that leads back to itself (`nf_tables_check_loops`, ELOOP: "Too many levels
 *   of symbolic links"; nft ≥ 1.1 reports "Loop detected" itself);
 * - `flow add` reachable from a base chain on any hook but forward (SEM018): the
 *   kernel validates expressions per calling base chain and the flow offload
 *   expression allows only NF_INET_FORWARD (`nft_flow_offload_validate`, see
 *   reference/offload.md S02), so the commit fails with EOPNOTSUPP.
 * Edges from anonymous chains (`jump { … }`) count as edges of the enclosing chain.
 */
export function checkChainGraph(st: BuildState): void {
  const edges = new Map<string, PendingRef[]>();
  const node = (table: string, chain: string) => `${table}\u0000${chain}`;
  // One edge per jump written (a file included twice is walked twice); a set of keys, since a
  // chain may jump from 40k rules.
  const seenEdges = new Set<string>();
  for (const r of st.refs) {
    if (r.kind !== 'chain' || !r.fromChain || !r.verdict) continue;
    const t = st.tables.get(r.tableKey);
    if (!t || !t.chains.has(r.name) || !t.chains.has(r.fromChain)) continue;
    const from = node(r.tableKey, r.fromChain);
    const key = `${from}\u0000${r.name}\u0000${r.loc.file}\u0000${r.loc.span.start}`;
    if (seenEdges.has(key)) continue;
    seenEdges.add(key);
    let list = edges.get(from);
    if (!list) edges.set(from, (list = []));
    list.push(r);
  }

  // Cycles: iterative DFS with colours; each back edge is one reported loop.
  const colour = new Map<string, 1 | 2>();
  for (const t of st.tables.values()) {
    for (const c of t.chains.keys()) {
      const start = node(t.key, c);
      if (colour.has(start)) continue;
      const stack: { n: string; i: number; via?: PendingRef }[] = [{ n: start, i: 0 }];
      colour.set(start, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const out = edges.get(top.n) ?? [];
        if (top.i >= out.length) {
          colour.set(top.n, 2);
          stack.pop();
          continue;
        }
        const e = out[top.i++];
        const next = node(e.tableKey, e.name);
        const c2 = colour.get(next);
        if (c2 === 1) {
          const at = stack.findIndex((s) => s.n === next);
          const path = stack.slice(at).map((s) => s.n.split('\u0000')[1]);
          const via = stack.slice(at + 1).map((s) => s.via!).filter(Boolean);
          st.report('jumpLoop', e.loc.file, e.loc.span, `Loop detected: ${[...path, e.name].join(' → ')} (in table ${e.tableKey})`, via.map((v) => ({ location: v.loc, message: `${v.verdict} ${v.name}` })));
        } else if (c2 === undefined) {
          colour.set(next, 1);
          stack.push({ n: next, i: 0, via: e });
        }
      }
    }
  }

  // flow add under a non-forward base chain.
  if (!st.flowAdds.length) return;
  const reported = new Set<(typeof st.flowAdds)[number]>();
  for (const t of st.tables.values()) {
    for (const base of t.chains.values()) {
      if (!base.hook || base.hook.hook === 'forward') continue;
      const seen = new Set<string>([node(t.key, base.name)]);
      const queue = [node(t.key, base.name)];
      while (queue.length) {
        const n = queue.shift()!;
        for (const e of edges.get(n) ?? []) {
          const m = node(e.tableKey, e.name);
          if (!seen.has(m)) {
            seen.add(m);
            queue.push(m);
          }
        }
      }
      for (const f of st.flowAdds) {
        if (reported.has(f) || f.tableKey !== t.key || !seen.has(node(f.tableKey, f.chain))) continue;
        reported.add(f);
        const direct = f.chain === base.name;
        st.report(
          'flowAddOutsideForward',
          f.loc.file,
          f.loc.span,
          direct
            ? `\`flow add @${f.flowtable}\` is in base chain ${base.name} on hook ${base.hook.hook}; flow offload only works in the forward hook`
            : `\`flow add @${f.flowtable}\` in chain ${f.chain} is reached from base chain ${base.name} on hook ${base.hook.hook}; flow offload only works in the forward hook`,
          [{ location: base.hook.loc, message: `base chain ${base.name} hooks ${base.hook.hook}` }],
        );
      }
    }
  }
}
