// Language server features over the real bundled server (stdio): navigation from the
// semantic model across includes, findings of included files, two-step diagnostics of
// large files, offload code lenses and hints, the nft -c setting (the real nft binary),
// and the size limit. Files live in a fresh temporary directory per run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SERVER, startTestServer, type TestServer } from './client';

const dir = mkdtempSync(join(tmpdir(), `nft-lsp-features-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): { path: string; uri: string; text: string } {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, uri: pathToFileURL(path).href, text };
}

function posOf(text: string, needle: string, delta = 0) {
  const o = text.indexOf(needle) + delta;
  if (o < delta) throw new Error(`${needle} not in text`);
  const before = text.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const open = (s: TestServer, f: { uri: string; text: string }, version = 1) =>
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: f.uri, languageId: 'nftables', version, text: f.text } });

async function until<T>(what: () => T | undefined, label: string, ms = 30_000): Promise<T> {
  // Hang guard only: polls until the server has sent what we wait for.
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 50))) {
    const v = what();
    if (v !== undefined && v !== false) return v;
  }
  throw new Error(`timed out waiting for ${label}`);
}

const published = (s: TestServer, uri: string) =>
  s.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri).map((n) => (n.params as { diagnostics: { code: string; message: string }[] }).diagnostics);

/** A ruleset well above the size the server analyses synchronously (32 KB). */
function large(chains: number): string {
  const out = ['table inet filter {', '\tflowtable ft {', '\t\thook ingress priority filter', '\t\tdevices = { lan0, wan0 }', '\t}', ''];
  for (let i = 0; i < chains; i++) out.push(`\tchain c${i} {`, `\t\tip saddr 10.0.${i % 256}.0/24 counter accept comment "chain ${i}"`, '\t\treturn', '\t}', '');
  out.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '\t\tct state established flow add @ft', '\t\tiifname "lan0" oifname "wan0" accept', '\t\tjump nowhere', '\t}', '}', '');
  return out.join('\n');
}

describe.skipIf(!existsSync(SERVER))('navigation from the semantic model, across includes', () => {
  let s: TestServer;
  const defs = write('defs.nft', 'define LAN = "lan0"\n');
  const main = write('main.nft', 'include "./defs.nft"\ntable inet filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tiifname $LAN jump lan_fwd\n\t\toifname $LAN accept\n\t}\n\tchain lan_fwd {\n\t\taccept\n\t}\n}\n');
  beforeAll(async () => {
    s = await startTestServer();
    await open(s, main);
    await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: main.uri } });
  }, 30_000);
  afterAll(async () => s?.stop());

  it('renames a define in the included file and every $use', async () => {
    const edit: any = await s.conn.sendRequest('textDocument/rename', { textDocument: { uri: main.uri }, position: posOf(main.text, '$LAN', 2), newName: 'INSIDE' });
    const byUri = Object.fromEntries(edit.documentChanges.map((c: any) => [c.textDocument.uri, c.edits.map((e: any) => e.newText)]));
    expect(byUri[defs.uri]).toEqual(['INSIDE']);
    expect(byUri[main.uri]).toEqual(['$INSIDE', '$INSIDE']);
  });
  it('definition of $LAN is in defs.nft; references count every use', async () => {
    const d: any = await s.conn.sendRequest('textDocument/definition', { textDocument: { uri: main.uri }, position: posOf(main.text, '$LAN', 1) });
    expect(d).toEqual([{ uri: defs.uri, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 10 } } }]);
    const refs: any = await s.conn.sendRequest('textDocument/references', { textDocument: { uri: main.uri }, position: posOf(main.text, 'jump lan_fwd', 6), context: { includeDeclaration: false } });
    expect(refs).toHaveLength(1);
  });
  it('opening the included file navigates with the including file\'s model', async () => {
    await open(s, defs);
    const refs: any = await s.conn.sendRequest('textDocument/references', { textDocument: { uri: defs.uri }, position: { line: 0, character: 8 }, context: { includeDeclaration: true } });
    expect(refs.map((r: any) => r.uri).sort()).toEqual([defs.uri, main.uri, main.uri]);
    const hover: any = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: main.uri }, position: posOf(main.text, '$LAN', 2) });
    expect(hover.contents.value).toContain('define LAN = "lan0"');
    await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: defs.uri } });
  });
  it('workspace symbols come from the model', async () => {
    const r: any = await s.conn.sendRequest('workspace/symbol', { query: 'lan' });
    expect(r.map((x: any) => x.name).sort()).toEqual(['LAN', 'lan_fwd']);
  });
});

describe.skipIf(!existsSync(SERVER))('findings of included files', () => {
  it('are published under the included file\'s URI, and cleared when no longer produced', async () => {
    const inc = write('inc-chain.nft', 'chain extra {\n\tjump nowhere\n}\n');
    const main = write('inc-main.nft', 'table ip t {\n\tinclude "./inc-chain.nft"\n\tchain c {\n\t\tjump extra\n\t}\n}\n');
    const s = await startTestServer();
    try {
      await open(s, main);
      const own: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: main.uri } });
      expect(own.items.map((d: any) => d.code)).toEqual([]);
      const got = await until(() => published(s, inc.uri).find((d) => d.length), 'diagnostics of the included file');
      expect(got.map((d) => d.code)).toEqual(['SEM004']);
      // Opened, the file's findings come from its own pull (with the including file's model);
      // what was pushed for it is withdrawn, so nothing shows twice.
      const pushedBefore = published(s, inc.uri).length;
      await open(s, inc);
      await until(() => { const all = published(s, inc.uri); return all.length > pushedBefore && all[all.length - 1].length === 0; }, 'withdrawn push');
      const pulled: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: inc.uri } });
      expect(pulled.items.map((d: any) => d.code)).toEqual(['SEM004']);
      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: inc.uri } });
      await until(() => published(s, inc.uri).at(-1)?.length === 1, 'pushed again once closed');
      // Drop the include: the included file's findings are cleared.
      const without = main.text.replace('\tinclude "./inc-chain.nft"\n', '').replace('jump extra', 'accept');
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: main.uri, version: 2 }, contentChanges: [{ text: without }] });
      await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: main.uri } });
      await until(() => { const all = published(s, inc.uri); return all.length >= 2 && all[all.length - 1].length === 0; }, 'cleared diagnostics');
    } finally {
      await s.stop();
    }
  }, 60_000);
});

describe.skipIf(!existsSync(SERVER))('large files: diagnostics in two steps', () => {
  it('answers an edit at once (syntax now, semantics moved through the edit), then refreshes with the full analysis', async () => {
    const f = write('large.nft', large(1000));
    expect(f.text.length).toBeGreaterThan(64 * 1024);
    const s = await startTestServer();
    let refreshes = 0;
    s.conn.onRequest('workspace/diagnostic/refresh', () => void refreshes++);
    try {
      await open(s, f);
      const first: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      expect(first.items).toEqual([]); // syntax only: the full analysis runs next
      await until(() => refreshes >= 1, 'refresh after the first analysis');
      const full: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      const sem = full.items.find((d: any) => d.code === 'SEM004');
      // Lenses answer from the last model, on current positions.
      const lens: any = await s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: f.uri } });
      // TCP: the SYN-ACK of lan0 → wan0 is neither accepted nor offloaded (not assured yet), so the policy drops it;
      // UDP: the first reply is established, and `flow add` offloads it.
      const fwdLine = posOf(f.text, 'chain forward').line;
      expect(lens.filter((l: any) => l.range.start.line === fwdLine).map((l: any) => l.command.title)).toEqual([
        `tcp from lan0 → wan0: dropped at line ${posOf(f.text, 'type filter hook forward').line + 1}`,
        'udp from lan0 → wan0: fast path via @ft',
        `tcp/udp from wan0 → lan0: dropped at line ${posOf(f.text, 'type filter hook forward').line + 1}`,
      ]);
      expect(sem.range.start).toEqual(posOf(f.text, 'nowhere'));
      // Add a jump to a missing chain near the top: the answer comes before any new
      // analysis, with the old SEM004 moved down one line (the new one is not known yet).
      const at = posOf(f.text, '\t\treturn');
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: f.uri, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: '\t\tjump elsewhere\n' }] });
      const quick: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      const sq = quick.items.filter((d: any) => /^(SYN|SEM)/.test(d.code));
      expect(sq.map((d: any) => [d.code, d.range.start])).toEqual([['SEM004', { ...sem.range.start, line: sem.range.start.line + 1 }]]);
      // The offload findings of the other chains moved too (one per counter, OFF006).
      expect(quick.items.filter((d: any) => d.code === 'OFF006').length).toBe(full.items.filter((d: any) => d.code === 'OFF006').length);
      let before = refreshes;
      await until(() => refreshes > before, 'refresh after the edit');
      const after: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      expect(after.items.filter((d: any) => /^(SYN|SEM)/.test(d.code)).map((d: any) => [d.code, d.range.start.line])).toEqual([['SEM004', at.line], ['SEM004', sem.range.start.line + 1]]);
      // A syntax error: reported at once, exact; semantic findings after it are dropped, as the analysis does.
      const at2 = posOf(f.text, '\t\treturn\n\t}\n\n\tchain c1 ');
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: f.uri, version: 3 }, contentChanges: [{ range: { start: { line: at2.line + 1, character: 0 }, end: { line: at2.line + 1, character: 0 } }, text: '\t\tip saddr (\n' }] });
      const quick2: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      expect(quick2.items.filter((d: any) => /^(SYN|SEM)/.test(d.code)).map((d: any) => [d.code, d.range.start.line])).toEqual([['SEM004', at.line], ['SYN001', at2.line + 1]]);
      before = refreshes;
      await until(() => refreshes > before, 'refresh after the second edit');
      const after2: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      expect(after2.items.filter((d: any) => /^(SYN|SEM)/.test(d.code)).map((d: any) => d.code)).toEqual(quick2.items.filter((d: any) => /^(SYN|SEM)/.test(d.code)).map((d: any) => d.code));
    } finally {
      await s.stop();
    }
  }, 120_000);
});

describe.skipIf(!existsSync(SERVER))('offload code lens and inlay hints', () => {
  it('says which flows take the fast path, and what stops the others', async () => {
    const f = write('lens.nft', 'table inet filter {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { lan0, wan0 }\n\t\tflags offload\n\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tiifname "wan0" oifname "lan0" accept\n\t\tct state established flow add @ft\n\t\tiifname "lan0" oifname "wan0" accept\n\t\tct state established accept\n\t}\n}\n');
    const s = await startTestServer();
    try {
      await open(s, f);
      await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      let lens: any = await s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: f.uri } });
      const titles = lens.map((l: any) => `${l.range.start.line}: ${l.command.title}`);
      // A flow add in either direction offloads both (the reply data reaches it after the handshake).
      expect(titles).toEqual([
        '6: tcp/udp from lan0 → wan0: fast path via @ft (hardware)',
        '6: tcp/udp from wan0 → lan0: fast path via @ft (hardware)',
        '1: offloads tcp/udp lan0 → wan0, wan0 → lan0 (hardware); flow add at line 10',
      ]);
      const range = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
      let hints: any = await s.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri: f.uri }, range });
      expect(hints.map((h: any) => `${h.position.line}:${h.label}`)).toEqual(['9: offloads established tcp/udp']);
      // Accept established traffic first: nothing reaches the flow add any more.
      const text = f.text.replace('\t\tct state established flow add @ft\n', '\t\tct state established,related accept\n\t\tct state established flow add @ft\n');
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: f.uri, version: 2 }, contentChanges: [{ text }] });
      await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      lens = await s.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: f.uri } });
      expect(lens.map((l: any) => l.command.title)).toEqual([
        // Which accept ends the chain first depends on the packet (the SYN of wan0 → lan0 meets line 9 first).
        'tcp from lan0 → wan0: slow: blocked at line 10',
        'udp from lan0 → wan0: slow: blocked at line 9',
        'tcp from wan0 → lan0: slow: blocked at line 9',
        'udp from wan0 → lan0: slow: blocked at line 10',
        'flow add at line 11; no representative flow is offloaded here',
      ]);
      hints = await s.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri: f.uri }, range });
      expect(hints.map((h: any) => `${h.position.line}:${h.label}`)).toEqual(['10: never reached: accepted at line 10']);
    } finally {
      await s.stop();
    }
  }, 30_000);
});

const hasNft = (() => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe.skipIf(!existsSync(SERVER))('runNftCheck setting', () => {
  it.skipIf(!hasNft)('runs the real nft -c on the unsaved buffer and merges its findings (root, nft installed)', async () => {
    const f = write('nft-check.nft', 'table ip t {\n\tchain c {\n\t\taccept\n\t}\n}\n');
    const s = await startTestServer(undefined, { runNftCheck: true });
    let refreshes = 0;
    s.conn.onRequest('workspace/diagnostic/refresh', () => void refreshes++);
    try {
      await open(s, f);
      // The buffer (not the file on disk) has an error nft finds: a rule in a table that does not exist.
      const text = f.text + 'add rule ip nosuchtable c accept\n';
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: f.uri, version: 2 }, contentChanges: [{ text }] });
      await until(() => refreshes >= 1, 'nft -c result');
      const r: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: f.uri } });
      const nft = r.items.filter((d: any) => d.code === 'NFT001');
      expect(nft.length).toBeGreaterThan(0);
      expect(nft[0].range.start.line).toBe(5);
    } finally {
      await s.stop();
    }
  }, 60_000);
  it('without nft: one information message, once', async () => {
    const s = await startTestServer(undefined, { runNftCheck: true, nftPath: join(dir, 'no-such-nft') });
    try {
      const a = write('nft-a.nft', 'table ip a {\n}\n');
      const b = write('nft-b.nft', 'table ip b {\n}\n');
      await open(s, a);
      await until(() => s.notifications.some((n) => n.method === 'window/showMessage'), 'the message');
      await open(s, b);
      await new Promise((r) => setTimeout(r, 1500));
      const msgs = s.notifications.filter((n) => n.method === 'window/showMessage').map((n) => n.params as { type: number; message: string });
      expect(msgs).toHaveLength(1);
      expect(msgs[0].type).toBe(3);
      expect(msgs[0].message).toMatch(/no-such-nft not found/);
    } finally {
      await s.stop();
    }
  }, 30_000);
});

describe.skipIf(!existsSync(SERVER))('size limit', () => {
  it('a 50 MB file of random bytes gets one LSP001 note; requests stay cheap', async () => {
    const s = await startTestServer();
    try {
      const uri = `file://${dir}/random-50mb.nft`;
      const text = randomBytes(50 * 1024 * 1024).toString('latin1');
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
      const d: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      expect(d.items.map((x: any) => [x.code, x.severity])).toEqual([['LSP001', 3]]);
      expect(d.items[0].message).toMatch(/50\.0 MB, above the 16\.0 MB/);
      for (const m of ['textDocument/semanticTokens/full', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeLens']) await s.conn.sendRequest(m, { textDocument: { uri } });
      expect(await s.conn.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 8, insertSpaces: false } })).toBeNull();
      expect(s.child.exitCode).toBeNull();
    } finally {
      await s.stop();
    }
  }, 180_000);
});
