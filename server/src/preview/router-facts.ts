/**
 * Reads what the hardware-acceleration preview needs from a router (kernel, links, drivers,
 * hw-tc-offload, MediaTek PPE table) over an open session, and turns it into a per-device preview
 * with server/src/remote/hw-preview.ts. No `vscode` import; every command is a RouterCommands
 * constant. A missing tool (ethtool, debugfs) only leaves that input empty.
 */
import {
  parseDriverNames, parseEthtoolHwTc, parseIpDetailLink, parseKernelVersion, parsePpeEntries, predictDevicePath, RouterCommands,
  type DevicePathPrediction, type FlowtableInfo, type HwTcState, type KernelVersion, type LinkInfo, type PpeEntry, type RouterSession,
} from '../remote';

export interface RouterFacts {
  kernel?: KernelVersion;
  links: LinkInfo[];
  drivers: Map<string, string>;
  hwTc: Map<string, HwTcState>;
  ppe?: { entries: PpeEntry[]; capacity: number };
}

export interface FlowtablePreview {
  flowtable: FlowtableInfo;
  devices: DevicePathPrediction[];
}

export interface HwPreviewReport {
  flowtables: FlowtablePreview[];
}

/**
 * PPE table size per PPE: 8192 entries on kernels 5.15-6.6, 16384 from 6.18 (offload.md §2.2,
 * as recorded in hw-preview.ts `PreviewInput.ppe`).
 */
export function ppeCapacity(kernel: KernelVersion | undefined): number {
  return kernel && (kernel.major > 6 || (kernel.major === 6 && kernel.minor >= 18)) ? 16384 : 8192;
}

export async function readRouterFacts(session: RouterSession): Promise<RouterFacts> {
  const run = async (c: (typeof RouterCommands)[keyof typeof RouterCommands]) => {
    const r = await session.exec(c, undefined, { timeoutMs: 15_000 });
    return r.code === 0 ? r.stdout : '';
  };
  const kernel = parseKernelVersion(await run(RouterCommands.kernelRelease));
  const links = parseIpDetailLink(await run(RouterCommands.ipDetailLink));
  const drivers = parseDriverNames(await run(RouterCommands.driverNames));
  const hwTc = parseEthtoolHwTc(await run(RouterCommands.ethtoolFeatures));
  const ppeText = await run(RouterCommands.ppeBind);
  const entries = parsePpeEntries(ppeText);
  return { kernel, links, drivers, hwTc, ppe: ppeText.trim() ? { entries, capacity: ppeCapacity(kernel) } : undefined };
}

/** Pure: one prediction per device listed in each flowtable. */
export function buildHwPreview(facts: RouterFacts, flowtables: FlowtableInfo[]): HwPreviewReport {
  return {
    flowtables: flowtables.map((flowtable) => ({
      flowtable,
      devices: flowtable.devices.map((d) => predictDevicePath(d, { ...facts, flowtable })),
    })),
  };
}
