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

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js' },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, outfile: join(outRoot, e.outfile) })));
