/**
 * The client/server contract: settings the client sends in `initializationOptions.settings`
 * and in `workspace/didChangeConfiguration` (section `nftablesOffload`). Mirrors
 * client/src/settings.ts (see the NOTE there).
 */
export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface ServerSettings {
  nftPath: string;
  runNftCheck: boolean;
  includePaths: string[];
  severityOverrides: Record<string, SeverityOverride>;
}

export const DEFAULT_SETTINGS: ServerSettings = { nftPath: 'nft', runNftCheck: false, includePaths: [], severityOverrides: {} };

export function readSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<ServerSettings>;
  return {
    nftPath: typeof r.nftPath === 'string' ? r.nftPath : DEFAULT_SETTINGS.nftPath,
    runNftCheck: r.runNftCheck === true,
    includePaths: Array.isArray(r.includePaths) ? r.includePaths.filter((p): p is string => typeof p === 'string') : [],
    severityOverrides: r.severityOverrides && typeof r.severityOverrides === 'object' ? r.severityOverrides : {},
  };
}

/** Delay between the last edit and pushed diagnostics, per document. */
export const DIAGNOSTICS_DEBOUNCE_MS = 200;
