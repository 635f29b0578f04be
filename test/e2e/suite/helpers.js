// Helpers for the e2e suite; they run inside the VS Code extension host.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'nftables-offload.nftables-offload';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` after `ms` (a hang guard, not a timing assertion). */
async function waitFor(what, fn, ms = 30000) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** A file of the test workspace (a fresh copy of examples/ made by the runner). */
function wsUri(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function openEditor(name) {
  const doc = await vscode.workspace.openTextDocument(wsUri(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The position of the `nth` occurrence of `needle` in `doc`, plus `delta` characters. */
function posOf(doc, needle, delta = 0, nth = 0) {
  const text = doc.getText();
  let o = -1;
  for (let i = 0; i <= nth; i++) {
    o = text.indexOf(needle, o + 1);
    if (o < 0) throw new Error(`${needle} not found in ${doc.uri.path}`);
  }
  return doc.positionAt(o + delta);
}

function diagnostics(uri) {
  return vscode.languages.getDiagnostics(uri);
}

const codeOf = (d) => (typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code));

/**
 * Screenshot handshake with the Playwright driver outside: print a marker, then wait until the
 * driver has written `<name>.png` and its `.done` file (same disk). No-op when the runner cannot
 * take screenshots (run-test-electron.mjs).
 */
async function shot(name, settleMs = 600) {
  const dir = process.env.NFO_E2E_SHOTS;
  if (!dir) return;
  await sleep(settleMs); // let the workbench paint (widgets animate in)
  const done = path.join(dir, `${name}.png.done`);
  fs.rmSync(done, { force: true });
  console.log(`@@shot:${name}@@`);
  await waitFor(`screenshot ${name}`, () => fs.existsSync(done), 30000);
}

let uiSeq = 0;
/**
 * Asks the Playwright driver to do something only a real mouse/keyboard can (e.g. hover a word so
 * the editor shows its hover widget). `action`: 'hover-text' (arg: { text, line? }: the editor token
 * with exactly this text, on this 1-based line if given), 'press' (arg: { key }) or 'mouse-away'.
 * Same handshake as `shot`; no-op without a driver.
 */
async function ui(action, arg = {}) {
  const dir = process.env.NFO_E2E_SHOTS;
  if (!dir) return;
  const id = `ui-${process.pid}-${++uiSeq}`;
  const done = path.join(dir, `${id}.done`);
  console.log(`@@ui:${id}:${action}:${JSON.stringify(arg)}@@`);
  // longer than any timeout the driver applies itself, so its error message comes back
  await waitFor(`driver action ${action} ${JSON.stringify(arg)}`, () => fs.existsSync(done), (arg.timeout ?? 30000) + 30000);
  const result = fs.readFileSync(done, 'utf8');
  fs.rmSync(done, { force: true });
  if (result !== 'ok') throw new Error(`driver action ${action} ${JSON.stringify(arg)} failed: ${result}`);
}

/** Closes every editor, discarding unsaved edits (tests never save into the workspace copy). */
async function revertAndCloseAll() {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.path ?? '\0';
  for (const doc of vscode.workspace.textDocuments) {
    // only our own edits: workspace files and untitled documents (a pulled ruleset would
    // otherwise ask "Save?" in a modal dialog, which VS Code refuses during tests)
    if (!doc.isDirty || !(doc.uri.scheme === 'untitled' || doc.uri.path.startsWith(folder))) continue;
    try {
      await vscode.window.showTextDocument(doc, { preview: false });
      if (doc.uri.scheme === 'untitled') {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        continue;
      }
      await vscode.commands.executeCommand('workbench.action.files.revert');
      // The next test must find the file as it is on disk: wait for the revert to land. (The
      // files on disk stay untouched: prepare-run.mjs turns auto-save off, refactorings included.)
      await waitFor(`revert of ${path.basename(doc.uri.path)}`, () => !doc.isDirty, 10000);
    } catch (e) {
      console.log(`    (could not revert ${doc.uri.toString()}: ${e.message})`);
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Opens a ruleset so the extension activates (onLanguage:nftables), and waits for it. */
async function activate() {
  await openEditor('home-router.nft');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  await waitFor('extension activation', () => ext.isActive, 60000);
  return ext;
}

/** Lab description passed by the runner: { url, identity, knownHosts, ns: { rtr }, routerName }. */
function lab() {
  try {
    return process.env.NFO_E2E_LAB ? JSON.parse(process.env.NFO_E2E_LAB) : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { EXTENSION_ID, sleep, waitFor, wsUri, openEditor, posOf, diagnostics, codeOf, shot, ui, lab, activate, revertAndCloseAll };
