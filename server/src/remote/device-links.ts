import { RouterCommands } from './router-commands';
import type { RouterSession } from './ssh-transport';
import { parseIpDetailLink, parseKernelVersion, type LinkInfo } from './hw-preview';

/**
 * The router's device stack, for the offload prediction: which devices sit below a routing device.
 * A flowtable that lists a bridge's ports, a VLAN's parent or a PPPoE session's Ethernet device
 * catches flows routed through the upper device (since Linux 5.13; offload.md §1.2). Read from
 * `ip -d link show` (bridge ports by `master`, VLAN parents by `name@parent`) and /proc/net/pppoe
 * (the Ethernet device of each PPPoE session). Shaped like offload's DeviceStack (structurally; remote
 * does not import offload). Parsers are pure and never throw.
 */
export interface DeviceLinks {
  /** Devices one level below `dev`; [] for a device with nothing below; undefined when not known. */
  below(dev: string): readonly string[] | undefined;
}

/** `/proc/net/pppoe`: `Id Address Device` header, then one session per line. The Ethernet devices, once each. */
export function parsePppoeSessions(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 3 && /^[0-9A-Fa-f]+$/.test(f[0])) out.add(f[2]);
  }
  return [...out];
}

const PPP_NAME = /^(pppoe-|ppp\d)/;
/** Names of devices with ports below them, for listings without link details (BusyBox `ip`). */
const AGGREGATE_NAME = /^(br[-_.]?|bridge|bond|team)/;

/**
 * Whether the router's kernel records the device below the routing device: mainline since 5.13
 * (nft_dev_forward_path; offload.md §1.2), and OpenWrt's kernels, which carry the flowtable path
 * patches on older versions too. Unknown answers count as yes.
 */
export function kernelWalksDevices(text: string): boolean {
  const [release, distro] = text.split('\n').map((l) => l.trim());
  if (distro === 'openwrt') return true;
  const v = parseKernelVersion(release ?? '');
  return !v || v.major > 5 || (v.major === 5 && v.minor >= 13);
}

/** `walks`: kernelWalksDevices; without the walk a flow enters by its routing device only. */
export function deviceLinks(links: LinkInfo[], pppoeDevices: string[], walks = true): DeviceLinks {
  const byName = new Map(links.map((l) => [l.name, l]));
  return {
    below(dev) {
      const l = byName.get(dev);
      if (!l) return undefined;
      if (!walks) return [];
      if (l.kind === 'bridge') return links.filter((p) => p.master === dev).map((p) => p.name);
      if (l.kind === 'vlan') return l.parent ? [l.parent] : undefined;
      if (l.kind === 'ppp' || l.kind === 'pppoe' || PPP_NAME.test(dev)) {
        // /proc/net/pppoe does not say which ppp device a session belongs to: one session is unambiguous.
        return pppoeDevices.length === 1 ? [pppoeDevices[0]] : undefined;
      }
      if (l.kind === 'dsa') return []; // the kernel's walk stops at a DSA user port (nft_dev_path_info)
      // No kind: a physical port, veth or tunnel, unless the listing has no details to tell
      // (`name@parent` is then a VLAN or a DSA port, `br-lan` a bridge): unknown rather than wrong.
      if (l.kind === undefined && (l.parent !== undefined || AGGREGATE_NAME.test(dev))) return undefined;
      return [];
    },
  };
}

/** Reads the device stack over the session (two fixed commands); an unreadable answer leaves devices unknown. */
export async function readDeviceLinks(session: RouterSession): Promise<DeviceLinks> {
  const [links, pppoe, kernel] = await Promise.all([
    session.exec(RouterCommands.ipDetailLink), session.exec(RouterCommands.pppoeSessions), session.exec(RouterCommands.kernelAndDistro),
  ]);
  return deviceLinks(
    links.code === 0 ? parseIpDetailLink(links.stdout) : [],
    pppoe.code === 0 ? parsePppoeSessions(pppoe.stdout) : [],
    kernel.code === 0 ? kernelWalksDevices(kernel.stdout) : true,
  );
}
