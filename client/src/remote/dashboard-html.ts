/**
 * The offload dashboard page: static HTML, one nonce'd style sheet and one nonce'd script that
 * draws the chart as inline SVG and fills the tables from `DashboardUpdate` messages
 * (dashboard-model.ts). Pure: no `vscode` import. No CDN, no remote resource: the CSP allows only
 * the nonce'd script and style; data is inserted with textContent / SVG attributes, never as HTML.
 */
export function renderDashboardHtml(opts: { nonce: string; cspSource: string; title: string }): string {
  const { nonce, cspSource } = opts;
  const csp = [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1 id="title">${escapeHtml(opts.title)}</h1>
<p id="status" class="muted">waiting for data…</p>
<section>
  <h2>Fast path vs slow path</h2>
  <div class="legend"><span class="key fast"></span> fast path (flowtable) <span class="key slow"></span> slow path <span id="rates" class="muted"></span></div>
  <svg id="chart" viewBox="0 0 600 200" preserveAspectRatio="none" role="img" aria-label="bytes per second on the fast and the slow path"></svg>
</section>
<section>
  <h2>Flowtables</h2>
  <p id="no-flowtable" class="notice" hidden>no flowtable on this router</p>
  <table id="flowtables"><thead><tr><th>flowtable</th><th>hook</th><th>devices</th><th>offload</th><th>counter</th></tr></thead><tbody></tbody></table>
  <ul id="warnings"></ul>
</section>
<section>
  <h2>Flows</h2>
  <p id="counts" class="muted"></p>
  <table id="flows"><thead><tr><th>proto</th><th>source</th><th>destination</th><th>actual</th><th>predicted</th><th>bytes</th><th>packets</th></tr></thead><tbody></tbody></table>
  <p id="more" class="muted"></p>
</section>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 1em; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.4em; }
.muted { opacity: 0.75; }
.notice { padding: 0.4em 0.6em; border-left: 3px solid var(--vscode-editorWarning-foreground, orange); background: var(--vscode-textBlockQuote-background); }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.mismatch td { color: var(--vscode-editorWarning-foreground, orange); }
#chart { width: 100%; height: 200px; background: var(--vscode-editor-background); border: 1px solid var(--vscode-panel-border, #8884); }
.line { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; }
.line.fast, .key.fast { stroke: var(--vscode-charts-green, green); background: var(--vscode-charts-green, green); }
.line.slow, .key.slow { stroke: var(--vscode-charts-orange, orange); background: var(--vscode-charts-orange, orange); }
.axis { fill: var(--vscode-foreground); font-size: 10px; opacity: 0.7; }
.grid { stroke: var(--vscode-panel-border, #8884); stroke-width: 1; vector-effect: non-scaling-stroke; }
.key { display: inline-block; width: 1em; height: 0.6em; margin: 0 0.3em 0 1em; }
`;

// Runs inside the webview (browser), so plain ES2020 without imports.
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const fmtBytes = (n) => {
    if (n === undefined || n === null) return '–';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; let v = n, i = 0;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return i === 0 ? n + ' B' : v.toFixed(1) + ' ' + u[i];
  };
  const cell = (tr, text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; };
  const clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); };
  const svgEl = (name, attrs) => { const e = document.createElementNS(SVG, name); for (const k in attrs) e.setAttribute(k, String(attrs[k])); return e; };

  function drawChart(samples) {
    const svg = $('chart'); clear(svg);
    const W = 600, H = 200, pad = 4;
    const pts = samples.slice(1);
    const max = Math.max(1, ...pts.map((s) => Math.max(s.fastRate, s.slowRate)));
    for (const f of [0.5, 1]) svg.appendChild(svgEl('line', { class: 'grid', x1: 0, x2: W, y1: H - pad - f * (H - 2 * pad), y2: H - pad - f * (H - 2 * pad) }));
    const label = svgEl('text', { class: 'axis', x: 4, y: 12 }); label.textContent = fmtBytes(max) + '/s'; svg.appendChild(label);
    if (pts.length < 2) return;
    const t0 = pts[0].t, t1 = pts[pts.length - 1].t, span = Math.max(1, t1 - t0);
    const line = (key, cls) => {
      const d = pts.map((s) => ((s.t - t0) / span * W).toFixed(1) + ',' + (H - pad - s[key] / max * (H - 2 * pad)).toFixed(1)).join(' ');
      svg.appendChild(svgEl('polyline', { class: 'line ' + cls, points: d }));
    };
    line('slowRate', 'slow'); line('fastRate', 'fast');
  }

  function update(m) {
    $('title').textContent = 'Offload dashboard: ' + m.router;
    $('status').textContent = m.connection + (m.error ? ': ' + m.error : '') + (m.at ? ' · updated ' + new Date(m.at).toLocaleTimeString() : '');
    drawChart(m.samples);
    const last = m.samples[m.samples.length - 1];
    $('rates').textContent = last && m.samples.length > 1 ? '· now ' + fmtBytes(last.fastRate) + '/s fast, ' + fmtBytes(last.slowRate) + '/s slow' : '';
    const ftBody = $('flowtables').tBodies[0]; clear(ftBody);
    const noFt = Array.isArray(m.flowtables) && m.flowtables.length === 0;
    $('no-flowtable').hidden = !noFt;
    $('flowtables').hidden = noFt;
    for (const ft of m.flowtables || []) {
      const tr = document.createElement('tr');
      cell(tr, ft.family + ' ' + ft.table + ' ' + ft.name); cell(tr, (ft.hook || '') + (ft.priority ? ' priority ' + ft.priority : ''));
      cell(tr, ft.devices.join(', ')); cell(tr, ft.offload ? 'flags offload' : 'software only'); cell(tr, ft.counter ? 'counter' : 'no counter (offloaded bytes freeze)');
      ftBody.appendChild(tr);
    }
    const ul = $('warnings'); clear(ul);
    for (const w of m.warnings) { const li = document.createElement('li'); li.textContent = w; ul.appendChild(li); }
    const c = m.counts;
    $('counts').textContent = c ? c.offloaded + ' of ' + c.total + ' flows offloaded (hardware ' + c.hw + ', software ' + c.sw + ', slow path ' + c.slow + ')' +
      (c.fastBytes !== undefined || c.slowBytes !== undefined ? ' · ' + fmtBytes(c.fastBytes || 0) + ' fast, ' + fmtBytes(c.slowBytes || 0) + ' slow' : '') : '';
    const body = $('flows').tBodies[0]; clear(body);
    for (const f of m.flows) {
      const tr = document.createElement('tr');
      if (f.mismatch) tr.className = 'mismatch';
      tr.title = f.reasons;
      cell(tr, f.proto); cell(tr, f.src); cell(tr, f.dst); cell(tr, f.actual); cell(tr, f.predicted);
      cell(tr, fmtBytes(f.bytes), 'num'); cell(tr, f.packets === undefined ? '–' : String(f.packets), 'num');
      body.appendChild(tr);
    }
    $('more').textContent = m.moreFlows ? '… and ' + m.moreFlows + ' smaller flows' : '';
    vscode.setState(m);
  }

  window.addEventListener('message', (e) => { if (e.data && e.data.type === 'update') update(e.data); });
  const saved = vscode.getState(); if (saved) update(saved);
  vscode.postMessage({ type: 'ready' });
})();
`;
