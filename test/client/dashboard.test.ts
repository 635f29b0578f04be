// Pure: the dashboard page (CSP, nonce, no remote resources, script parses) and the data posted
// to it. Rendering in a real webview is covered by the end-to-end tests (test/e2e).
import { describe, expect, it } from 'vitest';
import { dashboardUpdate } from '../../client/src/remote/dashboard-model';
import { escapeHtml, renderDashboardHtml } from '../../client/src/remote/dashboard-html';
import { ChartSeries } from '../../client/src/remote/chart-series';
import { buildFlowsReport } from '../../server/src/remote';
import { fixtureReport, remoteFixture } from './helpers';

const html = renderDashboardHtml({ nonce: 'N0nce+/=', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', title: 'Offload <dashboard>' });

describe('dashboard page', () => {
  it('has a strict CSP: nonce-only script and style, nothing remote', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-N0nce+/='");
    expect(csp).toContain("style-src 'nonce-N0nce+/='");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toBe(' nonce="N0nce+/="');
    expect(html).not.toMatch(/\bsrc=|<link|@import|url\(/);
    // The only URL is the SVG namespace, which loads nothing.
    expect([...html.matchAll(/https?:\/\/[^\s'"]+/g)].map((m) => m[0])).toEqual(['https://file+.vscode-resource.vscode-cdn.net', 'http://www.w3.org/2000/svg']);
    expect(html).toContain('<title>Offload &lt;dashboard&gt;</title>');
  });
  it('the webview script parses and inserts data only as text', () => {
    const script = /<script nonce="[^"]*">([\s\S]*)<\/script>/.exec(html)![1];
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(html).toContain('no flowtable on this router');
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});

describe('dashboard data', () => {
  it('counts, flowtables and the biggest flows first', () => {
    const flows = fixtureReport('offload-tcp.nft');
    const series = new ChartSeries();
    series.add(0, flows);
    const m = dashboardUpdate({ name: 'home', url: 'ssh://h', connection: 'connected', flows }, series.samples, new Date(0));
    expect(m).toMatchObject({ type: 'update', router: 'home', at: '1970-01-01T00:00:00.000Z', counts: { total: 5, offloaded: 4 }, moreFlows: 0 });
    expect(m.flowtables!.map((f) => f.name)).toEqual(['ft']);
    expect(m.flows[0]).toMatchObject({ src: '192.168.1.20:50522', dst: '198.51.100.9:443', actual: 'software fast path', bytes: 236782425 });
    expect(m.flows.find((f) => f.mismatch)).toMatchObject({ actual: 'hardware', predicted: 'slow path' });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
  it('a partly fast flow agrees with conntrack\'s [OFFLOAD] and says which part is slow', () => {
    const report = buildFlowsReport(remoteFixture('conntrack-L.txt'), remoteFixture('flowtables.txt'), '1', (f) =>
      f.dport === 443 && f.actual === 'sw-offload' ? { verdict: 'slow', offloaded: true, reasons: [{ code: 'OFF003', message: 'Only the original direction is fast' }] } : { verdict: 'unknown', reasons: [] });
    const m = dashboardUpdate({ name: 'home', url: 'ssh://h', connection: 'connected', flows: report }, [], new Date(0));
    expect(m.flows.find((f) => f.src === '192.168.1.20:50522')).toMatchObject({ actual: 'software fast path', predicted: 'software fast path, one direction slow', mismatch: false });
    expect(m.counts!.mismatched).toBe(0);
  });
  it('no flowtable is an empty list (shown as "no flowtable on this router"), loading is undefined', () => {
    const flows = { ...fixtureReport(), flowtables: [] };
    expect(dashboardUpdate({ name: 'lab', url: 'ssh://l', connection: 'connected', flows }, []).flowtables).toEqual([]);
    expect(dashboardUpdate({ name: 'lab', url: 'ssh://l', connection: 'connecting' }, []).flowtables).toBeUndefined();
  });
});
