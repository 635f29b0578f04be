import type { Span } from '../core/span';
import type { LineIndex } from '../core/line-index';
import type * as A from '../syntax/ast';
import { walk, type AnyNode } from './walk';

/** Code lenses and inlay hints as plain data. */
export interface LensData {
  span: Span;
  title: string;
}

export interface InlayData {
  offset: number;
  label: string;
  tooltip?: string;
}

/**
 * Offload verdicts per forward chain and flowtable. `predict` is the offload layer's
 * flow prediction, when available; without it the lens reports what the syntax shows
 * (which `flow add` rules feed which flowtable).
 */
export type FlowLensProvider = (ast: A.Ruleset, file: string) => LensData[] | undefined;

export function flowLenses(ast: A.Ruleset, lines: LineIndex, file: string, provider?: FlowLensProvider): LensData[] {
  const fromOffload = provider?.(ast, file);
  if (fromOffload) return fromOffload;
  const out: LensData[] = [];
  const flowAdds = new Map<string, number[]>();
  const chains: { chain: A.ChainDecl; adds: { name: string; line: number }[] }[] = [];
  const flowtables: A.FlowtableDecl[] = [];
  walk(ast as unknown as AnyNode, (n, parents) => {
    if (n.kind === 'Flowtable' && 'body' in n) flowtables.push(n as unknown as A.FlowtableDecl);
    if (n.kind === 'FlowOffload') {
      const f = n as unknown as A.FlowOffloadStmt;
      const name = f.flowtable?.text ?? '?';
      const line = lines.positionAt(n.span.start).line + 1;
      flowAdds.set(name, [...(flowAdds.get(name) ?? []), line]);
      const chain = [...parents].reverse().find((p) => p.kind === 'Chain');
      const entry = chains.find((c) => (c.chain as unknown) === chain);
      if (entry) entry.adds.push({ name, line });
    }
    if (n.kind === 'Chain') {
      const c = n as unknown as A.ChainDecl;
      const hook = c.body?.find((b) => b.kind === 'ChainHook') as A.ChainHookSpec | undefined;
      if (hook?.hook?.text === 'forward') chains.push({ chain: c, adds: [] });
    }
  });
  for (const { chain, adds } of chains) {
    const title = adds.length
      ? `fast path: ${[...new Set(adds.map((a) => '@' + a.name))].join(', ')} (flow add at line ${adds.map((a) => a.line).join(', ')})`
      : 'slow path: no `flow add` in this forward chain';
    out.push({ span: chain.name?.span ?? chain.span, title });
  }
  for (const ft of flowtables) {
    const name = ft.name?.text ?? '';
    const uses = flowAdds.get(name) ?? [];
    out.push({ span: ft.name?.span ?? ft.span, title: uses.length ? `flows added at line ${uses.join(', ')}` : 'no rule adds flows to this flowtable' });
  }
  return out;
}

/** Inlay hints: the implicit `policy accept` of base chains that do not state one. */
export function inlayHints(ast: A.Ruleset, text: string, range: Span): InlayData[] {
  const out: InlayData[] = [];
  walk(ast as unknown as AnyNode, (n) => {
    if (n.span.end < range.start || n.span.start > range.end) return false;
    if (n.kind !== 'Chain') return;
    const c = n as unknown as A.ChainDecl;
    const hook = c.body?.find((b) => b.kind === 'ChainHook') as A.ChainHookSpec | undefined;
    if (!hook || c.body?.some((b) => b.kind === 'Policy')) return;
    let end = text.indexOf('\n', hook.span.end);
    if (end < 0) end = text.length;
    const semi = text.slice(hook.span.end, end).match(/^\s*;/);
    out.push({ offset: semi ? hook.span.end + semi[0].length : hook.span.end, label: ' policy accept', tooltip: 'No policy is given: packets reaching the end of this base chain are accepted.' });
  });
  return out;
}
