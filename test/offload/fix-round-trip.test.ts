import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlowSpec, predictFlow } from '../../server/src/offload';
import { applyFix, errorsAfterFix, modelOf, offloadFindings } from './helpers';

// Each fix must leave a ruleset that parses and passes check, and after it the engine must say the flow offloads.
const LAN_WAN = 'family=ip l4proto=tcp iif=lan0 oif=wan0 saddr=10.0.1.2 daddr=198.51.100.7 sport=40000 dport=443';
const cases: { fixture: string; code: string; flow: string }[] = [
  { fixture: 'OFF001-forward-without-flowtable/invalid-plain-forward.nft', code: 'OFF001', flow: LAN_WAN },
  { fixture: 'OFF002-flow-add-after-verdict/invalid-established-accept-first.nft', code: 'OFF002', flow: LAN_WAN },
  { fixture: 'OFF002-flow-add-after-verdict/invalid-vmap-first.nft', code: 'OFF002', flow: LAN_WAN },
  { fixture: 'OFF003-flowtable-missing-devices/invalid-guest-missing.nft', code: 'OFF003', flow: LAN_WAN.replace('iif=lan0', 'iif=guest0') },
  { fixture: 'OFF004-flow-add-unsupported-protocol/invalid-unguarded.nft', code: 'OFF004', flow: LAN_WAN },
  { fixture: 'OFF009-unused-flowtable/invalid-never-used.nft', code: 'OFF009', flow: LAN_WAN },
  { fixture: 'OFF010-flowtable-without-counter/invalid-counting.nft', code: 'OFF010', flow: LAN_WAN },
  { fixture: 'OFF012-flow-add-guard-never-eligible/invalid-ct-state-new.nft', code: 'OFF012', flow: LAN_WAN },
  { fixture: 'OFF016-flow-add-verdict-skipped/invalid-flow-add-accept.nft', code: 'OFF016', flow: LAN_WAN },
  {
    fixture: 'OFF013-flowtable-family-gap/invalid-ip-protocol-guard.nft', code: 'OFF013',
    flow: 'family=ip6 l4proto=tcp iif=eno1 oif=ppp0 saddr=2001:db8:1::2 daddr=2001:db8:2::7 sport=40000 dport=443',
  },
];

describe('quick-fix round trip', () => {
  for (const c of cases) {
    it(`${c.code} ${c.fixture}`, () => {
      const path = c.fixture.split('/')[1];
      const text = readFileSync(join(__dirname, c.fixture), 'utf8');
      const f = offloadFindings(path, text).find((x) => x.code === c.code);
      expect(f?.fixes?.length, 'the finding carries a fix').toBeGreaterThan(0);
      const flow = parseFlowSpec(c.flow);
      if (!flow.ok) throw new Error(flow.errors.join('; '));
      const before = predictFlow(modelOf(path, text), flow.flow);
      const fixed = applyFix(text, f!.fixes![0]);
      expect(errorsAfterFix(path, fixed)).toEqual([]);
      const after = predictFlow(modelOf(path, fixed), flow.flow);
      expect(after.verdict, `${fixed}\n${after.reasons.map((r) => r.message).join('\n')}`).toBe('fast');
      // The finding itself is gone after the fix.
      expect(offloadFindings(path, fixed).filter((x) => x.code === c.code && x.span.start === f!.span.start)).toEqual([]);
      if (c.code !== 'OFF004' && c.code !== 'OFF010') expect(before.verdict).not.toBe('fast');
    });
  }
});

// "Exclude a flow class on purpose": a conntrack mark bit set by the class and checked by
// `flow add` keeps exactly that traffic on the slow path (so its counter keeps counting, in both
// directions); other traffic still offloads.
const IPERF_COUNTED = `table inet filter {
	flowtable ft {
		hook ingress priority filter
		devices = { lan0, wan0 }
		counter
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto { tcp, udp } flow add @ft
		iifname "lan0" oifname "wan0" tcp dport 5201 counter accept comment "iperf, counted"
		ct state established,related accept
		iifname "lan0" oifname "wan0" accept
	}
}
`;

describe('quick-fix: keep a flow class on the slow path on purpose', () => {
  const spec = (s: string) => {
    const r = parseFlowSpec(s);
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.flow;
  };
  it('marks the counted class and guards flow add', () => {
    const path = 'iperf-counted.nft';
    const text = IPERF_COUNTED;
    const counter = offloadFindings(path, text).find((x) => x.code === 'OFF006' && text.slice(x.span.start, x.span.end) === 'counter');
    const fix = counter?.fixes?.[0];
    expect(fix?.title).toMatch(/^Keep `iifname "lan0" oifname "wan0" tcp dport 5201` on the slow path on purpose/);
    const fixed = applyFix(text, fix!);
    expect(errorsAfterFix(path, fixed)).toEqual([]);
    const iperf = LAN_WAN.replace('dport=443', 'dport=5201');
    expect(predictFlow(modelOf(path, text), spec(iperf)).verdict).toBe('fast');
    expect(predictFlow(modelOf(path, fixed), spec(iperf)).verdict).toBe('slow');
    expect(predictFlow(modelOf(path, fixed), spec(LAN_WAN)).verdict).toBe('fast');
    // The reason names the guard the fix added.
    expect(predictFlow(modelOf(path, fixed), spec(iperf)).reasons.map((r) => r.message).join('\n')).toContain('ct mark & 0x40000000 == 0');
  });
  it('offers no such fix for a limit, whose excess would go elsewhere', () => {
    const path = 'invalid-counter-limit.nft';
    const text = readFileSync(join(__dirname, 'OFF006-bypassed-when-offloaded', path), 'utf8');
    const limit = offloadFindings(path, text).find((x) => x.code === 'OFF006' && text.slice(x.span.start, x.span.end).startsWith('limit'));
    expect(limit).toBeDefined();
    expect(limit!.fixes ?? []).toEqual([]);
  });
});
