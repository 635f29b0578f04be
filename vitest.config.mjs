// vitest defaults, minus the e2e suite's mocha files (test/e2e/suite/*.test.js run inside VS Code's
// extension host, started by test/e2e/e2e.test.ts) and the VS Code install in .vscode-test/.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'test/e2e/suite/**', '.vscode-test/**'],
    // Many tests run real processes (nft, ssh, the CLI); on a loaded 2-core CI machine the
    // default 5 s is too tight for them. A hang still fails, only later.
    testTimeout: 20_000,
  },
});
