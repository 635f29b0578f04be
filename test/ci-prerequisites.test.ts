// Several suites run only where their real components exist (root, nft in a network namespace,
// QEMU for the VM lab, the built server) and skip elsewhere, so a developer without them can still
// run the rest. On CI nothing may be skipped silently: there, a missing component fails here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from './helpers/shared';

const ROOT = join(__dirname, '..');

describe.runIf(process.env.CI === 'true')('CI has every component the conditional suites need', () => {
  it('runs as root (network namespaces, nft)', () => {
    expect(process.getuid?.()).toBe(0);
  });

  it('the real nft checks a ruleset inside a network namespace', () => {
    expect(() => execFileSync('unshare', ['-n', 'nft', '-c', '-f', '/dev/null'], { stdio: 'pipe' })).not.toThrow();
  });

  it('QEMU is installed for the VM lab with real flowtables', () => {
    expect(spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status).toBe(0);
  });

  it('sshd is installed for the router lab', () => {
    expect(existsSync('/usr/sbin/sshd')).toBe(true);
  });

  it('the bundles are built (npm test builds them first)', () => {
    for (const f of ['server/out/server.js', 'server/out/cli.js', 'server/out/cli-remote.js', 'server/out/cli-lsp.js', 'client/out/extension.js', 'server/out/check.blob', 'server/out/check.blob.node'])
      expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it('the shared corpus is beside the checkout', () => {
    expect(existsSync(join(CORPUS_DIR, 'nft-check.tsv'))).toBe(true);
  });
});
