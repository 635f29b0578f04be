// Real-world files that nft rejected for a reason the semantic layer can see must get
// the matching SEM finding. Verdicts come from realworld/index.tsv (`nft_stripped`).
// Includes are resolved on the file system with an empty default directory, so
// absolute includes such as /etc/nftables.d/x.nft are missing here as they were on
// the check host.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../server/src/core/line-index';
import { buildRulesetModel } from '../../server/src/semantics/index';
import { createFsIncludeResolver } from '../../server/src/workspace/include-resolver';
import { CORPUS_DIR } from '../helpers/shared';

const dir = join(CORPUS_DIR, 'realworld') + '/';
const rows = readFileSync(`${dir}index.tsv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const emptyDir = mkdtempSync(join(tmpdir(), 'nft-sem-'));

/** file → the SEM code expected for its nft verdict, and the 1-based line nft named (when it matches the file as stored). */
const EXPECTED: Record<string, { code: string; line?: number }> = {
  '014-Jimmy-Z-potato-routing-nftables_conf.nft': { code: 'SEM006', line: 67 }, // `@china`: its include glob matched nothing (nft line is of the stripped copy)
  '042-ag4ve-nft-policy-icmp_in.nft': { code: 'SEM001', line: 4 }, // `log prefix "$log_prefix …"`
  '046-archf-firetables-00-base-filter_rules.nft': { code: 'SEM001', line: 12 },
  '056-dfinity-http-gateway-release-nftables_conf.nft': { code: 'SEM025', line: 10 },
  '058-eleglac-my-freepbx-nftables_local_conf.nft': { code: 'SEM025', line: 5 },
  '061-gene-git-blog-nftables_conf.nft': { code: 'SEM025', line: 223 },
  '062-hitins-hitOps-nftables_conf.nft': { code: 'SEM025', line: 45 },
  '074-nosoxon-nftables-portknocking-router.nft': { code: 'SEM001', line: 9 }, // `$ip/service`
  '087-BourgeoisBear-youtube_firewalling-nftables_conf.nft': { code: 'SEM025', line: 18 },
  '089-LehaEIVC-nftables-nftables_conf.nft': { code: 'SEM025', line: 12 },
  '096-laazua-nft-rules-policy.nft': { code: 'SEM009', line: 2 },
  '097-laazua-nft-rules-sets.nft': { code: 'SEM009', line: 3 },
  '098-laazua-nft-rules-chain-input.nft': { code: 'SEM009', line: 10 },
  '099-laazua-nft-rules-chain-forward.nft': { code: 'SEM009', line: 7 },
  '106-daygle-dayshield-rootfs-nftables_conf.nft': { code: 'SEM025', line: 8 },
};

function analyse(file: string) {
  const text = readFileSync(dir + file, 'utf8');
  const resolver = createFsIncludeResolver({ defaultDir: emptyDir });
  return { text, model: buildRulesetModel({ path: dir + file, text }, resolver) };
}

describe('realworld files nft rejected for a semantic reason', () => {
  it('covers every unknown identifier / File not found / missing set or table verdict we can see', () => {
    const relevant = rows.filter((r) => /unknown identifier|File not found|No such file or directory/.test(r[7])).map((r) => r[0]);
    // 005 and 100 fail in the kernel (no nft_queue, out-of-tree ct helper); 094's real
    // error is hidden by a parser gap (see the semantics report). All others are checked.
    const unexplained = relevant.filter((f) => !(f in EXPECTED));
    expect(unexplained.sort()).toEqual([
      '005-ArynKumr-network-configuration-nftables_conf.nft',
      '094-LehaEIVC-nftables-mangle.nft',
      '100-fullcone-nat-nftables-openwrt-firewall4-with-fullcone-01_ruleset_fw4_print.nft',
    ]);
  });

  it.each(Object.entries(EXPECTED))('%s', (file, want) => {
    const { text, model } = analyse(file);
    const li = new LineIndex(text);
    const hits = model.findings.filter((f) => f.code === want.code && f.file === dir + file);
    expect(hits.length).toBeGreaterThan(0);
    if (want.line) expect(hits.map((h) => li.positionAt(h.span.start).line + 1)).toContain(want.line);
  });
});

describe('realworld files nft accepted', () => {
  const ok = rows.filter((r) => r[7] === 'ok' && !/include/.test(r[8])).map((r) => r[0]);
  it.each(ok)('%s has no semantic error', (file) => {
    const { model } = analyse(file);
    expect(model.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`)).toEqual([]);
  });
});
