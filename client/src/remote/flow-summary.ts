/**
 * Counting and wording for live flows (status bar, tree, dashboard). Pure: no `vscode` import.
 * Paths come from conntrack status bits: [HW_OFFLOAD] = hardware, [OFFLOAD] = software fast path,
 * neither = slow path (offload.md §3.1; server/src/remote/conntrack-parser.ts).
 */
import type { FlowRow, FlowsReport, PredictedPath } from '../../../server/src/remote';

export interface FlowCounts {
  total: number;
  hw: number;
  sw: number;
  slow: number;
  /** hw + sw: flows on the flowtable fast path. */
  offloaded: number;
  /** Flows whose actual path differs from a known prediction. */
  mismatched: number;
  /** Bytes (both directions) of flows now on the fast path / the slow path; undefined without accounting. */
  fastBytes?: number;
  slowBytes?: number;
}

export function isFastPath(p: PredictedPath): boolean {
  return p === 'hw-offload' || p === 'sw-offload';
}

export function isMismatch(f: FlowRow): boolean {
  return f.predicted !== 'unknown' && f.predicted !== f.actual;
}

export function countFlows(report: FlowsReport): FlowCounts {
  const c: FlowCounts = { total: 0, hw: 0, sw: 0, slow: 0, offloaded: 0, mismatched: 0 };
  for (const f of report.flows) {
    c.total++;
    if (f.actual === 'hw-offload') c.hw++;
    else if (f.actual === 'sw-offload') c.sw++;
    else c.slow++;
    if (isMismatch(f)) c.mismatched++;
    if (f.bytes !== undefined) {
      if (isFastPath(f.actual)) c.fastBytes = (c.fastBytes ?? 0) + f.bytes;
      else c.slowBytes = (c.slowBytes ?? 0) + f.bytes;
    }
  }
  c.offloaded = c.hw + c.sw;
  return c;
}

/** Status bar text: "⚡ offloaded/total". */
export function statusBarText(counts: FlowCounts | undefined): string {
  return counts ? `⚡ ${counts.offloaded}/${counts.total}` : '⚡ –/–';
}

export function statusBarTooltip(routerName: string, counts: FlowCounts | undefined, at?: Date): string {
  if (!counts) return `${routerName}: no flow data yet`;
  const lines = [
    `${routerName}: ${counts.offloaded} of ${counts.total} live flows on the flowtable fast path`,
    `hardware ${counts.hw} · software ${counts.sw} · slow path ${counts.slow}`,
  ];
  if (counts.mismatched) lines.push(`${counts.mismatched} differ from the prediction`);
  if (at) lines.push(`updated ${at.toLocaleTimeString()}`);
  return lines.join('\n');
}

const PATH_WORDS: Record<PredictedPath, string> = {
  'hw-offload': 'hardware',
  'sw-offload': 'software fast path',
  slow: 'slow path',
  dropped: 'dropped',
  unknown: 'unknown',
};

export function describePath(p: PredictedPath): string {
  return PATH_WORDS[p];
}

/** The predicted column: the path, and whether a direction is expected to stay slow although the entry is offloaded. */
export function describePrediction(f: Pick<FlowRow, 'predicted' | 'partial'>): string {
  return f.partial ? `${PATH_WORDS[f.predicted]}, one direction slow` : PATH_WORDS[f.predicted];
}

/** Binary units, one decimal from KiB on. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

export function endpoint(addr: string, port?: number): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** `tcp 10.0.0.2:40000 → 192.0.2.1:443` */
export function flowLabel(f: FlowRow): string {
  return `${f.proto} ${endpoint(f.src, f.sport)} → ${endpoint(f.dst, f.dport)}`;
}

/** Identity of a connection across refreshes (original-direction tuple). */
export function flowKey(f: Pick<FlowRow, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>): string {
  return `${f.proto}|${f.src}|${f.sport ?? ''}|${f.dst}|${f.dport ?? ''}`;
}
