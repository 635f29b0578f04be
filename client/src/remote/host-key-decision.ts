/**
 * What to ask when a router's SSH host key is unknown or changed, and what the answer means.
 * Pure: no `vscode` import (host-key-prompt.ts shows the modal).
 *
 * - unknown key: "Accept once" trusts it for this connection; "Accept and save" also appends it to
 *   the router's known_hosts file (known-hosts.ts appendKnownHost); Cancel refuses.
 * - changed key: refuse by default (Cancel is the modal's default and Escape), with OpenSSH's
 *   warning. Only "Accept once" is offered: saving would ADD the new key next to the old one, and
 *   both would then be trusted; the user must remove the stale line themselves (the detail says
 *   which file), as OpenSSH asks too.
 */
export type HostKeyChoice = 'accept-once' | 'accept-and-save' | 'cancel';

export interface HostKeyQuestionLike {
  host: string;
  port: number;
  kind: 'unknown' | 'changed';
  keyType: string;
  fingerprint: string;
}

export interface HostKeyDialog {
  severity: 'warning' | 'error';
  message: string;
  detail: string;
  /** Buttons besides the modal's own Cancel, in order. */
  buttons: { title: string; choice: Exclude<HostKeyChoice, 'cancel'> }[];
}

export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function hostKeyDialog(q: HostKeyQuestionLike, knownHostsFile: string): HostKeyDialog {
  const name = hostName(q.host, q.port);
  if (q.kind === 'changed') {
    return {
      severity: 'error',
      message: `WARNING: the host key of ${name} has CHANGED`,
      detail:
        `The router presented ${q.keyType} ${q.fingerprint}, which does not match known_hosts. ` +
        `Someone could be eavesdropping on you right now (man-in-the-middle attack), or the router's key was replaced. ` +
        `Compare the fingerprint with the router's console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub, or on Dropbear: dropbearkey -y -f /etc/dropbear/dropbear_*_host_key). ` +
        `If the change is expected, remove the old line for ${name} from ${knownHostsFile} and connect again.`,
      buttons: [{ title: 'Accept once (I verified the new fingerprint)', choice: 'accept-once' }],
    };
  }
  return {
    severity: 'warning',
    message: `Unknown host key for ${name}`,
    detail:
      `The router presented ${q.keyType} ${q.fingerprint}. It is not in known_hosts. ` +
      `Compare it with the fingerprint shown on the router (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) before trusting it.`,
    buttons: [
      { title: 'Accept once', choice: 'accept-once' },
      { title: `Accept and save to ${knownHostsFile}`, choice: 'accept-and-save' },
    ],
  };
}

/** Maps the clicked button title (undefined = Cancel/Escape) to trust and save. */
export function decideHostKey(dialog: HostKeyDialog, picked: string | undefined): { choice: HostKeyChoice; trust: boolean; save: boolean } {
  const b = dialog.buttons.find((x) => x.title === picked);
  const choice: HostKeyChoice = b?.choice ?? 'cancel';
  return { choice, trust: choice !== 'cancel', save: choice === 'accept-and-save' };
}
