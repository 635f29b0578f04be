import { RouterCommands } from './router-commands';
import type { RouterSession } from './ssh-transport';

/** What kind of router this is, as far as applying a ruleset is concerned. */
export interface RouterProfile {
  openwrt: boolean;
  /** `table inet fw4` is live (OpenWrt firewall4). */
  fw4: boolean;
  tables: string[];
}

/** Pure: parses the output of RouterCommands.detect. */
export function parseRouterProfile(stdout: string): RouterProfile {
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const tables = lines.filter((l) => l.startsWith('table '));
  return { openwrt: lines.includes('openwrt'), fw4: tables.includes('table inet fw4'), tables };
}

export async function detectRouterProfile(session: RouterSession): Promise<RouterProfile> {
  const r = await session.exec(RouterCommands.detect);
  return parseRouterProfile(r.stdout);
}
