/**
 * Accumulates fast-path vs slow-path bytes over time for the dashboard chart. Pure: no `vscode`
 * import. Conntrack counters are cumulative per connection, so each sample adds, per connection,
 * the bytes counted since the previous sample, to the path the connection is on NOW (a flow that
 * moved to the flowtable counts as fast from then on). The first sample only sets the baseline.
 * Without the flowtable `counter` flag offloaded flows' counters freeze (offload.md §3), which
 * this shows honestly as no fast-path growth; the dashboard says so next to the flowtable.
 */
import type { FlowsReport } from '../../../server/src/remote';
import { flowKey, isFastPath } from './flow-summary';

export interface ChartSample {
  /** ms since epoch. */
  t: number;
  /** Bytes counted in the interval ending at `t`. */
  fastBytes: number;
  slowBytes: number;
  /** Bytes per second over the interval (0 for the baseline sample). */
  fastRate: number;
  slowRate: number;
  /** Flows on each path at `t`. */
  fastFlows: number;
  slowFlows: number;
}

export class ChartSeries {
  private last = new Map<string, number>();
  private lastT: number | undefined;
  readonly samples: ChartSample[] = [];

  constructor(readonly capacity = 240) {}

  add(t: number, report: FlowsReport): ChartSample {
    const baseline = this.lastT === undefined;
    let fastFlows = 0;
    let slowFlows = 0;
    // Two entries with the same tuple (conntrack zones) are one line in the chart: summed.
    const totals = new Map<string, { bytes: number; fast: boolean }>();
    for (const f of report.flows) {
      const fast = isFastPath(f.actual);
      if (fast) fastFlows++;
      else slowFlows++;
      if (f.bytes === undefined) continue;
      const key = flowKey(f);
      const e = totals.get(key) ?? { bytes: 0, fast: false };
      e.bytes += f.bytes;
      e.fast ||= fast;
      totals.set(key, e);
    }
    let fastBytes = 0;
    let slowBytes = 0;
    if (!baseline) {
      for (const [key, e] of totals) {
        const before = this.last.get(key);
        // New tuple, or a counter that went down (a new connection reusing the tuple): count from zero.
        const delta = before === undefined || e.bytes < before ? e.bytes : e.bytes - before;
        if (e.fast) fastBytes += delta;
        else slowBytes += delta;
      }
    }
    this.last = new Map([...totals].map(([k, e]) => [k, e.bytes]));
    const dt = baseline ? 0 : Math.max(1, t - this.lastT!) / 1000;
    this.lastT = t;
    const sample: ChartSample = {
      t, fastBytes, slowBytes, fastFlows, slowFlows,
      fastRate: baseline ? 0 : fastBytes / dt,
      slowRate: baseline ? 0 : slowBytes / dt,
    };
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
    return sample;
  }
}
