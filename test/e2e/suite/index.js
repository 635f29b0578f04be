// Test entry loaded by the extension host (extensionTestsPath) of either runner: code-server
// (run-code-server.mjs) or a downloaded VS Code (run-test-electron.mjs). Runs mocha in-process.
'use strict';
const path = require('path');
const Mocha = require('mocha');

// One shared suite, in this order: the language features need only the workspace, the remote
// ones need the netns router lab, the dashboard needs a lab with live counters.
const FILES = ['lsp-features.test.js', 'remote.test.js', 'dashboard.test.js'];

exports.run = function run() {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: 60000,
    grep: process.env.NFO_E2E_GREP || undefined,
  });
  for (const f of FILES) mocha.addFile(path.join(__dirname, f));
  // run-code-server.mjs prints the extension host's console output from this marker on.
  console.log('@@tests-start@@');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      console.log(`${s.passes} passed, ${s.failures} failed` + (s.pending ? `, ${s.pending} skipped` : ''));
      failures ? reject(new Error(`${failures} tests failed.`)) : resolve();
    });
  });
};
