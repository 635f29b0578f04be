/**
 * Builds the Routers view as plain data (ids, labels, icons, tooltips, commands) from what we know
 * about each router. Pure: no `vscode` import; routers-view.ts turns these specs into TreeItems.
 * Ids are stable across refreshes (router name + flow tuple), so VS Code keeps expansion and
 * selection while flows update.
 */
import type { FlowRow, FlowsReport } from '../../../server/src/remote';
import { CommandIds, TreeItemContexts, type CommandId } from '../commands/command-ids';
import { countFlows, describePath, describePrediction, flowKey, flowLabel, formatBytes, isMismatch } from './flow-summary';
import type { HwPreviewReport } from '../../../server/src/preview';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'error';

export interface RouterViewState {
  name: string;
  url: string;
  connection: ConnectionState;
  /** Why the last connection or refresh failed. */
  error?: string;
  /** `user@host:port` once connected. */
  target?: string;
  profile?: { openwrt: boolean; fw4: boolean };
  flows?: FlowsReport;
  flowsError?: string;
  preview?: HwPreviewReport;
  previewError?: string;
}

export interface TreeNodeSpec {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id. */
  icon?: string;
  /** Theme color id for the icon. */
  iconColor?: string;
  contextValue: string;
  command?: { id: CommandId; title: string; args: unknown[] };
  /** undefined = leaf; [] = expandable but empty. */
  children?: TreeNodeSpec[];
  expanded?: boolean;
  /** Router name this node belongs to (commands from context menus receive the node). */
  router: string;
}

/** Flows listed per router; the rest are summarised in one node. */
export const MAX_FLOW_NODES = 500;

const PATH_ICON: Record<string, { icon: string; color?: string }> = {
  'hw-offload': { icon: 'zap', color: 'charts.green' },
  'sw-offload': { icon: 'rocket', color: 'charts.blue' },
  slow: { icon: 'watch', color: 'charts.orange' },
};

export function buildRouterNode(s: RouterViewState): TreeNodeSpec {
  const base = `router/${s.name}`;
  const connected = s.connection === 'connected';
  const node: TreeNodeSpec = {
    id: base,
    router: s.name,
    label: s.name,
    description: s.connection === 'connected' ? s.target ?? s.url : `${s.url} · ${s.connection}`,
    tooltip: `${s.name}\n${s.url}\n${s.connection}${s.error ? `: ${s.error}` : ''}`,
    icon: connected ? 'vm-active' : s.connection === 'error' ? 'error' : s.connection === 'connecting' ? 'loading~spin' : 'vm-outline',
    iconColor: s.connection === 'error' ? 'errorForeground' : undefined,
    contextValue: connected ? TreeItemContexts.routerConnected : TreeItemContexts.routerDisconnected,
    expanded: connected,
    children: [connectionNode(s)],
  };
  if (connected) node.children!.push(rulesetNode(s), flowsNode(s), previewNode(s));
  if (s.profile?.fw4) {
    node.children!.push({
      id: `${base}/fw4`, router: s.name, label: 'OpenWrt firewall4', contextValue: TreeItemContexts.info, icon: 'info',
      description: 'apply replaces only your own tables',
      tooltip: 'table inet fw4 is live: a safe apply uploads only the tables your file declares (each replaced as a whole); fw4\'s table is left alone.',
    });
  }
  return node;
}

function connectionNode(s: RouterViewState): TreeNodeSpec {
  const id = `router/${s.name}/connection`;
  const text = s.connection === 'error' ? `error: ${s.error ?? 'unknown'}` : s.connection;
  const n: TreeNodeSpec = { id, router: s.name, label: 'Connection', description: text, tooltip: s.error ?? s.target ?? s.url, contextValue: TreeItemContexts.info, icon: 'plug' };
  if (s.connection !== 'connected' && s.connection !== 'connecting') n.command = { id: CommandIds.connect, title: 'Connect', args: [s.name] };
  return n;
}

function rulesetNode(s: RouterViewState): TreeNodeSpec {
  return {
    id: `router/${s.name}/ruleset`, router: s.name, label: 'Live ruleset', description: 'nft list ruleset',
    tooltip: 'Open the live ruleset as a new nftables document', icon: 'file-code', contextValue: TreeItemContexts.liveRuleset,
    command: { id: CommandIds.pullRuleset, title: 'Pull live ruleset', args: [s.name] },
  };
}

function flowsNode(s: RouterViewState): TreeNodeSpec {
  const id = `router/${s.name}/flows`;
  const n: TreeNodeSpec = { id, router: s.name, label: 'Live flows', icon: 'pulse', contextValue: TreeItemContexts.flows, children: [] };
  if (s.flowsError) {
    n.description = 'error';
    n.tooltip = s.flowsError;
    n.children!.push({ id: `${id}/error`, router: s.name, label: s.flowsError, icon: 'error', contextValue: TreeItemContexts.info });
    return n;
  }
  if (!s.flows) {
    n.description = 'loading…';
    return n;
  }
  const c = countFlows(s.flows);
  n.description = `${c.offloaded}/${c.total} offloaded${c.mismatched ? ` · ${c.mismatched} unexpected` : ''}`;
  n.tooltip = `hardware ${c.hw} · software fast path ${c.sw} · slow path ${c.slow}`;
  n.children = [
    ...s.flows.warnings.map((w, i) => ({ id: `${id}/warning/${i}`, router: s.name, label: w, tooltip: w, icon: 'warning', iconColor: 'list.warningForeground', contextValue: TreeItemContexts.info })),
    ...flowNodes(s.name, id, s.flows.flows),
  ];
  if (s.flows.flows.length === 0) n.children.push({ id: `${id}/none`, router: s.name, label: 'no tracked connections', contextValue: TreeItemContexts.info });
  return n;
}

/** Biggest flows first; ids made unique when two entries share a tuple (conntrack zones). */
export function flowNodes(router: string, parentId: string, flows: FlowRow[]): TreeNodeSpec[] {
  const sorted = [...flows].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0) || flowLabel(a).localeCompare(flowLabel(b)));
  const seen = new Map<string, number>();
  const out: TreeNodeSpec[] = [];
  for (const f of sorted.slice(0, MAX_FLOW_NODES)) {
    const key = flowKey(f);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const mismatch = isMismatch(f);
    const icon = PATH_ICON[f.actual];
    const volume = f.bytes === undefined ? '' : ` · ${formatBytes(f.bytes)} / ${f.packets ?? 0} pkts`;
    out.push({
      id: `${parentId}/${key}${k ? `#${k}` : ''}`,
      router,
      label: flowLabel(f),
      description: `${describePath(f.actual)}${mismatch ? ` ≠ predicted ${describePrediction(f)}` : f.predicted === 'unknown' ? '' : f.partial ? ' ✓ (one direction slow)' : ' ✓'}${volume}`,
      tooltip: flowTooltip(f),
      icon: mismatch ? 'warning' : icon.icon,
      iconColor: mismatch ? 'list.warningForeground' : icon.color,
      contextValue: TreeItemContexts.flow,
    });
  }
  if (sorted.length > MAX_FLOW_NODES) {
    out.push({ id: `${parentId}/more`, router, label: `… ${sorted.length - MAX_FLOW_NODES} more flows`, description: 'open the dashboard for all', contextValue: TreeItemContexts.info, command: { id: CommandIds.dashboard, title: 'Open dashboard', args: [router] } });
  }
  return out;
}

export function flowTooltip(f: FlowRow): string {
  const lines = [
    flowLabel(f),
    `actual: ${describePath(f.actual)}`,
    `predicted: ${describePrediction(f)}`,
    ...(f.iif !== undefined || f.oif !== undefined ? [`interfaces: ${f.iif ?? '?'} → ${f.oif ?? '?'} (from the router's routes)`] : []),
    f.bytes === undefined ? 'bytes/packets: not counted (nf_conntrack_acct=0)' : `${f.bytes} bytes, ${f.packets ?? 0} packets (both directions)`,
  ];
  if (f.reasons.length) lines.push('', 'why:', ...f.reasons.map((r) => `• ${r.code}: ${r.message}`));
  return lines.join('\n');
}

function previewNode(s: RouterViewState): TreeNodeSpec {
  const id = `router/${s.name}/hw`;
  const n: TreeNodeSpec = { id, router: s.name, label: 'Hardware preview', icon: 'circuit-board', contextValue: TreeItemContexts.hwPreview, children: [] };
  if (s.previewError) {
    n.description = 'error';
    n.children!.push({ id: `${id}/error`, router: s.name, label: s.previewError, tooltip: s.previewError, icon: 'error', contextValue: TreeItemContexts.info });
    return n;
  }
  if (!s.preview) {
    n.description = 'loading…';
    return n;
  }
  if (s.preview.flowtables.length === 0) {
    n.description = 'no flowtable';
    n.children!.push({ id: `${id}/none`, router: s.name, label: 'no flowtable on this router', tooltip: 'nft list flowtables printed no flowtable: every forwarded flow takes the slow path', icon: 'info', contextValue: TreeItemContexts.info });
    return n;
  }
  const multi = s.preview.flowtables.length > 1;
  for (const p of s.preview.flowtables) {
    const ftName = `${p.flowtable.family} ${p.flowtable.table} ${p.flowtable.name}`;
    for (const d of p.devices) {
      const icon = d.path === 'hardware' ? PATH_ICON['hw-offload'] : d.path === 'software' ? PATH_ICON['sw-offload'] : PATH_ICON.slow;
      n.children!.push({
        id: `${id}/${ftName}/${d.device}`,
        router: s.name,
        label: d.device,
        description: `${d.path === 'hardware' ? 'hardware' : d.path === 'software' ? 'software fast path' : 'slow path'}${multi ? ` · flowtable ${p.flowtable.name}` : ''}${d.reasons[0] ? ` — ${d.reasons[0].message}` : ''}`,
        tooltip: [`${d.device} in flowtable ${ftName}${p.flowtable.offload ? ' (flags offload)' : ''}: ${d.path}`, ...d.reasons.map((r) => `• ${r.code}: ${r.message}`)].join('\n'),
        icon: icon.icon,
        iconColor: icon.color,
        contextValue: TreeItemContexts.info,
      });
    }
    if (p.devices.length === 0) n.children!.push({ id: `${id}/${ftName}/empty`, router: s.name, label: `flowtable ${p.flowtable.name} lists no device`, icon: 'warning', contextValue: TreeItemContexts.info });
  }
  const paths = s.preview.flowtables.flatMap((p) => p.devices.map((d) => d.path));
  n.description = `${paths.filter((p) => p === 'hardware').length}/${paths.length} devices in hardware`;
  return n;
}
