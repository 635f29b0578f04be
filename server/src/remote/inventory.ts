import { isSshUrl, parseSshUrl, type SshTarget } from './ssh-url';

/** Pure: an inventory file is one ssh:// URL per line; blank lines and `#` comments are skipped. */
export function parseInventory(text: string): { targets: SshTarget[]; errors: string[] } {
  const targets: SshTarget[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const t = isSshUrl(line) ? parseSshUrl(line) : { error: `not an ssh:// URL` };
    if ('error' in t) errors.push(`line ${i + 1}: ${t.error}`);
    else targets.push(t);
  });
  return { targets, errors };
}

/** Runs `task` for every target at once; one failure never stops the others. */
export async function forEachTarget<T>(targets: SshTarget[], task: (t: SshTarget) => Promise<T>): Promise<T[]> {
  return Promise.all(targets.map((t) => task(t)));
}
