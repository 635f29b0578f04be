// Captured/mocked input: no offload hardware (and no flowtables) exists on this machine, so these
// tests feed router output captured as text fixtures (test/remote/fixtures/, synthetic lines built
// from the kernel/nft print code documented in /work/shared/reference/offload.md §3) to the pure parsers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildFlowsReport, checkHostKey, diffRulesets, hostPatternsMatch, normalizeIpv6, parseConntrackListing, parseDriverNames,
  parseEthtoolHwTc, parseFlowtableListing, parseInventory, parseIpDetailLink, parseKernelVersion, parseKnownHosts,
  parseNftErrors, parsePpeEntries, parseSshUrl, predictDevicePath, prepareUpload, renderFlowsText, scanRulesetScope, type PreviewInput,
} from '../../server/src/remote';
import { createHmac } from 'node:crypto';

const fx = (n: string) => readFileSync(join(__dirname, 'fixtures', n), 'utf8');

describe('conntrack parsers', () => {
  it('reads conntrack -L: optional timeout/state, status tags, both counters', () => {
    const e = parseConntrackListing(fx('conntrack-L.txt'));
    expect(e.map((x) => x.actual)).toEqual(['slow', 'sw-offload', 'hw-offload', 'sw-offload', 'hw-offload']);
    expect(e[0]).toMatchObject({ proto: 'tcp', timeout: 7436, state: 'ESTABLISHED', assured: true });
    expect(e[1].timeout).toBeUndefined();
    expect(e[3].unreplied).toBe(true);
    expect(e[2].orig).toMatchObject({ src: '192.168.1.31', dport: 443, packets: 4410, bytes: 262010 });
  });
  it('reads /proc/net/nf_conntrack and compresses IPv6 like conntrack -L', () => {
    const e = parseConntrackListing(fx('proc-nf_conntrack.txt'));
    expect(e).toHaveLength(4);
    expect(e[1]).toMatchObject({ l3: 'ipv4', state: 'ESTABLISHED', timeout: undefined, actual: 'sw-offload', zone: 0 });
    expect(e[3].orig.src).toBe('2001:db8:1::20');
    expect(normalizeIpv6('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
  });
  it('flows report: bytes summed over both directions, predictor injected, default unknown', () => {
    const r = buildFlowsReport(fx('conntrack-L.txt'), fx('flowtables.txt'), '1\n', (f) => (f.dport === 443 ? { verdict: 'fast', hardware: true, reasons: [{ code: 'X', message: 'm' }] } : { verdict: 'unknown', reasons: [] }));
    expect(r.flows[2]).toMatchObject({ actual: 'hw-offload', predicted: 'hw-offload', bytes: 262010 + 11500872, packets: 4410 + 8020 });
    expect(r.flows[3].predicted).toBe('unknown');
    expect(r.warnings).toEqual([]);
    const off = buildFlowsReport('', 'table inet t {\n\tflowtable f {\n\t\thook ingress priority filter\n\t}\n}\n', '0');
    expect(off.warnings.join('\n')).toMatch(/nf_conntrack_acct is 0[\s\S]*no `counter` flag/);
  });
  it('flows report: an offloaded entry with a slow direction is predicted offloaded, marked partial', () => {
    // Conntrack's [OFFLOAD] marks the entry, not each direction: a flowtable without the wan device
    // still offloads the flow (offload.md §7), so the prediction agrees with `actual`, saying which part.
    const r = buildFlowsReport(fx('conntrack-L.txt'), fx('flowtables.txt'), '1', (f) =>
      f.dport === 443 ? { verdict: 'slow', offloaded: true, reasons: [{ code: 'OFF003', message: 'Only the original direction is fast' }] } : { verdict: 'slow', reasons: [] });
    expect(r.flows[1]).toMatchObject({ actual: 'sw-offload', predicted: 'sw-offload', partial: true });
    expect(r.flows[0]).toMatchObject({ actual: 'slow', predicted: 'slow' });
    expect(r.flows[0].partial).toBeUndefined();
    expect(renderFlowsText(r).split('\n')[1]).toContain('actual=sw-offload predicted=sw-offload(partial)');
  });
  it('nft list flowtables: devices (quoted or bare), flags, counter', () => {
    expect(parseFlowtableListing(fx('flowtables.txt'))).toEqual([
      { family: 'inet', table: 'fw4', name: 'ft', hook: 'ingress', priority: 'filter', devices: ['eth0', 'eth1', 'lan1', 'br-lan', 'usb0', 'eth1.100.7'], offload: true, counter: true },
    ]);
    expect(parseFlowtableListing('table ip t {\n\tflowtable f {\n\t\thook ingress priority 0\n\t\tdevices = { eth0, eth1 }\n\t}\n}\n')[0].devices).toEqual(['eth0', 'eth1']);
  });
});

describe('hardware-acceleration preview', () => {
  const input = (): PreviewInput => ({
    kernel: parseKernelVersion(fx('uname-openwrt.txt')),
    links: parseIpDetailLink(fx('ip-d-link.txt')),
    drivers: parseDriverNames(fx('drivers.txt')),
    hwTc: parseEthtoolHwTc(fx('ethtool-k.txt')),
    flowtable: parseFlowtableListing(fx('flowtables.txt'))[0],
  });
  const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);
  it('parses ip -d link, drivers, ethtool, PPE debugfs, kernel version', () => {
    const links = parseIpDetailLink(fx('ip-d-link.txt'));
    expect(links.find((l) => l.name === 'lan1')).toMatchObject({ parent: 'eth0', master: 'br-lan', kind: 'dsa', dsaConduit: 'eth0', bridgePort: true });
    expect(links.find((l) => l.name === 'eth1.100')).toMatchObject({ kind: 'vlan', vlanProtocol: '802.1ad', vlanId: 100, parent: 'eth1' });
    expect(links.find((l) => l.name === 'eth1')?.qdisc).toBe('cake');
    expect(parseDriverNames(fx('drivers.txt')).get('eth0')).toBe('mtk_soc_eth');
    expect([...parseEthtoolHwTc(fx('ethtool-k.txt'))]).toEqual([['eth0', 'on'], ['eth1', 'off'], ['usb0', 'off-fixed']]);
    const ppe = parsePpeEntries(fx('ppe-bind.txt'));
    expect(ppe.map((p) => p.state)).toEqual(['BND', 'BND', 'UNB']);
    expect(ppe[2]).toMatchObject({ type: 'IPv6 5T', origSport: 50600, origDst: '2001:0db8:00ff:0000:0000:0000:0000:0009', origDport: 443 });
    expect(parseKernelVersion('6.1.0-26-amd64')).toMatchObject({ major: 6, minor: 1, patch: 0 });
  });
  it('DSA user port of a MediaTek GMAC with hw-tc-offload on: hardware', () => {
    expect(predictDevicePath('lan1', input())).toEqual({ device: 'lan1', path: 'hardware', reasons: [] });
  });
  it('bridge port not in the flowtable: software via the bridge device', () => {
    const r = predictDevicePath('lan2', input());
    expect(r.path).toBe('software');
    expect(codes(r)).toEqual(['bridge-port-not-in-flowtable']);
  });
  it('driver without TC_SETUP_FT and hw-tc-offload off: software, with the reason', () => {
    expect(codes(predictDevicePath('usb0', input()))).toEqual(['driver-lacks-tc-setup-ft']);
    const eth1 = predictDevicePath('eth1', input());
    expect(eth1.path).toBe('software');
    expect(codes(eth1)).toEqual(['hw-tc-offload-off']);
  });
  it('VLAN in VLAN (802.1ad outer): not hardware', () => {
    const r = predictDevicePath('eth1.100.7', input());
    expect(r.path).toBe('software');
    expect(codes(r)).toContain('vlan-in-vlan');
  });
  it('shaping qdisc on a hardware path is reported as bypassed; a full PPE refuses new flows', () => {
    const i = input();
    i.hwTc.set('eth1', 'on');
    const r = predictDevicePath('eth1', i);
    expect(r.path).toBe('hardware');
    expect(codes(r)).toEqual(['shaping-bypassed']);
    const full = { ...input(), ppe: { entries: parsePpeEntries(fx('ppe-bind.txt')), capacity: 3 } };
    expect(codes(predictDevicePath('eth0', full))).toEqual(['ppe-full']);
  });
  it('device not listed at all: slow path', () => {
    expect(predictDevicePath('wan', input())).toMatchObject({ path: 'slow', reasons: [{ code: 'not-in-flowtable' }] });
  });
});

describe('known_hosts', () => {
  const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIBZ2kVr9lXgq8nTnY0l+KJgdQdPeaZ1nc8Fr1d5Cw9m0', 'base64');
  const other = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4', 'base64');
  const salt = Buffer.from('0123456789abcdef0123');
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[r1.example]:2222').digest('base64')}`;
  const kh = parseKnownHosts(`# c\n[127.0.0.1]:2222 ssh-ed25519 ${key.toString('base64')}\n${hashed} ssh-ed25519 ${key.toString('base64')}\n*.lan,!bad.lan ssh-ed25519 ${key.toString('base64')}\n@revoked * ssh-ed25519 ${other.toString('base64')}\n`);
  it('matches plain, hashed and wildcard entries; unknown; changed; revoked', () => {
    expect(checkHostKey(kh, '127.0.0.1', 2222, key).status).toBe('match');
    expect(checkHostKey(kh, 'r1.example', 2222, key).status).toBe('match');
    expect(checkHostKey(kh, 'gw.lan', 22, key).status).toBe('match');
    expect(checkHostKey(kh, 'bad.lan', 22, key).status).toBe('unknown');
    expect(checkHostKey(kh, '127.0.0.1', 22, key).status).toBe('unknown');
    expect(checkHostKey(kh, '127.0.0.1', 2222, other).status).toBe('revoked');
    const kh2 = parseKnownHosts(`[127.0.0.1]:2222 ssh-ed25519 ${key.toString('base64')}\n`);
    expect(checkHostKey(kh2, '127.0.0.1', 2222, other)).toMatchObject({ status: 'changed', expectedTypes: ['ssh-ed25519'] });
    expect(hostPatternsMatch('a,b*', 'bx')).toBe(true);
  });
});

describe('urls, inventory, scope, diff, nft errors', () => {
  it('parses ssh:// URLs strictly', () => {
    expect(parseSshUrl('ssh://root@192.0.2.1:2222')).toMatchObject({ user: 'root', host: '192.0.2.1', port: 2222 });
    expect(parseSshUrl('ssh://[2001:db8::1]')).toMatchObject({ host: '2001:db8::1', port: 22, user: undefined });
    for (const bad of ['ssh://$(id)@h', 'ssh://h;id', 'ssh://r@h:99999', 'root@h', 'ssh://r@`id`']) expect('error' in parseSshUrl(bad)).toBe(true);
    expect(parseInventory('# x\nssh://a@h1\n\nssh://b@h2:2 # c\nnope\n')).toMatchObject({ targets: [{ host: 'h1' }, { host: 'h2', port: 2 }], errors: ['line 5: not an ssh:// URL'] });
  });
  it('scans which tables a file touches; fw4 mode refuses flush ruleset and fw4 itself', () => {
    const s = scanRulesetScope('table inet mine { # x\n chain c { type filter hook input priority 0; }\n}\nadd rule ip other c accept\n');
    expect(s.tables).toEqual([{ family: 'inet', name: 'mine' }, { family: 'ip', name: 'other' }]);
    expect(s.blockTables).toEqual([{ family: 'inet', name: 'mine' }]);
    expect(prepareUpload('flush ruleset\ntable inet x {}\n', true, true).error).toMatch(/flush ruleset/);
    expect(prepareUpload('table inet fw4 {}\n', true, true).error).toMatch(/fw4/);
    expect(prepareUpload('include "/etc/x"\ntable inet x {}\n', true, false).error).toMatch(/include/);
    const p = prepareUpload('table inet x {\n}\n', true, true);
    expect(p).toMatchObject({ mode: 'tables', tablesLine: 'TABLES inet x', lineOffset: 2 });
    expect(p.payload.startsWith('table inet x\ndelete table inet x\n')).toBe(true);
    expect(prepareUpload('flush ruleset\n', false, false)).toMatchObject({ mode: 'full', payload: 'flush ruleset\n' });
  });
  it('diff ignores handles, counter values, comments, separators and expands defines', () => {
    const local = 'define P = 22\nflush ruleset\ntable inet t { # c\n chain c { type filter hook input priority filter; policy accept;\n  tcp dport $P counter accept\n  ip saddr { 10.0.0.1,10.0.0.2 } drop }\n}\n';
    const live = 'table inet t { # handle 3\n\tchain c { # handle 1\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 counter packets 5 bytes 300 accept # handle 2\n\t\tip saddr { 10.0.0.1, 10.0.0.2 } drop # handle 4\n\t}\n}\n';
    expect(diffRulesets(local, live).entries).toEqual([]);
    const d = diffRulesets(local.replace('drop', 'accept'), live + 'table ip extra {\n}\n');
    expect(d.entries).toEqual([
      { kind: '-', where: 'table inet t / chain c', text: 'ip saddr { 10.0.0.1, 10.0.0.2 } drop' },
      { kind: '+', where: 'table inet t / chain c', text: 'ip saddr { 10.0.0.1, 10.0.0.2 } accept' },
      { kind: '-', where: 'table ip extra', text: 'table ip extra' },
    ]);
  });
  it('parses nft error locations', () => {
    expect(parseNftErrors('/dev/stdin:4:21-24: Error: Could not process rule: No such file or directory\n  tcp dport 22 jump nope\n      ^^^^\nError: bare\n')).toEqual([
      { file: '/dev/stdin', line: 4, colStart: 21, colEnd: 24, severity: 'error', message: 'Could not process rule: No such file or directory' },
      { file: '', line: 0, colStart: 0, colEnd: 0, severity: 'error', message: 'bare' },
    ]);
  });
});
