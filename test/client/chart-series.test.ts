// Pure: fast/slow byte series from successive real flow reports (parsed conntrack text).
import { describe, expect, it } from 'vitest';
import { buildFlowsReport } from '../../server/src/remote';
import { ChartSeries } from '../../client/src/remote/chart-series';

const line = (sport: number, bytes: number, tag = '') =>
  `tcp      6 src=10.0.0.2 dst=192.0.2.9 sport=${sport} dport=443 packets=1 bytes=${bytes} src=192.0.2.9 dst=10.0.0.2 sport=443 dport=${sport} packets=1 bytes=0 ${tag} mark=0 use=1`;
const report = (...lines: string[]) => buildFlowsReport(lines.join('\n'), '', '1');

describe('ChartSeries', () => {
  it('first sample is the baseline; later samples add per-connection growth to its current path', () => {
    const s = new ChartSeries();
    expect(s.add(0, report(line(1, 1000), line(2, 500, '[OFFLOAD]')))).toMatchObject({ fastBytes: 0, slowBytes: 0, fastRate: 0, fastFlows: 1, slowFlows: 1 });
    // Flow 1 moves to the fast path (+3000); flow 2 grows by 2000 in hardware; flow 3 is new (+100, slow).
    const b = s.add(2000, report(line(1, 4000, '[OFFLOAD]'), line(2, 2500, '[HW_OFFLOAD]'), line(3, 100)));
    expect(b).toMatchObject({ fastBytes: 5000, slowBytes: 100, fastRate: 2500, slowRate: 50, fastFlows: 2, slowFlows: 1 });
  });
  it('a counter that went down is a new connection on the same tuple', () => {
    const s = new ChartSeries();
    s.add(0, report(line(1, 9000)));
    expect(s.add(1000, report(line(1, 300))).slowBytes).toBe(300);
  });
  it('frozen counters (no flowtable counter flag) add nothing; capacity bounds the series', () => {
    const s = new ChartSeries(3);
    for (let t = 0; t < 5; t++) s.add(t * 1000, report(line(1, 700, '[OFFLOAD]')));
    expect(s.samples).toHaveLength(3);
    expect(s.samples.map((x) => x.fastBytes)).toEqual([0, 0, 0]);
    expect(s.samples[0].t).toBe(2000);
  });
  it('without accounting only flow counts move', () => {
    const s = new ChartSeries();
    const noAcct = 'tcp      6 src=10.0.0.2 dst=192.0.2.9 sport=1 dport=443 src=192.0.2.9 dst=10.0.0.2 sport=443 dport=1 [OFFLOAD] mark=0 use=1';
    s.add(0, report(noAcct));
    expect(s.add(1000, report(noAcct))).toMatchObject({ fastBytes: 0, slowBytes: 0, fastFlows: 1 });
  });
});
