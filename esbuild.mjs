// Bundles the client, the server and the CLI into CommonJS files for Node.
// esbuild only bundles; type checking is `npm run check-types` (tsc --noEmit).
// Bundling also turns ESM-only Chevrotain into CommonJS that VS Code can load.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
// --out-root=DIR writes the bundles under DIR (scripts/package.sh stages the .vsix there, so
// packaging never rewrites the bundles that tests running at the same time are using).
const outRoot = process.argv.find((a) => a.startsWith('--out-root='))?.slice('--out-root='.length) ?? '.';
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // ssh2's optional native helpers are loaded in try/catch; keep them out of the bundle.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node', '*.node'],
  // Bundles skip Chevrotain's grammar validations (start-up time); the tests run them.
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * The CLI's `remote` and `lsp` commands live in bundles of their own (server/out/cli-*.js),
 * required only when run: `check`, the command scripts and hooks run most, then does not read
 * and compile ssh2 and the language server at every start (1 MB of its 2 MB, about 35 ms).
 * run-cli.ts imports them dynamically; this plugin points those imports at the bundles.
 */
const CLI_COMMAND_BUNDLES = { './remote-command': './cli-remote.js', '../lsp/server': './cli-lsp.js' };
const cliCommandBundles = {
  name: 'cli-command-bundles',
  setup(build) {
    build.onResolve({ filter: /^(\.\/remote-command|\.\.\/lsp\/server)$/ }, (args) =>
      args.importer.endsWith(join('cli', 'run-cli.ts')) ? { path: CLI_COMMAND_BUNDLES[args.path], external: true } : undefined,
    );
  },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', plugins: [cliCommandBundles] },
  { entryPoints: ['server/src/cli/remote-command.ts'], outfile: 'server/out/cli-remote.js' },
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/cli-lsp.js' },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, outfile: join(outRoot, e.outfile) })));
