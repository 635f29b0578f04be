// The `nftablesOffload.*` settings as the server receives them in `initializationOptions`.
// NOTE: this shape is a client/server contract; it belongs in server/src/lsp/protocol.ts once that
// file exists (vscode-eslint keeps it in `$shared/settings.ts`), and this file should import it.
import * as vscode from 'vscode';

export const SETTINGS_SECTION = 'nftablesOffload';

export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface RouterSetting {
  name: string;
  /** `ssh://user@host:port`, parsed by server/src/remote/ssh-url.ts. */
  url: string;
  identityFile?: string;
  knownHostsFile?: string;
}

export interface NftablesOffloadSettings {
  nftPath: string;
  runNftCheck: boolean;
  includePaths: string[];
  severityOverrides: Record<string, SeverityOverride>;
  remote: {
    routers: RouterSetting[];
    rollbackSeconds: number;
  };
}

/**
 * Reads the settings for one resource (or the window). Defaults repeat package.json's so that a
 * missing or mistyped user value still yields a well-formed object.
 */
export function readSettings(scope?: vscode.ConfigurationScope): NftablesOffloadSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    nftPath: config.get<string>('nftPath', 'nft'),
    runNftCheck: config.get<boolean>('runNftCheck', false),
    includePaths: config.get<string[]>('includePaths', []),
    severityOverrides: config.get<Record<string, SeverityOverride>>('severityOverrides', {}),
    remote: {
      routers: config.get<RouterSetting[]>('remote.routers', []),
      rollbackSeconds: config.get<number>('remote.rollbackSeconds', 60),
    },
  };
}
