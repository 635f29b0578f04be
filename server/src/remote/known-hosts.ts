import { createHash, createHmac } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * known_hosts handling, in the format of OpenSSH's sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT":
 * `[marker] hostpatterns keytype base64key [comment]`, patterns comma-separated with `*`, `?` and
 * `!` negation, `[host]:port` for non-22 ports, and hashed entries `|1|base64(salt)|base64(hmac-sha1)`.
 */
export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  patterns: string;
  keyType: string;
  /** base64 of the wire-format public key blob (what ssh2 hands the host verifier). */
  keyBase64: string;
  line: number;
}

export type HostKeyStatus =
  | { status: 'match'; line: number }
  | { status: 'unknown' }
  | { status: 'changed'; expectedTypes: string[]; lines: number[] }
  | { status: 'revoked'; line: number };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (parts[0] === '@cert-authority' || parts[0] === '@revoked') {
      marker = parts.shift()!.slice(1) as KnownHostEntry['marker'];
    }
    if (parts.length < 3) return;
    out.push({ marker, patterns: parts[0], keyType: parts[1], keyBase64: parts[2], line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$';
  return new RegExp(re, 'i').test(name);
}

function hashedMatch(entry: string, name: string): boolean {
  const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(entry);
  if (!m) return false;
  const mac = createHmac('sha1', Buffer.from(m[1], 'base64')).update(name).digest('base64');
  return mac === m[2];
}

/** Whether a host-pattern list applies to `name` (negated patterns win, as in OpenSSH match_hostname). */
export function hostPatternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    if (globMatch(pat, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Type name inside a wire-format key blob (uint32 length + string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** Looks a presented host key up in parsed known_hosts entries. */
export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyStatus {
  const name = knownHostName(host, port);
  const keyB64 = key.toString('base64');
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostPatternsMatch(e.patterns, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBase64 === keyB64);
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = forHost.filter((e) => e.marker === undefined);
  const hit = plain.find((e) => e.keyBase64 === keyB64);
  if (hit) return { status: 'match', line: hit.line };
  if (plain.length === 0) return { status: 'unknown' };
  // NOTE: OpenSSH also treats "known under another key type" as a mismatch worth a warning; we
  // refuse both cases and report the types we expected, so the user can tell them apart.
  return { status: 'changed', expectedTypes: [...new Set(plain.map((e) => e.keyType))], lines: plain.map((e) => e.line) };
}

/** Default files, in OpenSSH's order (ssh_config(5) UserKnownHostsFile, GlobalKnownHostsFile). */
export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

export async function readKnownHostsFiles(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of files) {
    try {
      all.push(...parseKnownHosts(await readFile(f, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return all;
}

/** Appends a trusted key (after the user accepted it in the editor). */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  await appendFile(file, `${knownHostName(host, port)} ${keyTypeOfBlob(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}

/** SHA256 fingerprint as OpenSSH prints it (`SHA256:` + unpadded base64). */
export function fingerprintOf(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}
