// Which listed device a flow through a bridge, VLAN or PPPoE device enters the flowtable by
// (offload/device-stack.ts, remote/device-links.ts). The device stack comes from `ip -d link show`
// captured on an OpenWrt router (test/remote/fixtures/ip-d-link.txt: DSA ports lan1/lan2 in br-lan,
// VLANs eth1.100 and eth1.100.7) and from /proc/net/pppoe text; the rulesets are firewall4's shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictFlow, type DeviceStack, type FlowSpec } from '../../server/src/offload';
import { coverageBelow, looksLikeUpperDevice } from '../../server/src/offload/device-stack';
import { deviceLinks, kernelWalksDevices, parseIpDetailLink, parsePppoeSessions } from '../../server/src/remote';
import { modelOf, offloadFindings } from './helpers';

const links = parseIpDetailLink(readFileSync(join(__dirname, '../remote/fixtures/ip-d-link.txt'), 'utf8'));
const stack = deviceLinks(links, []);

/** firewall4's layout: the flowtable lists the ports, the rules name the bridge and the PPPoE device. */
const fw4 = (devices: string) => `table inet fw4 {
	flowtable ft {
		hook ingress priority filter
		devices = { ${devices} }
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		meta l4proto { tcp, udp } flow offload @ft
		ct state established,related accept
		iifname "br-lan" oifname "pppoe-wan" accept
	}
}
`;
const FLOW: FlowSpec = { family: 'ip', l4proto: 6, iif: 'br-lan', oif: 'pppoe-wan', saddr: '192.168.1.20', daddr: '198.51.100.7', sport: 40000, dport: 443 };
const ftOf = (text: string) => [...modelOf('fw4.nft', text).tables.get('inet fw4')!.flowtables.values()][0];

describe('the device stack from the router', () => {
  it('bridge ports, VLAN parents, DSA ports and PPPoE sessions', () => {
    expect(stack.below('br-lan')).toEqual(['lan1', 'lan2']);
    expect(stack.below('eth1.100.7')).toEqual(['eth1.100']);
    expect(stack.below('eth1.100')).toEqual(['eth1']);
    // A DSA user port is where the kernel's walk stops (nft_dev_path_info), not its conduit.
    expect(stack.below('lan1')).toEqual([]);
    expect(stack.below('eth0')).toEqual([]);
    expect(stack.below('wg0')).toBeUndefined();
    const proc = 'Id       Address              Device\n00001A2B 02:00:00:00:00:99    eth1\n';
    expect(parsePppoeSessions(proc)).toEqual(['eth1']);
    expect(parsePppoeSessions('Id       Address              Device\n')).toEqual([]);
    const withPppoe = deviceLinks([...links, { ifindex: 20, name: 'pppoe-wan', bridgePort: false }], parsePppoeSessions(proc));
    expect(withPppoe.below('pppoe-wan')).toEqual(['eth1']);
    // A listing without link details (BusyBox `ip`): a bridge or `name@parent` is unknown, not "nothing below".
    const bare = deviceLinks(parseIpDetailLink('4: lan1@eth0: <UP> mtu 1500 qdisc noqueue master br-lan state UP\n6: br-lan: <UP> mtu 1500 qdisc noqueue state UP\n2: eth0: <UP> mtu 1500 qdisc mq state UP\n'), []);
    expect([bare.below('br-lan'), bare.below('lan1'), bare.below('eth0')]).toEqual([undefined, undefined, []]);
    // Before 5.13 (mainline) the kernel keeps the routing device: nothing counts below it. OpenWrt backports the walk.
    expect(deviceLinks(links, [], kernelWalksDevices('5.10.0-21-amd64\n')).below('br-lan')).toEqual([]);
    expect([kernelWalksDevices('5.10.176\nopenwrt\n'), kernelWalksDevices('5.13.0\n'), kernelWalksDevices('6.1.0-18-amd64\n'), kernelWalksDevices('')]).toEqual([true, true, true, true]);
    // Two sessions: which one is pppoe-wan's is not said.
    expect(deviceLinks([{ ifindex: 20, name: 'pppoe-wan', bridgePort: false }], ['eth1', 'eth2']).below('pppoe-wan')).toBeUndefined();
  });

  it('coverage: every port listed, some, none; without the stack, open when the names suggest it', () => {
    expect(coverageBelow(ftOf(fw4('lan1, lan2, eth1')), 'br-lan', stack).result).toBe('match');
    expect(coverageBelow(ftOf(fw4('lan1, eth1')), 'br-lan', stack)).toMatchObject({ result: 'unknown', question: expect.stringContaining('`lan2` (not listed)') });
    expect(coverageBelow(ftOf(fw4('eth0')), 'br-lan', stack).result).toBe('no-match');
    expect(coverageBelow(ftOf(fw4('eth1')), 'eth1.100.7', stack).result).toBe('match');
    expect(coverageBelow(ftOf(fw4('eth0, eth1')), 'br-lan', undefined).result).toBe('unknown');
    expect(coverageBelow(ftOf(fw4('br-wan')), 'br-lan', undefined).result).toBe('no-match');
    expect(coverageBelow(ftOf(fw4('eth0')), 'guest0', undefined).result).toBe('no-match');
    expect(['br-lan', 'pppoe-wan', 'eth0.2', 'bond0', 'ppp0'].every(looksLikeUpperDevice)).toBe(true);
    expect(['eth0', 'lan1', 'wan', 'wg0', 'enp3s0'].some(looksLikeUpperDevice)).toBe(false);
  });
});

describe('predictions with and without the router\'s device stack', () => {
  const ports = (below: Record<string, string[]>): DeviceStack => ({ below: (d) => below[d] });

  it('from the ruleset alone: fast, assuming the bridge and the PPPoE device sit on listed ports', () => {
    const p = predictFlow(modelOf('fw4.nft', fw4('eth0, eth1')), FLOW);
    expect(p.verdict).toBe('fast');
    expect(p.certain).toBe(false);
    expect(p.alternatives).toEqual(['slow']);
    const open = p.reasons.find((r) => r.code === 'OFF015')!.message;
    expect(open).toContain('assumes that `pppoe-wan` sits on a device flowtable ft lists (`eth0`, `eth1`)');
    expect(open).toContain('If it is not so that');
  });

  it('with the router\'s answer the verdict is certain either way', () => {
    const model = modelOf('fw4.nft', fw4('eth0, eth1'));
    expect(predictFlow(model, { ...FLOW, deviceStack: ports({ 'br-lan': ['eth0'], eth0: [], 'pppoe-wan': ['eth1'], eth1: [] }) })).toMatchObject({ verdict: 'fast', certain: true });
    const wifi = predictFlow(model, { ...FLOW, deviceStack: ports({ 'br-lan': ['eth0', 'phy0-ap0'], eth0: [], 'phy0-ap0': [], 'pppoe-wan': ['eth1'], eth1: [] }) });
    // A Wi-Fi port the flowtable does not list: which port the client uses is open; assumed the unlisted one.
    expect(wifi).toMatchObject({ verdict: 'slow', certain: false, alternatives: ['fast'] });
    const none = predictFlow(model, { ...FLOW, deviceStack: ports({ 'br-lan': ['lan1'], lan1: [], 'pppoe-wan': ['eth1'], eth1: [] }) });
    expect(none).toMatchObject({ verdict: 'slow', certain: true });
    expect(none.reasons.map((r) => r.code)).toContain('OFF003');
    // A router that says nothing (`ip -d link` missing, as with some BusyBox builds): as without it.
    expect(predictFlow(model, { ...FLOW, deviceStack: ports({}) })).toMatchObject({ verdict: 'fast', certain: false });
  });

  it('OFF003 does not call the bridge missing when the flowtable lists ports, but still names a plain missing device', () => {
    expect(offloadFindings('fw4.nft', fw4('eth0, eth1')).filter((f) => f.code === 'OFF003')).toEqual([]);
    const guest = fw4('eth0, eth1').replace('iifname "br-lan" oifname "pppoe-wan" accept', 'iifname "br-lan" oifname "pppoe-wan" accept\n\t\tiifname "guest0" accept');
    expect(offloadFindings('fw4.nft', guest).filter((f) => f.code === 'OFF003').map((f) => f.message)).toEqual([expect.stringContaining('does not list `guest0`')]);
  });
});
