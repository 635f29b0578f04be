import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplainCommand } from '../../server/src/cli/explain-command';

// The --json output is a contract with CI users: one expected file per flow.
const dir = join(__dirname, 'explain');

async function explain(args: string[]) {
  let out = '';
  let err = '';
  const code = await runExplainCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('nft-offload explain --json', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow')).sort()) {
    const name = f.replace(/\.flow$/, '');
    it(name, async () => {
      const spec = readFileSync(join(dir, f), 'utf8').trim();
      // Relative path keeps absolute paths out of the expected files.
      const r = await explain([`test/offload/explain/${name}.nft`, '--flow', spec, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      await expect(r.out).toMatchFileSnapshot(join(dir, `${name}.json`));
    });
  }

  it('verdicts', async () => {
    const verdict = async (name: string) => JSON.parse((await explain([`test/offload/explain/${name}.nft`, '--flow', readFileSync(join(dir, `${name}.flow`), 'utf8').trim(), '--json'])).out);
    expect((await verdict('fast')).verdict).toBe('fast');
    const slow = await verdict('slow-blocked');
    expect(slow.verdict).toBe('slow');
    // The blocking rule itself is among the reasons (line 10: `ct state established,related accept`).
    expect(slow.reasons.some((r: { code: string; range: { start: { line: number } } }) => r.code === 'OFF002' && r.range.start.line === 9)).toBe(true);
    expect((await verdict('dropped')).verdict).toBe('dropped');
    expect((await verdict('ipv6-ip-table')).reasons[0].code).toBe('OFF013');
    expect((await verdict('icmp')).reasons[0].code).toBe('OFF004');
    expect((await verdict('helper')).reasons.map((r: { code: string }) => r.code)).toContain('OFF005');
    // DNAT in prerouting: forward sees the translated destination and the dnat status bit.
    // Without modelling the translation, both flows would die at the forward chain's drop.
    expect((await verdict('dnat-fw4')).verdict).toBe('fast');
    expect((await verdict('dnat-daddr')).verdict).toBe('fast');
    const redirected = await verdict('redirect');
    expect(redirected.verdict).toBe('slow');
    expect(redirected.reasons.map((r: { code: string }) => r.code)).toEqual(['OFF022']);
    expect((await verdict('udp-timing')).reasons.map((r: { code: string }) => r.code)).toEqual(['OFF002', 'OFF021']);
    expect((await verdict('ipsec')).reasons.map((r: { code: string }) => r.code)).toEqual(['OFF019']);
  });

  it('human output shows the path, the verdict and the reasons', async () => {
    const r = await explain(['test/offload/explain/slow-blocked.nft', '--flow', readFileSync(join(dir, 'slow-blocked.flow'), 'utf8').trim()]);
    expect(r.out).toContain('packet 3: ACK (handshake done)');
    expect(r.out).toContain('verdict: slow');
    expect(r.out).toMatch(/slow-blocked\.nft:10:3 OFF002/);
  });

  it('--flows takes one spec per line and prints an array', async () => {
    const r = await explain(['test/offload/explain/fast.nft', '--flows', 'test/offload/explain/flows.txt', '--json']);
    const arr = JSON.parse(r.out);
    expect(arr.map((x: { verdict: string }) => x.verdict)).toEqual(['fast', 'slow', 'fast']);
  });

  it('rejects a bad flow spec with a clear error', async () => {
    const r = await explain(['test/offload/explain/fast.nft', '--flow', 'family=ip l4proto=tcp sport=99999 colour=red']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('sport=99999 is not a port number');
    expect(r.err).toContain('unknown key `colour`');
  });
});
