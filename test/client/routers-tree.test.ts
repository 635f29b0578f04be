// Pure: the Routers view built from real parser output (captured conntrack/flowtable listings),
// real offload predictions and real hardware-preview predictions. No VS Code involved.
import { describe, expect, it } from 'vitest';
import { countFlows, statusBarText } from '../../client/src/remote/flow-summary';
import { buildHwPreview } from '../../server/src/preview';
import { buildRouterNode, MAX_FLOW_NODES, flowNodes, type RouterViewState } from '../../client/src/remote/router-tree-model';
import { facts, fixtureReport, renderTree } from './helpers';

function connected(extra: Partial<RouterViewState> = {}): RouterViewState {
  const flows = fixtureReport('offload-tcp.nft');
  return {
    name: 'home', url: 'ssh://root@192.0.2.1', connection: 'connected', target: 'root@192.0.2.1',
    flows, preview: buildHwPreview(facts(), flows.flowtables), profile: { openwrt: true, fw4: true }, ...extra,
  };
}

describe('Routers view tree', () => {
  it('connected router: connection, live ruleset, flows (actual vs predicted), hardware preview', async () => {
    await expect(renderTree([buildRouterNode(connected())]) + '\n').toMatchFileSnapshot('__expected__/connected-router.tree.txt');
  });
  it('disconnected and failed routers offer Connect', () => {
    const off = buildRouterNode({ name: 'r', url: 'ssh://r', connection: 'disconnected' });
    expect(off.contextValue).toBe('router-disconnected');
    expect(off.children!.map((c) => c.label)).toEqual(['Connection']);
    expect(off.children![0].command).toMatchObject({ id: 'nftablesOffload.remote.connect', args: ['r'] });
    const bad = buildRouterNode({ name: 'r', url: 'ssh://r', connection: 'error', error: 'authentication to root@r failed' });
    expect(bad.icon).toBe('error');
    expect(bad.children![0].description).toBe('error: authentication to root@r failed');
  });
  it('says "no flowtable on this router" explicitly (netns lab)', () => {
    const flows = { ...fixtureReport(), flowtables: [] };
    const node = buildRouterNode(connected({ flows, preview: buildHwPreview(facts(), []) }));
    const hw = node.children!.find((c) => c.label === 'Hardware preview')!;
    expect(hw.description).toBe('no flowtable');
    expect(hw.children!.map((c) => c.label)).toEqual(['no flowtable on this router']);
  });
  it('ids are stable across refreshes and unique for repeated tuples', () => {
    const a = buildRouterNode(connected());
    const b = buildRouterNode(connected());
    expect(renderIds(a)).toEqual(renderIds(b));
    const report = fixtureReport();
    const twice = flowNodes('home', 'p', [report.flows[0], report.flows[0]]);
    expect(new Set(twice.map((n) => n.id)).size).toBe(2);
    const ids = renderIds(a);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('caps the listed flows and points to the dashboard', () => {
    const one = fixtureReport().flows[0];
    const many = Array.from({ length: MAX_FLOW_NODES + 7 }, (_, i) => ({ ...one, sport: 1000 + i }));
    const nodes = flowNodes('home', 'p', many);
    expect(nodes).toHaveLength(MAX_FLOW_NODES + 1);
    expect(nodes.at(-1)).toMatchObject({ label: '… 7 more flows', command: { id: 'nftablesOffload.remote.dashboard' } });
  });
  it('status bar text counts offloaded of total', () => {
    const c = countFlows(fixtureReport());
    expect(statusBarText(c)).toBe('⚡ 4/5');
    expect(c).toMatchObject({ hw: 2, sw: 2, slow: 1 });
    expect(statusBarText(undefined)).toBe('⚡ –/–');
  });
});

function renderIds(n: { id: string; children?: { id: string; children?: unknown[] }[] }): string[] {
  return [n.id, ...(n.children ?? []).flatMap((c) => renderIds(c as typeof n))];
}
