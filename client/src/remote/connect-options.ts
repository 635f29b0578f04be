/**
 * Turns a configured router (settings `nftablesOffload.remote.routers[]`) into ssh2 connect
 * options. No `vscode` import. `~/` in paths means the home directory, as in ssh_config.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultKnownHostsFiles, parseSshUrl, type ConnectOptions, type HostKeyPrompt, type SecretProvider, type SshTarget } from '../../../server/src/remote';
import type { RouterSetting } from '../settings';

export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

/** Where an accepted host key is saved: the router's own file, else ~/.ssh/known_hosts. */
export function knownHostsSaveFile(router: RouterSetting): string {
  return router.knownHostsFile ? expandHome(router.knownHostsFile) : defaultKnownHostsFiles()[0];
}

export function routerTarget(router: RouterSetting): SshTarget | { error: string } {
  return parseSshUrl(router.url.trim());
}

export function connectOptionsFor(
  router: RouterSetting,
  target: SshTarget,
  hooks: { secretProvider: SecretProvider; hostKeyPrompt: HostKeyPrompt; log: (m: string) => void },
): ConnectOptions {
  return {
    target,
    identityFile: router.identityFile ? expandHome(router.identityFile) : undefined,
    knownHostsFiles: router.knownHostsFile ? [expandHome(router.knownHostsFile)] : undefined,
    secretProvider: hooks.secretProvider,
    hostKeyPrompt: hooks.hostKeyPrompt,
    log: hooks.log,
  };
}
