/**
 * The data the offload dashboard webview receives by postMessage, built from a router's state and
 * its chart series. Pure: no `vscode` import. Only plain JSON crosses into the webview.
 */
import type { FlowtableInfo } from '../../../server/src/remote';
import type { ChartSample } from './chart-series';
import { countFlows, describePath, describePrediction, endpoint, isMismatch, type FlowCounts } from './flow-summary';
import type { RouterViewState } from './router-tree-model';

export interface DashboardFlowRow {
  proto: string;
  src: string;
  dst: string;
  actual: string;
  predicted: string;
  mismatch: boolean;
  bytes?: number;
  packets?: number;
  reasons: string;
}

export interface DashboardUpdate {
  type: 'update';
  router: string;
  connection: string;
  error?: string;
  /** ISO time of the flow data. */
  at?: string;
  counts?: FlowCounts;
  /** undefined while the first flow report is loading. */
  flowtables?: FlowtableInfo[];
  warnings: string[];
  samples: ChartSample[];
  flows: DashboardFlowRow[];
  /** Flows left out of the table (it lists the biggest). */
  moreFlows: number;
}

export const DASHBOARD_MAX_ROWS = 300;

export function dashboardUpdate(s: RouterViewState, samples: ChartSample[], at?: Date): DashboardUpdate {
  const flows = [...(s.flows?.flows ?? [])].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
  return {
    type: 'update',
    router: s.name,
    connection: s.connection,
    error: s.error ?? s.flowsError,
    at: at?.toISOString(),
    counts: s.flows ? countFlows(s.flows) : undefined,
    flowtables: s.flows?.flowtables,
    warnings: s.flows?.warnings ?? [],
    samples,
    flows: flows.slice(0, DASHBOARD_MAX_ROWS).map((f) => ({
      proto: f.proto,
      src: endpoint(f.src, f.sport),
      dst: endpoint(f.dst, f.dport),
      actual: describePath(f.actual),
      predicted: describePrediction(f),
      mismatch: isMismatch(f),
      bytes: f.bytes,
      packets: f.packets,
      reasons: f.reasons.map((r) => r.message).join('; '),
    })),
    moreFlows: Math.max(0, flows.length - DASHBOARD_MAX_ROWS),
  };
}
