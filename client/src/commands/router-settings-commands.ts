// Add / remove routers (writes `nftablesOffload.remote.routers` in the user settings) and forget
// a router's stored secret. Secrets never go into settings.
import * as vscode from 'vscode';
import { parseSshUrl } from '../../../server/src/remote';
import type { RouterHub } from '../remote/router-hub';
import type { RouterSecrets } from '../remote/router-secrets';
import { SETTINGS_SECTION, type RouterSetting } from '../settings';
import { pickRouter } from './pick-router';

const KEY = 'remote.routers';

function userRouters(): RouterSetting[] {
  const v = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<RouterSetting[]>(KEY)?.globalValue;
  return Array.isArray(v) ? v : [];
}

export async function addRouter(hub: RouterHub): Promise<string | undefined> {
  const title = 'Add router';
  const name = await vscode.window.showInputBox({
    title, prompt: 'Name shown in the Routers view', placeHolder: 'home-router', ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'Enter a name' : hub.get(v.trim()) ? 'A router with this name exists' : undefined),
  });
  if (name === undefined) return undefined;
  const url = await vscode.window.showInputBox({
    title, prompt: 'SSH address of the router', placeHolder: 'ssh://root@192.168.1.1:22', value: 'ssh://', ignoreFocusOut: true,
    validateInput: (v) => {
      const t = parseSshUrl(v.trim());
      return 'error' in t ? t.error : undefined;
    },
  });
  if (url === undefined) return undefined;
  const identityFile = await vscode.window.showInputBox({
    title, prompt: 'Private key file (optional; empty = ssh-agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa)', placeHolder: '~/.ssh/id_ed25519', ignoreFocusOut: true,
  });
  if (identityFile === undefined) return undefined;
  const knownHostsFile = await vscode.window.showInputBox({
    title, prompt: 'known_hosts file (optional; empty = ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts)', ignoreFocusOut: true,
  });
  if (knownHostsFile === undefined) return undefined;
  const entry: RouterSetting = { name: name.trim(), url: url.trim() };
  if (identityFile.trim()) entry.identityFile = identityFile.trim();
  if (knownHostsFile.trim()) entry.knownHostsFile = knownHostsFile.trim();
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(KEY, [...userRouters(), entry], vscode.ConfigurationTarget.Global);
  hub.reload();
  return entry.name;
}

export async function removeRouter(hub: RouterHub, secrets: RouterSecrets, arg: unknown): Promise<void> {
  const name = await pickRouter(hub, arg, 'Router to remove');
  if (!name) return;
  const mine = userRouters();
  if (!mine.some((r) => r.name === name)) {
    void vscode.window.showWarningMessage(`"${name}" is not in your user settings (it comes from workspace or machine settings); edit those to remove it.`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(`Remove router "${name}" and its stored secret?`, { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  const url = hub.get(name)?.setting.url;
  hub.disconnect(name);
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(KEY, mine.filter((r) => r.name !== name), vscode.ConfigurationTarget.Global);
  if (url) await secrets.forget(url);
  hub.reload();
}

export async function forgetSecret(hub: RouterHub, secrets: RouterSecrets, arg: unknown): Promise<void> {
  const name = await pickRouter(hub, arg, 'Forget the stored passphrase/password of');
  if (!name) return;
  const url = hub.get(name)!.setting.url;
  const had = await secrets.has(url);
  await secrets.forget(url);
  void vscode.window.showInformationMessage(had ? `Forgot the stored secret for ${name}.` : `No secret was stored for ${name}.`);
}
