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

/** Idle time after the last edit before a slow (large-file) full analysis runs in the background. */
export const ANALYSIS_DEBOUNCE_MS = 300;

/** A full analysis that took at most this long is simply re-run for each request (small files). */
export const SYNC_ANALYSIS_MS = 40;

/** Files up to this many characters are always analysed synchronously (a few ms once warm). */
export const SYNC_ANALYSIS_CHARS = 32 * 1024;

/** Delay between the last edit and `nft -c` (runNftCheck setting), per entry document. */
export const NFT_CHECK_DEBOUNCE_MS = 500;

/**
 * Files above this size are not analysed in the editor (one LSP001 note instead): a
 * 3.4 MB, 140,000-line ruleset takes about 1 s to parse here, and memory grows about
 * 80 MB per MB of text. The CLI has no such limit.
 */
export const MAX_ANALYSED_CHARS = 16 * 1024 * 1024;

/** Most diagnostics sent for one file; the rest are summed up in one LSP002 note. */
export const MAX_DIAGNOSTICS = 2000;
