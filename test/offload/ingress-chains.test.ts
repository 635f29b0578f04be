// Ingress chains (netdev tables, and inet ingress) run on the input device before prerouting,
// and before the flowtable lookup when their priority is lower: their drops count.
import { describe, expect, it } from 'vitest';
import { parseFlowSpec, predictFlow } from '../../server/src/offload';
import { modelOf } from './helpers';

const RULESET = (ingress: string) => `table netdev edge {
	chain wan_in {
		type filter hook ingress device "wan0" priority -500; policy accept;
${ingress}
	}
}

table inet filter {
	flowtable ft {
		hook ingress priority filter
		devices = { lan0, wan0 }
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto { tcp, udp } flow add @ft
		ct state established,related accept
		iifname "lan0" oifname "wan0" accept
	}
}
`;

const spec = (s: string) => {
  const r = parseFlowSpec(s);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.flow;
};
const LAN_WAN = 'family=ip l4proto=tcp iif=lan0 oif=wan0 saddr=10.0.1.2 daddr=198.51.100.7 sport=40000 dport=443';

describe('ingress chains', () => {
  it('an ingress chain that lets everything through changes nothing', () => {
    const text = RULESET('\t\tcounter');
    expect(predictFlow(modelOf('a.nft', text), spec(LAN_WAN)).verdict).toBe('fast');
  });
  it('a drop on the WAN device ingress drops the replies, so the connection never completes', () => {
    const text = RULESET('\t\tip saddr 198.51.100.7 drop');
    const p = predictFlow(modelOf('b.nft', text), spec(LAN_WAN));
    expect(p.verdict).toBe('dropped');
    expect(p.trace.some((t) => t.hook === 'ingress' && t.chain === 'netdev edge wan_in')).toBe(true);
  });
  it('a chain on another device is not walked', () => {
    const text = RULESET('\t\tip saddr 198.51.100.7 drop').replace('device "wan0"', 'device "dmz0"');
    expect(predictFlow(modelOf('c.nft', text), spec(LAN_WAN)).verdict).toBe('fast');
  });
});
