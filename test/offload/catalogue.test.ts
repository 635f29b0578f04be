import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFlowPredictor, OFFLOAD_RULES } from '../../server/src/offload';
import { modelOf } from './helpers';

describe('offload catalogue', () => {
  it('codes are unique and each has a docs page', () => {
    const codes = Object.values(OFFLOAD_RULES).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of Object.values(OFFLOAD_RULES)) {
      const p = join(__dirname, '../../docs/findings', `${r.code}.md`);
      expect(existsSync(p), p).toBe(true);
      expect(readFileSync(p, 'utf8')).toContain(r.name);
    }
  });

  it('makeFlowPredictor answers unknown when the interfaces decide the verdict', () => {
    const path = 'test/offload/explain/fast.nft';
    const predict = makeFlowPredictor(modelOf(path));
    const live = { proto: 'tcp', src: '10.0.1.2', dst: '198.51.100.7', sport: 40000, dport: 443 };
    // conntrack does not say which interfaces the flow uses: the rule `iifname "lan0" oifname "wan0" accept` and the device list stay open.
    expect(predict(live).verdict).toBe('unknown');
    expect(makeFlowPredictor(modelOf(path), { iif: 'lan0', oif: 'wan0' })(live).verdict).toBe('fast');
    expect(makeFlowPredictor(modelOf(path), { iif: 'lan0', oif: 'wan0' })({ ...live, proto: 'icmp', sport: undefined, dport: undefined }).verdict).toBe('slow');
  });

  it('makeFlowPredictor says when a slow flow is offloaded all the same (a direction without a flowtable hook)', () => {
    const path = 'test/offload/OFF003-flowtable-missing-devices/invalid-guest-missing.nft';
    const live = { proto: 'tcp', src: '10.0.9.2', dst: '198.51.100.7', sport: 40000, dport: 443 };
    expect(makeFlowPredictor(modelOf(path), { iif: 'guest0', oif: 'wan0' })(live)).toMatchObject({ verdict: 'slow', offloaded: true });
    expect(makeFlowPredictor(modelOf(path), { iif: 'lan0', oif: 'wan0' })(live)).toMatchObject({ verdict: 'fast', offloaded: true });
  });
});
