// Bundles the client, the server and the CLI into CommonJS files for Node.
// esbuild only bundles; type checking is `npm run check-types` (tsc --noEmit).
// Bundling also turns ESM-only Chevrotain into CommonJS that VS Code can load.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  { entryPoints: ['server/src/cli/snapshot-main.ts'], outfile: 'server/out/check-snapshot.js', plugins: [cliCommandBundles] },
  { entryPoints: ['server/src/cli/remote-command.ts'], outfile: 'server/out/cli-remote.js' },
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/cli-lsp.js' },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, outfile: join(outRoot, e.outfile) })));

/**
 * The start-up snapshot for `nft-offload check` (server/src/cli/snapshot-main.ts): Node runs the
 * bundle once and saves its heap, parser built. bin/nft-offload.js uses it only when the stamp
 * names the Node binary that runs it (size, mtime and inode of the file), so a Node upgraded
 * since the build falls back to cli.js instead of failing to load the blob. Made under the
 * launcher's V8 flag, since Node refuses a snapshot made under other flags. Not for packaging
 * (--out-root): the .vsix leaves it out, its user's Node is another.
 */
function buildCheckSnapshot() {
  const blob = 'server/out/check.blob';
  const stamp = `${blob}.node`;
  rmSync(stamp, { force: true }); // first, so that a failed build never leaves a stamp for an old blob
  const r = spawnSync(process.execPath, ['--max-semi-space-size=4', '--snapshot-blob', `${blob}.tmp`, '--build-snapshot', 'server/out/check-snapshot.js'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    rmSync(`${blob}.tmp`, { force: true });
    rmSync(blob, { force: true });
    console.warn(`esbuild.mjs: no start-up snapshot for check (${(r.stderr || r.error?.message || '').trim().split('\n')[0]}); it starts from cli.js`);
    return;
  }
  renameSync(`${blob}.tmp`, blob);
  const node = statSync(realpathSync(process.execPath));
  writeFileSync(stamp, `${node.size} ${Math.floor(node.mtimeMs / 1000)} ${node.ino}\n`);
}

if (outRoot === '.' && existsSync('server/src/cli/snapshot-main.ts')) buildCheckSnapshot();
