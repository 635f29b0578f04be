// Language features in a real VS Code, from the installed .vsix, on the bundled example workspace
// (a copy of examples/). Nothing is mocked: the real client starts the real language server.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor, wsUri, openEditor, posOf, diagnostics, codeOf, shot, ui, sleep, revertAndCloseAll, activate } = require('./helpers');

const HOME = 'home-router.nft';
const GUEST = 'guest-wifi.nft';
const GUEST_DEFS = 'guest-wifi-interfaces.nft';

const rangeOf = (doc, needle, nth = 0) => new vscode.Range(posOf(doc, needle, 0, nth), posOf(doc, needle, needle.length, nth));
const rangeText = (r) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe('language features (real VS Code, installed .vsix)', function () {
  afterEach(revertAndCloseAll);
  // Any test may run first (NFO_E2E_GREP): the language server answers once it has started.
  before(async () => {
    await activate();
    await waitFor('first diagnostics from the language server', () => diagnostics(wsUri(HOME)).length > 0, 60000);
  });

  it('opening a ruleset activates the extension from the installed .vsix', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    // The packaged extension, not the source tree: the .vsix ships bundles only.
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'server', 'src')), `loaded from a source tree: ${ext.extensionPath}`);
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'server', 'out', 'server.js')));
    const editor = await openEditor(HOME);
    assert.strictEqual(editor.document.languageId, 'nftables');
    await waitFor('extension activation', () => ext.isActive, 60000);
    console.log(`    (VS Code ${vscode.version}, extension ${ext.packageJSON.version} at ${ext.extensionPath})`);
  });

  it('the installed .vsix holds the bundles, icon, changelog and licence, and nothing else', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const files = [];
    const walk = (dir, rel) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else files.push(`${rel}${e.name}`);
      }
    };
    walk(ext.extensionPath, '');
    const bundles = ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'server/out/cli-remote.js', 'server/out/cli-lsp.js'];
    for (const f of ['package.json', ...bundles, 'bin/nft-offload.js', 'images/icon.png']) {
      assert.ok(files.includes(f), `${f} missing from the package`);
    }
    assert.ok(files.some((f) => /^changelog\.md$/i.test(f)), 'no changelog');
    assert.ok(files.some((f) => /^licen[sc]e(\.txt|\.md)?$/i.test(f)), 'no licence');
    const unexpected = files.filter((f) => /(^|\/)(node_modules|src|test|docs|examples)\/|\.map$|\.ts$|\.vsix$/.test(f));
    assert.deepStrictEqual(unexpected, [], 'dev files in the package');
    // The bundled CLI runs from the package (with the extension host's Node).
    const r = require('child_process').spawnSync(process.execPath, [path.join(ext.extensionPath, 'bin', 'nft-offload.js'), 'check', '--json', wsUri(HOME).fsPath],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const out = JSON.parse(r.stdout);
    assert.ok(out.files[0].diagnostics.some((d) => d.code === 'OFF002'), r.stderr);
    // `remote` loads from its own bundle (server/out/cli-remote.js): its usage, exit 2.
    const remote = require('child_process').spawnSync(process.execPath, [path.join(ext.extensionPath, 'bin', 'nft-offload.js'), 'remote'],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.strictEqual(remote.status, 2, remote.stderr);
    assert.match(remote.stderr, /usage: nft-offload remote/);
  });

  it('diagnostics appear with the right codes, severities and ranges', async () => {
    const editor = await openEditor(HOME);
    const doc = editor.document;
    const diags = await waitFor('OFF002 on home-router.nft', () => {
      const d = diagnostics(doc.uri);
      return d.some((x) => codeOf(x) === 'OFF002') && d;
    });
    const off002 = diags.find((d) => codeOf(d) === 'OFF002');
    // The rule that ends the chain for established packets, as `nft-offload check` reports it.
    assert.strictEqual(rangeText(off002.range), rangeText(rangeOf(doc, 'ct state established,related counter accept')));
    assert.strictEqual(off002.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(off002.message, /never offloads them/);
    assert.strictEqual(off002.source, 'nftables-offload');
    assert.match(String(off002.code.target), /docs\/findings\/OFF002\.md$/);
    assert.ok(off002.relatedInformation?.some((r) => r.location.range.start.line === posOf(doc, 'ct state established,related flow add @ft').line));
    const off004 = diags.find((d) => codeOf(d) === 'OFF004');
    assert.ok(off004, 'OFF004 missing');
    const flowAdd = posOf(doc, 'related flow add @ft', 'related '.length);
    assert.strictEqual(rangeText(off004.range), rangeText(new vscode.Range(flowAdd, flowAdd.translate(0, 'flow add @ft'.length))));
    assert.strictEqual(off004.severity, vscode.DiagnosticSeverity.Information);
    // No syntax or semantic errors in the example.
    assert.deepStrictEqual(diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);

    // Screenshot: the real mouse on the warning shows its message and the quick-fix it offers;
    // the cursor on that line shows the lightbulb.
    editor.selection = new vscode.Selection(off002.range.start, off002.range.start);
    editor.revealRange(off002.range, vscode.TextEditorRevealType.InCenter);
    await sleep(500);
    await ui('hover-text', { text: 'accept', line: off002.range.start.line + 1 });
    await shot('diagnostics-quick-fix', 1000);
    await ui('mouse-away');
  });

  it('a quick-fix applied from the lightbulb clears the offload blocker', async () => {
    const editor = await openEditor(HOME);
    const doc = editor.document;
    const blocker = await waitFor('OFF002', () => diagnostics(doc.uri).find((d) => codeOf(d) === 'OFF002'));
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, blocker.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /^Move `ct state established,related flow add @ft` above/.test(a.title));
    assert.ok(fix, `no move fix among: ${actions.map((a) => a.title).join(' | ')}`);
    // Apply it the way the lightbulb does: the editor's code action command at the cursor.
    editor.selection = new vscode.Selection(blocker.range.start, blocker.range.start);
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: 'quickfix', apply: 'first' });
    await waitFor('the fix to be applied', () => doc.getText().indexOf('flow add @ft') < doc.getText().indexOf('ct state established,related counter accept'));
    await waitFor('OFF002 to clear', () => {
      const d = diagnostics(doc.uri);
      return d.length > 0 && !d.some((x) => codeOf(x) === 'OFF002');
    });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('OFF002 back after revert', () => diagnostics(doc.uri).some((x) => codeOf(x) === 'OFF002'));
  });

  it('completion offers flowtables after `@` and variables after `$`', async () => {
    const doc = (await openEditor(HOME)).document;
    const at = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, posOf(doc, 'flow add @ft', 'flow add @'.length));
    const labels = (list) => list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels(at).includes('ft'), `@ completions: ${labels(at).join(', ')}`);
    const dollar = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, posOf(doc, '$LAN_NET counter', 1));
    for (const v of ['LAN_IF', 'WAN_IF', 'LAN_NET']) assert.ok(labels(dollar).includes(v), `$ completions: ${labels(dollar).join(', ')}`);
  });

  it('hover on a variable shows its definition', async () => {
    const editor = await openEditor(HOME);
    const doc = editor.document;
    const p = posOf(doc, '$LAN_IF udp', 2);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, p);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /define LAN_IF = "lan0"/);
    // Screenshot: the hover widget in the editor.
    editor.selection = new vscode.Selection(p, p);
    editor.revealRange(new vscode.Range(p, p), vscode.TextEditorRevealType.InCenter);
    await sleep(300);
    // The real mouse over the word: the hover widget the user sees (the TextMate grammar may
    // split `$` from the name, hence the second try).
    await ui('hover-text', { text: '$LAN_IF', line: p.line + 1 }).catch(() => ui('hover-text', { text: 'LAN_IF', line: p.line + 1 }));
    await shot('hover', 800);
    await ui('mouse-away');
  });

  it('go to definition follows an include into another file', async () => {
    const doc = (await openEditor(GUEST)).document;
    const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, posOf(doc, 'oifname $LAN_IF', 'oifname $'.length));
    assert.ok(defs.length > 0, 'no definition');
    const d = defs[0];
    const uri = d.targetUri ?? d.uri;
    const range = d.targetSelectionRange ?? d.targetRange ?? d.range;
    assert.strictEqual(path.basename(uri.path), GUEST_DEFS);
    const defsDoc = await vscode.workspace.openTextDocument(wsUri(GUEST_DEFS));
    assert.strictEqual(range.start.line, posOf(defsDoc, 'define LAN_IF').line);
  });

  it('rename changes every reference, across the include', async () => {
    const home = (await openEditor(HOME)).document;
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', home.uri, posOf(home, '@admin_hosts', 2), 'trusted_admins');
    const homeEdits = edit.get(home.uri);
    assert.strictEqual(homeEdits.length, 2, 'set declaration + one reference');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.match(home.getText(), /set trusted_admins \{/);
    assert.match(home.getText(), /ip saddr @trusted_admins tcp dport 22/);
    assert.doesNotMatch(home.getText(), /admin_hosts/);

    // A define from the included file: renaming it where it is used edits both files.
    const guest = (await openEditor(GUEST)).document;
    const edit2 = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', guest.uri, posOf(guest, 'iifname $GUEST_IF', 'iifname $'.length), 'GUEST_VLAN');
    const files = edit2.entries().map(([u]) => path.basename(u.path)).sort();
    assert.deepStrictEqual(files, [GUEST, GUEST_DEFS].sort());
    assert.ok(await vscode.workspace.applyEdit(edit2));
    const defs = await vscode.workspace.openTextDocument(wsUri(GUEST_DEFS));
    assert.match(defs.getText(), /define GUEST_VLAN = "lan0\.20"/);
    assert.match(guest.getText(), /iifname \$GUEST_VLAN oifname \$LAN_IF counter drop/);
    assert.match(guest.getText(), /iifname \{ \$LAN_IF, \$GUEST_VLAN \}/);
    await waitFor('diagnostics after the renames, with no error', () => {
      const d = diagnostics(guest.uri);
      return !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error);
    });
  });

  it('the outline lists tables with their flowtables, sets and chains', async () => {
    const doc = (await openEditor(HOME)).document;
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    const outline = Object.fromEntries(symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]));
    assert.deepStrictEqual(outline.filter, ['ft', 'admin_hosts', 'input', 'forward', 'output']);
    assert.deepStrictEqual(outline.nat, ['prerouting', 'postrouting']);
    assert.ok(symbols.some((s) => s.name === '$LAN_IF'), 'defines are listed');
  });

  it('format document re-indents a mangled ruleset and is then stable', async () => {
    const editor = await openEditor(HOME);
    const doc = editor.document;
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await waitFor('format edits', () => true);
    const canonical = doc.getText();
    // Mangle: the forward chain's rules indented with spaces instead of tabs.
    const start = posOf(doc, 'chain forward').line + 1;
    const end = posOf(doc, 'counter comment "dropped forward"').line;
    const mangled = new vscode.WorkspaceEdit();
    for (let l = start; l <= end; l++) {
      const line = doc.lineAt(l);
      const indent = line.firstNonWhitespaceCharacterIndex;
      if (indent > 0) mangled.replace(doc.uri, new vscode.Range(l, 0, l, indent), '   ');
    }
    assert.ok(await vscode.workspace.applyEdit(mangled));
    assert.notStrictEqual(doc.getText(), canonical);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await waitFor('the formatter to restore the indentation', () => doc.getText() === canonical, 10000);
    assert.match(doc.lineAt(end).text, /^\t\tcounter comment "dropped forward"$/);
    const again = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 8, insertSpaces: false });
    assert.deepStrictEqual(again ?? [], [], 'formatting formatted text changes nothing');
  });

  it('code lenses show the offload verdict of the forward chain and flowtable', async () => {
    const editor = await openEditor(HOME);
    const doc = editor.document;
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      return l && l.length > 0 && l;
    });
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`);
    const forwardLine = posOf(doc, 'chain forward').line;
    const verdict = lenses.find((l) => l.range.start.line === forwardLine);
    assert.ok(verdict, `no lens on the forward chain; lenses: ${titles.join(' | ')}`);
    assert.match(verdict.command.title, /fast|slow|dropped/i, titles.join(' | '));
    const ftLine = posOf(doc, 'flowtable ft').line;
    assert.ok(lenses.some((l) => l.range.start.line === ftLine), `no lens on the flowtable; lenses: ${titles.join(' | ')}`);
    console.log(`    lenses: ${titles.join(' | ')}`);
    // The guest router adds flows before accepting established traffic: its lens says fast.
    const guest = await vscode.workspace.openTextDocument(wsUri(GUEST));
    const guestLenses = await waitFor('guest-wifi.nft code lenses', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', guest.uri);
      return l && l.length > 0 && l;
    });
    const guestForward = posOf(guest, 'chain forward').line;
    const guestTitles = guestLenses.filter((l) => l.range.start.line === guestForward).map((l) => l.command?.title);
    console.log(`    guest-wifi.nft forward lenses: ${guestTitles.join(' | ')}`);
    assert.ok(guestTitles.some((t) => /fast/i.test(t)), `no fast-path verdict on guest-wifi.nft's forward chain: ${guestTitles.join(' | ')}`);
    // Screenshot: the forward chain with its verdict lens.
    const top = new vscode.Position(Math.max(0, forwardLine - 3), 0);
    editor.selection = new vscode.Selection(top, top);
    editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.action.closeSidebar'); // room for the lens line
    await sleep(300);
    await shot('code-lens', 1000);
    await vscode.commands.executeCommand('workbench.view.explorer');
  });
});
