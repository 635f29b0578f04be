// Pure parsers of remote/flow-routing.ts on text captured from the VM lab router (Debian 6.1,
// iproute2 6.1: `ip -o addr show`, and RouterCommands.routeGet's output). No I/O, nothing mocked.
import { describe, expect, it } from 'vitest';
import { connectedDevice, interfacesFor, parseIpAddrShow, parseRouteGet } from '../../server/src/remote';

const IP_ADDR = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
2: eth0    inet 10.0.2.15/24 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet6 fe80::5054:ff:fe12:3456/64 scope link \\       valid_lft forever preferred_lft forever
3: rlan    inet 10.10.1.1/24 scope global rlan\\       valid_lft forever preferred_lft forever
3: rlan    inet6 fe80::702a:cfff:fefc:373c/64 scope link tentative \\       valid_lft forever preferred_lft forever
4: rwan    inet 10.10.2.1/24 scope global rwan\\       valid_lft forever preferred_lft forever
5: wan0@if4    inet6 2001:db8:2::1/64 scope global \\       valid_lft forever preferred_lft forever
`;
const ROUTE_GET = `= 10.10.1.2
10.10.1.2 dev rlan src 10.10.1.1 uid 0 \\    cache
= 10.10.2.2
10.10.2.2 dev rwan src 10.10.2.1 uid 0 \\    cache
= 10.0.2.15
local 10.0.2.15 dev lo table local src 10.0.2.15 uid 0 \\    cache <local>
= 192.0.2.7
RTNETLINK answers: Network is unreachable
`;

describe('flow routing parsers', () => {
  const addrs = parseIpAddrShow(IP_ADDR);
  const routes = parseRouteGet(ROUTE_GET);

  it('reads addresses with their devices and prefixes', () => {
    expect(addrs.filter((a) => a.dev === 'rlan')).toEqual([
      { dev: 'rlan', addr: '10.10.1.1', prefix: 24 },
      { dev: 'rlan', addr: 'fe80::702a:cfff:fefc:373c', prefix: 64 },
    ]);
    expect(addrs.find((a) => a.addr === '2001:db8:2::1')?.dev).toBe('wan0');
  });

  it('reads route answers: device, local, error', () => {
    expect(routes.get('10.10.2.2')).toEqual({ local: false, dev: 'rwan' });
    expect(routes.get('10.0.2.15')).toEqual({ local: true, dev: 'lo' });
    expect(routes.get('192.0.2.7')?.error).toMatch(/unreachable/);
  });

  it('derives iif from the route back to the source and oif from the route to the destination', () => {
    expect(interfacesFor({ src: '10.10.1.2', dst: '10.10.2.2' }, { addrs, routes })).toEqual({ iif: 'rlan', oif: 'rwan' });
    expect(interfacesFor({ src: '10.10.2.2', dst: '10.10.1.2' }, { addrs, routes })).toEqual({ iif: 'rwan', oif: 'rlan' });
  });

  it('marks flows that start or end on the router', () => {
    expect(interfacesFor({ src: '10.0.2.2', dst: '10.0.2.15' }, { addrs, routes })).toEqual({ local: 'to-router' });
    expect(interfacesFor({ src: '10.0.2.15', dst: '10.0.2.2' }, { addrs, routes })).toEqual({ local: 'from-router' });
  });

  it('after DNAT the reply source is the real destination', () => {
    // original destination is the router's own address, the reply comes from a wan host
    expect(interfacesFor({ src: '10.10.1.2', dst: '10.10.2.1', replySrc: '10.10.2.2' }, { addrs, routes })).toEqual({ iif: 'rlan', oif: 'rwan' });
  });

  it('falls back to the connected networks, longest prefix, when the route lookup gave nothing', () => {
    expect(connectedDevice(addrs, '10.10.2.77')).toBe('rwan');
    expect(connectedDevice(addrs, '2001:db8:2::9')).toBe('wan0');
    expect(connectedDevice(addrs, '192.0.2.7')).toBeUndefined();
    expect(interfacesFor({ src: '10.10.1.9', dst: '192.0.2.7' }, { addrs, routes })).toEqual({ iif: 'rlan', oif: undefined });
  });

  it('never throws on garbage', () => {
    expect(parseIpAddrShow('garbage\n\n:::')).toEqual([]);
    expect(parseRouteGet('dev x\n= \n=')).toBeInstanceOf(Map);
    expect(interfacesFor({ src: 'not-an-ip', dst: '' }, { addrs: [], routes: new Map() })).toEqual({ iif: undefined, oif: undefined });
  });
});
