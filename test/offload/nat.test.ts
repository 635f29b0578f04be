// NAT in the offload walk (server/src/offload/nat.ts): what each base chain sees once a connection
// is translated, the `ct status dnat|snat` bits, `redirect`, and the translation conntrack recorded
// for live flows. Rulesets in, verdicts and trace lines out; no mocks.
import { describe, expect, it } from 'vitest';
import { makeFlowPredictor, natOf, predictFlow, type FlowSpec } from '../../server/src/offload';
import { NAT_DST_PRIORITY, NAT_SRC_PRIORITY, packetSeenAt } from '../../server/src/offload/nat';
import { packetsFor } from '../../server/src/offload/predict-flow';
import { modelOf } from './helpers';

const FLOWTABLE = `
	flowtable ft {
		hook ingress priority filter
		devices = { lan, wan }
	}
`;

/** A port forward: wan 198.51.100.20 → the router's 203.0.113.1:8080 → the server 192.168.1.10:80. */
const PORT_FORWARD: FlowSpec = { family: 'ip', l4proto: 6, iif: 'wan', oif: 'lan', saddr: '198.51.100.20', daddr: '203.0.113.1', sport: 50000, dport: 8080 };

const model = (text: string) => modelOf('nat.nft', text);

describe('what a base chain sees of a destination-NATed connection', () => {
  const [syn, synAck] = packetsFor(PORT_FORWARD);
  const dnat = { daddr: '192.168.1.10', dport: 80, priority: NAT_DST_PRIORITY, local: false };

  it('the original direction is translated from the nat chain on', () => {
    expect(packetSeenAt(syn, dnat, 'prerouting', -150)).toMatchObject({ daddr: '203.0.113.1', dport: 8080 });
    expect(packetSeenAt(syn, dnat, 'prerouting', 0)).toMatchObject({ daddr: '192.168.1.10', dport: 80 });
    expect(packetSeenAt(syn, dnat, 'forward', 0)).toMatchObject({ daddr: '192.168.1.10', dport: 80, saddr: '198.51.100.20', sport: 50000 });
    expect(packetSeenAt(syn, dnat, 'postrouting', 300)).toMatchObject({ daddr: '192.168.1.10', dport: 80 });
  });

  it('replies carry the server as their source until postrouting restores it', () => {
    expect(packetSeenAt(synAck, dnat, 'prerouting', -300)).toMatchObject({ saddr: '192.168.1.10', sport: 80, daddr: '198.51.100.20' });
    expect(packetSeenAt(synAck, dnat, 'forward', 0)).toMatchObject({ saddr: '192.168.1.10', sport: 80 });
    expect(packetSeenAt(synAck, dnat, 'postrouting', NAT_SRC_PRIORITY - 1)).toMatchObject({ saddr: '192.168.1.10' });
    expect(packetSeenAt(synAck, dnat, 'postrouting', NAT_SRC_PRIORITY + 1)).toMatchObject({ saddr: '203.0.113.1', sport: 8080 });
  });

  it('a dnat without a port keeps the port; an unknown port is unknown', () => {
    expect(packetSeenAt(syn, { ...dnat, dport: undefined }, 'forward', 0)).toMatchObject({ daddr: '192.168.1.10', dport: 8080 });
    expect(packetSeenAt(syn, { ...dnat, dport: undefined, dportUnknown: true }, 'forward', 0).dport).toBeUndefined();
  });
});

describe('predictions through NAT', () => {
  it('forward rules match the translated destination, and earlier prerouting chains the original one', () => {
    const text = `table inet t {${FLOWTABLE}
	chain mangle {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr 192.168.1.10 drop
	}
	chain dstnat {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "wan" tcp dport 8080 dnat ip to 192.168.1.10:80
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto tcp flow add @ft
		ip daddr 192.168.1.10 tcp dport 80 ct state new accept
		ip saddr 192.168.1.10 tcp sport 80 accept
		ip daddr 192.168.1.10 tcp dport 80 accept
	}
}
`;
    const p = predictFlow(model(text), PORT_FORWARD);
    expect(p.verdict).toBe('fast');
    expect(p.certain).toBe(true);
    // The reply (SYN-ACK) matched by its translated source.
    expect(p.trace.some((s) => s.packetLabel === 'SYN-ACK' && s.text === 'ip saddr 192.168.1.10 tcp sport 80 accept' && s.result === 'match → accept')).toBe(true);
    expect(p.trace.some((s) => s.result.startsWith('match → dnat to 192.168.1.10:80'))).toBe(true);
  });

  it('`ct status dnat` and `ct status snat` see the NAT the first packet set up', () => {
    const text = `table inet t {${FLOWTABLE}
	chain dstnat {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8080 dnat ip to 192.168.1.10
	}
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "lan" masquerade
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established ct status snat flow add @ft
		ct state established ct status snat accept
		ct state new ct status dnat accept
	}
}
`;
    const p = predictFlow(model(text), PORT_FORWARD);
    expect(p.verdict).toBe('fast');
    // The first packet's forward runs before postrouting's masquerade: no snat bit yet.
    const syn = p.trace.filter((s) => s.packetLabel === 'SYN' && s.hook === 'forward').map((s) => s.result);
    expect(syn).toContain('match → accept');
  });

  it('a dnat map that misses lets the next rule run', () => {
    const text = `table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		dnat to tcp dport map { 9999 : 192.168.1.99 }
		dnat to 192.168.1.10
	}
}
table ip filter {${FLOWTABLE}
	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto tcp flow add @ft
		ip daddr 192.168.1.10 accept
		ip saddr 192.168.1.10 accept
	}
}
`;
    const p = predictFlow(model(text), PORT_FORWARD);
    expect(p.trace.map((s) => s.result)).toContain('no match (dnat map: no element matches)');
    expect(p.verdict).toBe('fast');
  });

  it('redirect: the flow goes to the router itself and is never forwarded (OFF022)', () => {
    const text = `table inet t {${FLOWTABLE}
	chain dstnat {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 redirect to :3128
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta l4proto tcp flow add @ft
	}
}
`;
    const p = predictFlow(model(text), { family: 'ip', l4proto: 6, iif: 'lan', oif: 'wan', saddr: '192.168.1.20', daddr: '198.51.100.7', sport: 40000, dport: 80 });
    expect(p.verdict).toBe('slow');
    expect(p.flowtable).toBeNull();
    expect(p.reasons.map((r) => r.code)).toEqual(['OFF022']);
  });
});

describe('GRE and NAT', () => {
  it('GRE is offloaded only without NAT (offload.md R04)', () => {
    const text = (nat: string) => `table inet t {${FLOWTABLE}
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		${nat}
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta l4proto { tcp, udp, gre } flow add @ft
	}
}
`;
    const gre: FlowSpec = { family: 'ip', l4proto: 47, iif: 'lan', oif: 'wan', saddr: '192.168.1.20', daddr: '198.51.100.7' };
    expect(predictFlow(model(text('oifname "dmz" masquerade')), gre).verdict).toBe('fast');
    const masq = predictFlow(model(text('oifname "wan" masquerade')), gre);
    expect(masq.verdict).toBe('slow');
    expect(masq.reasons.map((r) => r.code)).toEqual(['OFF004']);
    expect(masq.reasons[0].message).toContain('GRE only without NAT');
  });
});

describe('live flows: the NAT conntrack recorded', () => {
  const live = { proto: 'tcp', src: '198.51.100.20', dst: '203.0.113.1', sport: 50000, dport: 8080 };
  const reply = (src: string, sport: number, dst = '198.51.100.20', dport = 50000) => ({ ...live, entry: { reply: { src, dst, sport, dport } } });

  it('reads DNAT and SNAT from the reply tuple', () => {
    expect(natOf(reply('203.0.113.1', 8080))).toBeUndefined();
    expect(natOf(reply('192.168.1.10', 80))).toEqual({ dnat: { daddr: '192.168.1.10', dport: 80 } });
    expect(natOf(reply('203.0.113.1', 8080, '10.0.0.1', 61000))).toEqual({ snat: true });
    expect(natOf(live)).toBeUndefined();
  });

  it('fills in a translation the ruleset leaves to a map filled at run time', () => {
    const text = `table inet t {${FLOWTABLE}
	map forwards {
		type inet_service : ipv4_addr . inet_service
	}
	chain dstnat {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "wan" dnat ip to tcp dport map @forwards
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto tcp flow add @ft
		ct state established accept
		ip daddr 192.168.1.10 tcp dport 80 accept
	}
}
`;
    const predict = makeFlowPredictor(model(text), { iif: 'wan', oif: 'lan' });
    // From the ruleset alone the new destination is open, so the verdict is too.
    expect(predict(live).verdict).toBe('unknown');
    expect(predict(reply('192.168.1.10', 80)).verdict).toBe('fast');
    // Translated to another server, the forward chain drops it.
    expect(predict(reply('192.168.1.11', 80)).verdict).toBe('dropped');
  });
});
