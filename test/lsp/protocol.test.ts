import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SERVER, startTestServer, type TestServer } from './client';
import { CORPUS_DIR } from '../helpers/shared';

const FIX = join(__dirname, 'fixtures');
const mainPath = join(FIX, 'main.nft');
const uri = pathToFileURL(mainPath).href;
const text = readFileSync(mainPath, 'utf8');
const pos = (needle: string, delta = 0) => {
  const o = text.indexOf(needle) + delta;
  const before = text.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};
const doc = { textDocument: { uri } };

describe.skipIf(!existsSync(SERVER))('language server over stdio (server/out/server.js)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nftables', version: 1, text } });
  }, 30_000);
  afterAll(async () => s?.stop());

  it('pulls diagnostics with codes linked to docs', async () => {
    const r: any = await s.conn.sendRequest('textDocument/diagnostic', doc);
    expect(r.kind).toBe('full');
    for (const d of r.items) expect(d.codeDescription.href).toMatch(new RegExp(`${d.code}\\.md$`));
  });
  it('hover on a define shows its value from the included file', async () => {
    const r: any = await s.conn.sendRequest('textDocument/hover', { ...doc, position: pos('$LAN', 2) });
    expect(r.contents.value).toContain('define LAN = "lan0"');
  });
  it('go to definition across an include', async () => {
    const r: any = await s.conn.sendRequest('textDocument/definition', { ...doc, position: pos('$LAN', 2) });
    expect(r[0].uri).toMatch(/defs\.nft$/);
  });
  it('references and rename of a chain', async () => {
    const refs: any = await s.conn.sendRequest('textDocument/references', { ...doc, position: pos('jump lan_fwd', 6), context: { includeDeclaration: true } });
    expect(refs).toHaveLength(2);
    const edit: any = await s.conn.sendRequest('textDocument/rename', { ...doc, position: pos('jump lan_fwd', 6), newName: 'lan_forward' });
    expect(edit.documentChanges[0].textDocument.version).toBe(1);
    expect(edit.documentChanges[0].edits).toHaveLength(2);
  });
  it('completion after @ in flow add', async () => {
    const r: any = await s.conn.sendRequest('textDocument/completion', { ...doc, position: pos('@ft', 1) });
    expect(r.items.map((i: any) => i.label)).toContain('ft');
  });
  it('document symbols, folding, selection, semantic tokens', async () => {
    const syms: any = await s.conn.sendRequest('textDocument/documentSymbol', doc);
    expect(syms.map((x: any) => x.name)).toEqual(['./defs.nft', 'filter']);
    const folds: any = await s.conn.sendRequest('textDocument/foldingRange', doc);
    expect(folds.length).toBeGreaterThanOrEqual(4);
    const sel: any = await s.conn.sendRequest('textDocument/selectionRange', { ...doc, positions: [pos('saddr')] });
    expect(sel[0].parent).toBeTruthy();
    const toks: any = await s.conn.sendRequest('textDocument/semanticTokens/full', doc);
    expect(toks.data.length % 5).toBe(0);
  });
  it('workspace symbols', async () => {
    const r: any = await s.conn.sendRequest('workspace/symbol', { query: 'lan' });
    expect(r.map((x: any) => x.name)).toContain('lan_fwd');
  });
  it('formatting is a no-op on canonical text; range formatting works', async () => {
    expect(await s.conn.sendRequest('textDocument/formatting', { ...doc, options: { tabSize: 8, insertSpaces: false } })).toEqual([]);
    const r: any = await s.conn.sendRequest('textDocument/rangeFormatting', { ...doc, range: { start: pos('accept'), end: pos('accept', 6) }, options: { tabSize: 8, insertSpaces: false } });
    expect(r).toEqual([]);
  });
  it('code actions: add missing declaration, stamped with the version', async () => {
    const r: any = await s.conn.sendRequest('textDocument/codeAction', { ...doc, range: { start: pos('@missing_set', 1), end: pos('@missing_set', 2) }, context: { diagnostics: [] } });
    const a = r.find((x: any) => /missing_set/.test(x.title));
    expect(a.edit.documentChanges[0].textDocument).toEqual({ uri, version: 1 });
  });
  it('code lens, inlay hints, document links', async () => {
    const lens: any = await s.conn.sendRequest('textDocument/codeLens', doc);
    expect(lens.map((l: any) => l.command.title).join('\n')).toMatch(/@ft/);
    const hints: any = await s.conn.sendRequest('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } } });
    expect(Array.isArray(hints)).toBe(true);
    const links: any = await s.conn.sendRequest('textDocument/documentLink', doc);
    expect(links[0].target).toMatch(/defs\.nft$/);
  });
});

describe.skipIf(!existsSync(SERVER))('push diagnostics (client without pull support)', () => {
  it('publishes once after the debounce, with the version, never stale', async () => {
    const s = await startTestServer({}, { severityOverrides: { SYN001: 'off' } });
    try {
      const u = 'file:///tmp/push-test.nft';
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'nftables', version: 1, text: 'table ip t {\n' } });
      for (let v = 2; v <= 5; v++) await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: v }, contentChanges: [{ text: `table ip t${v} {\n\tchain c {\n\t}\n}\n` }] });
      const pubs = () => s.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics') as any[];
      for (let i = 0; i < 100 && !pubs().some((p) => p.params.version === 5); i++) await new Promise((r) => setTimeout(r, 100));
      const got = pubs().map((p) => p.params.version);
      expect(got[got.length - 1]).toBe(5);
      // Results are stamped with their version and never go backwards.
      expect([...got].sort((a, b) => a - b)).toEqual(got);
      // SYN001 is turned off by the override.
      expect(pubs().flatMap((p) => p.params.diagnostics).some((d: any) => d.code === 'SYN001')).toBe(false);
    } finally {
      await s.stop();
    }
  }, 30_000);
});

describe.skipIf(!existsSync(SERVER))('robustness: the server survives any document', () => {
  it('every bogon, random bytes; requests answer and the server stays up', async () => {
    const s = await startTestServer();
    try {
      const dir = join(CORPUS_DIR, 'bogons');
      const inputs: [string, string][] = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'latin1')]);
      // 0.25 MB of random bytes is analysed (junk findings, capped at MAX_DIAGNOSTICS); files above
      // 16 MB or large binary-looking ones get one LSP001 note instead (features.test.ts: 50 MB).
      const mb = Number(process.env.NFT_LSP_RANDOM_MB ?? 0.25);
      inputs.push(['random', randomBytes(Math.round(mb * 1024 * 1024)).toString('latin1')]);
      let v = 1;
      for (const [name, t] of inputs) {
        const u = `file:///tmp/bogon-${encodeURIComponent(name)}.nft`;
        await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'nftables', version: v++, text: t } });
        const d: any = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: u } });
        expect(d.kind, name).toBe('full');
        for (const m of ['textDocument/formatting', 'textDocument/semanticTokens/full', 'textDocument/documentSymbol', 'textDocument/foldingRange']) {
          await s.conn.sendRequest(m, { textDocument: { uri: u }, options: { tabSize: 8, insertSpaces: false } }).catch(() => undefined);
        }
        await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 1 } }).catch(() => undefined);
        await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
      }
      expect(s.child.exitCode).toBeNull();
      // A request for an unknown document still answers.
      expect(await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope.nft' }, position: { line: 0, character: 0 } })).toBeNull();
    } finally {
      await s.stop();
    }
  }, 300_000);
});
