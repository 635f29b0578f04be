import { parseConntrackListing, parseFlowtableListing, type ActualPath, type ConntrackEntry, type FlowtableInfo } from './conntrack-parser';
import { RouterCommands } from './router-commands';
import type { RouterSession } from './ssh-transport';

/** One live connection as the flows view shows it. */
export interface LiveFlow {
  proto: string;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  actual: ActualPath;
  /** Both directions summed; undefined when conntrack accounting is off. */
  bytes?: number;
  packets?: number;
  entry: ConntrackEntry;
}

export interface FlowReason {
  code: string;
  message: string;
}

export interface FlowPrediction {
  verdict: 'fast' | 'slow' | 'dropped' | 'unknown';
  hardware?: boolean;
  /** The entry enters a flowtable ([OFFLOAD]) even if a direction stays slow (verdict `slow`). */
  offloaded?: boolean;
  reasons: FlowReason[];
  /** The interfaces the prediction assumed (from the router's routes: flow-routing.ts), when known. */
  iif?: string;
  oif?: string;
}

/** Supplied by the offload analysis (written elsewhere); the default knows nothing. */
export type FlowPredictor = (flow: LiveFlow) => FlowPrediction;
/**
 * Builds the predictor once the live flows are known, over the same session (e.g. the CLI pulls the
 * live ruleset and the routes to the flows' endpoints). Rejecting falls back to `unknownPredictor`.
 */
export type FlowPredictorFactory = (flows: LiveFlow[], session: RouterSession) => Promise<FlowPredictor>;
export const unknownPredictor: FlowPredictor = () => ({ verdict: 'unknown', reasons: [] });

export type PredictedPath = ActualPath | 'dropped' | 'unknown';

export interface FlowRow {
  proto: string;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  actual: ActualPath;
  predicted: PredictedPath;
  iif?: string;
  oif?: string;
  bytes?: number;
  packets?: number;
  reasons: FlowReason[];
  /**
   * Predicted offloaded, but some packets still take the slow path: the flowtable has no hook on a
   * direction's input device. Conntrack shows [OFFLOAD] for such a flow all the same.
   */
  partial?: boolean;
}

export interface FlowsReport {
  flows: FlowRow[];
  flowtables: FlowtableInfo[];
  warnings: string[];
}

/**
 * The path the `actual` column will show: conntrack's [OFFLOAD] marks the entry, not each direction,
 * so a partly fast flow (`partial`) is predicted as offloaded too.
 */
export function predictedPath(p: FlowPrediction): PredictedPath {
  if (p.verdict === 'fast') return p.hardware ? 'hw-offload' : 'sw-offload';
  if (isPartial(p)) return 'sw-offload';
  return p.verdict;
}

function isPartial(p: FlowPrediction): boolean {
  return p.verdict === 'slow' && p.offloaded === true;
}

const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));

export function toLiveFlow(e: ConntrackEntry): LiveFlow {
  return {
    proto: e.proto, src: e.orig.src, dst: e.orig.dst, sport: e.orig.sport, dport: e.orig.dport, actual: e.actual,
    bytes: sum(e.orig.bytes, e.reply?.bytes), packets: sum(e.orig.packets, e.reply?.packets), entry: e,
  };
}

/** Pure: builds the report from the raw command outputs. */
export function buildFlowsReport(conntrackText: string, flowtablesText: string, acct: string | undefined, predictor: FlowPredictor = unknownPredictor): FlowsReport {
  const warnings: string[] = [];
  if (acct !== undefined && acct.trim() === '0') {
    // offload.md §3 / lab gotcha 6: without accounting offloaded entries carry no packets=/bytes=.
    warnings.push('net.netfilter.nf_conntrack_acct is 0: conntrack keeps no byte/packet counts (set it to 1; it affects new connections only)');
  }
  const flowtables = parseFlowtableListing(flowtablesText);
  for (const ft of flowtables) {
    if (!ft.counter) warnings.push(`flowtable ${ft.family} ${ft.table} ${ft.name} has no \`counter\` flag: byte counts of offloaded flows freeze at the offload moment`);
  }
  const flows = parseConntrackListing(conntrackText).map((e) => {
    const f = toLiveFlow(e);
    let p: FlowPrediction;
    try {
      p = predictor(f);
    } catch (err) {
      p = { verdict: 'unknown', reasons: [{ code: 'predictor-failed', message: (err as Error).message }] };
    }
    return {
      proto: f.proto, src: f.src, dst: f.dst, sport: f.sport, dport: f.dport, actual: f.actual, predicted: predictedPath(p),
      ...(p.iif !== undefined ? { iif: p.iif } : {}), ...(p.oif !== undefined ? { oif: p.oif } : {}),
      bytes: f.bytes, packets: f.packets, reasons: p.reasons, ...(isPartial(p) ? { partial: true } : {}),
    };
  });
  return { flows, flowtables, warnings };
}

/**
 * `predictor` is a ready predictor, or `{ factory }` to build one from the live flows over this session.
 * The reads run concurrently on the one connection (one channel each): on a busy router every exec
 * costs a round trip and a process start, and the flows view should not pay them one after another.
 */
export async function readFlows(session: RouterSession, predictor?: FlowPredictor | { factory: FlowPredictorFactory }): Promise<FlowsReport> {
  const warnings: string[] = [];
  const ftP = session.exec(RouterCommands.listFlowtables);
  const acctP = session.exec(RouterCommands.conntrackAcct);
  let ct = await session.exec(RouterCommands.conntrack);
  if (ct.code === 127 || (ct.code !== 0 && /not found/.test(ct.stderr))) {
    ct = await session.exec(RouterCommands.procConntrack);
    if (ct.code !== 0) warnings.push(`neither conntrack nor /proc/net/nf_conntrack is readable: ${ct.stderr.trim()}`);
  } else if (ct.code !== 0) {
    warnings.push(`conntrack -L failed: ${ct.stderr.trim()}`);
  }
  const predictP: Promise<FlowPredictor | string | undefined> = typeof predictor === 'object'
    ? predictor.factory(parseConntrackListing(ct.stdout).map(toLiveFlow), session).catch((err: Error) => `no prediction: ${err.message}`)
    : Promise.resolve(predictor);
  const [ft, acct, predict] = await Promise.all([ftP, acctP, predictP]);
  if (typeof predict === 'string') warnings.push(predict);
  const report = buildFlowsReport(ct.stdout, ft.code === 0 ? ft.stdout : '', acct.code === 0 ? acct.stdout : undefined, typeof predict === 'string' ? undefined : predict);
  report.warnings.unshift(...warnings);
  if (ft.code !== 0) report.warnings.push(`nft list flowtables failed: ${ft.stderr.trim()}`);
  return report;
}

export function renderFlowsText(r: FlowsReport): string {
  const lines = r.flows.map((f) => {
    const ep = (a: string, p?: number) => (p === undefined ? a : a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
    const vol = f.bytes === undefined ? '' : ` ${f.bytes} bytes ${f.packets ?? 0} packets`;
    const why = f.reasons.length ? ` (${f.reasons.map((x) => x.message).join('; ')})` : '';
    const via = f.iif !== undefined || f.oif !== undefined ? ` via ${f.iif ?? '?'}->${f.oif ?? '?'}` : '';
    return `${f.proto} ${ep(f.src, f.sport)} -> ${ep(f.dst, f.dport)}${via} actual=${f.actual} predicted=${f.predicted}${f.partial ? '(partial)' : ''}${vol}${why}`;
  });
  return [...lines, ...r.warnings.map((w) => `warning: ${w}`)].join('\n') + (lines.length + r.warnings.length ? '\n' : '');
}
