import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client, utils, type AnyAuthMethod, type AuthenticationType, type ClientChannel, type ParsedKey } from 'ssh2';
import { checkHostKey, defaultKnownHostsFiles, fingerprintOf, keyTypeOfBlob, knownHostName, readKnownHostsFiles } from './known-hosts';
import type { RouterCommand } from './router-commands';
import type { SshTarget } from './ssh-url';

/**
 * SSH transport over the `ssh2` library (no `ssh` binary, no shell on our side).
 * Invariants:
 *  - `exec` only takes a `RouterCommand`, i.e. one of the constant strings in router-commands.ts;
 *    data (rulesets, tokens) travels on stdin, never inside a command string;
 *  - the host key is checked against known_hosts before authentication; unknown/changed keys are
 *    refused unless the caller's `hostKeyPrompt` says yes;
 *  - passphrases and passwords come only from the caller's `secretProvider` and are never logged.
 */

export interface SecretRequest {
  kind: 'passphrase' | 'password';
  /** `user@host:port`, for the prompt text. */
  target: string;
  keyPath?: string;
}
/** Supplies a secret on demand (the editor backs this with SecretStorage / an input box). */
export type SecretProvider = (req: SecretRequest) => Promise<string | undefined>;

export interface HostKeyQuestion {
  host: string;
  port: number;
  kind: 'unknown' | 'changed';
  keyType: string;
  fingerprint: string;
  /** The raw key, so an accepting caller can store it (known-hosts.ts appendKnownHost). */
  key: Buffer;
}
/** Asked when the key is unknown or changed; resolve true to trust it for this connection. */
export type HostKeyPrompt = (q: HostKeyQuestion) => Promise<boolean>;

export interface ConnectOptions {
  target: SshTarget;
  /** Private key file; when absent, ~/.ssh/id_ed25519, id_ecdsa, id_rsa are tried if present. */
  identityFile?: string;
  /** known_hosts files; default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
  secretProvider?: SecretProvider;
  hostKeyPrompt?: HostKeyPrompt;
  /** ssh-agent socket; default $SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Progress messages (never contain secrets). */
  log?: (message: string) => void;
}

export interface ExecResult {
  /** Exit status; null when the channel closed without one (connection lost, signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type SshErrorKind = 'host-key' | 'auth' | 'connect' | 'timeout' | 'closed';
export class SshError extends Error {
  constructor(readonly kind: SshErrorKind, message: string) {
    super(message);
    this.name = 'SshError';
  }
}

export interface RouterSession {
  readonly target: SshTarget;
  exec(command: RouterCommand, stdin?: string | Buffer, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Orderly close. */
  close(): void;
  /** Drop the TCP connection at once (used to simulate a dying link). */
  destroy(): void;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

export function describeTarget(t: SshTarget): string {
  return `${t.user ?? userInfo().username}@${knownHostName(t.host, t.port)}`;
}

interface LoadedKey {
  path: string;
  key: ParsedKey;
}

async function loadIdentities(opts: ConnectOptions, targetText: string): Promise<{ keys: LoadedKey[]; notes: string[] }> {
  const explicit = opts.identityFile !== undefined;
  const paths = explicit ? [opts.identityFile!] : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(homedir(), '.ssh', n));
  const keys: LoadedKey[] = [];
  const notes: string[] = [];
  for (const path of paths) {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (e) {
      if (explicit) throw new SshError('auth', `cannot read identity file ${path}: ${(e as Error).message}`);
      continue;
    }
    let parsed = utils.parseKey(data);
    if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
      const pass = opts.secretProvider ? await opts.secretProvider({ kind: 'passphrase', target: targetText, keyPath: path }) : undefined;
      if (pass === undefined) {
        notes.push(`${path} is encrypted and no passphrase was provided`);
        continue;
      }
      parsed = utils.parseKey(data, pass);
    }
    if (parsed instanceof Error) {
      notes.push(`${path}: ${parsed.message}`);
      if (explicit) throw new SshError('auth', `cannot use identity file ${path}: ${parsed.message}`);
      continue;
    }
    keys.push({ path, key: Array.isArray(parsed) ? parsed[0] : parsed });
  }
  return { keys, notes };
}

/** Opens one SSH connection; rejects with SshError (kind says why). */
export async function connectRouter(opts: ConnectOptions): Promise<RouterSession> {
  const { target } = opts;
  const username = target.user ?? userInfo().username;
  const targetText = describeTarget(target);
  const knownHosts = await readKnownHostsFiles(opts.knownHostsFiles ?? defaultKnownHostsFiles());
  const { keys, notes } = await loadIdentities(opts, targetText);
  const agent = opts.agentSocket === null ? undefined : (opts.agentSocket ?? process.env.SSH_AUTH_SOCK);

  // Auth methods are tried in this order; the password is fetched only if the server offers it.
  const methods: (AnyAuthMethod | 'password')[] = [];
  if (agent) methods.push({ type: 'agent', username, agent });
  for (const k of keys) methods.push({ type: 'publickey', username, key: k.key });
  if (opts.secretProvider) methods.push('password');

  let hostKeyRefusal: string | undefined;
  const client = new Client();

  return new Promise<RouterSession>((resolve, reject) => {
    let settled = false;
    const fail = (err: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    client.on('ready', () => {
      settled = true;
      opts.log?.(`connected to ${targetText}`);
      resolve(makeSession(client, target));
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (hostKeyRefusal) return fail(new SshError('host-key', hostKeyRefusal));
      if (err.level === 'client-authentication') {
        const extra = notes.length ? ` (${notes.join('; ')})` : '';
        return fail(new SshError('auth', `authentication to ${targetText} failed: ${err.message}${extra}`));
      }
      if (/timed out/i.test(err.message)) return fail(new SshError('timeout', `connecting to ${targetText} timed out`));
      fail(new SshError('connect', `cannot connect to ${targetText}: ${err.message}`));
    });
    client.on('close', () => fail(new SshError('closed', `connection to ${targetText} closed during setup`)));

    client.connect({
      host: target.host,
      port: target.port,
      username,
      readyTimeout: opts.readyTimeoutMs ?? 15_000,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 5_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const st = checkHostKey(knownHosts, target.host, target.port, key);
        const name = knownHostName(target.host, target.port);
        const fp = fingerprintOf(key);
        if (st.status === 'match') return verify(true);
        if (st.status === 'revoked') {
          hostKeyRefusal = `host key ${fp} of ${name} is marked @revoked in known_hosts (line ${st.line}); refusing`;
          return verify(false);
        }
        const kind = st.status;
        hostKeyRefusal =
          kind === 'unknown'
            ? `host key of ${name} is not in known_hosts (${keyTypeOfBlob(key)} ${fp}); refusing. ` +
              `Verify the fingerprint on the router (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and add it to known_hosts`
            : `HOST KEY CHANGED for ${name}: the router presented ${keyTypeOfBlob(key)} ${fp}, known_hosts expects ` +
              `${st.expectedTypes.join('/')} (line ${st.lines.join(', ')}); refusing — this can be a man-in-the-middle attack`;
        if (!opts.hostKeyPrompt) return verify(false);
        opts
          .hostKeyPrompt({ host: target.host, port: target.port, kind, keyType: keyTypeOfBlob(key), fingerprint: fp, key })
          .then((ok) => {
            if (ok) hostKeyRefusal = undefined;
            verify(ok);
          }, () => verify(false));
      },
      authHandler: (_left: AuthenticationType[], _partial: boolean, next: (m: AnyAuthMethod | false) => void) => {
        const m = methods.shift();
        if (m === undefined) return next(false);
        if (m !== 'password') return next(m);
        opts.secretProvider!({ kind: 'password', target: targetText }).then(
          (password) => next(password === undefined ? false : { type: 'password', username, password }),
          () => next(false),
        );
      },
    } as Parameters<Client['connect']>[0]);
  });
}

function makeSession(client: Client, target: SshTarget): RouterSession {
  let closed = false;
  let closeReason = 'connection closed';
  client.on('close', () => (closed = true));
  client.on('error', (e: Error) => (closeReason = e.message));
  return {
    target,
    exec(command, stdin, opts) {
      return new Promise<ExecResult>((resolve, reject) => {
        if (closed) return reject(new SshError('closed', `${closeReason} (${describeTarget(target)})`));
        client.exec(command, (err: Error | undefined, stream: ClientChannel) => {
          if (err) return reject(new SshError('closed', `cannot run command on ${describeTarget(target)}: ${err.message}`));
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          let code: number | null = null;
          const timeoutMs = opts?.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
          const timer = setTimeout(() => {
            stream.close();
            reject(new SshError('timeout', `command timed out after ${timeoutMs / 1000}s on ${describeTarget(target)}`));
          }, timeoutMs);
          stream.on('data', (d: Buffer) => out.push(d));
          stream.stderr.on('data', (d: Buffer) => errOut.push(d));
          stream.on('exit', (c: number | null) => (code = typeof c === 'number' ? c : null));
          stream.on('close', () => {
            clearTimeout(timer);
            resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
          });
          // NOTE: an 'error' on stdin (EPIPE when the command exits before reading it all) is not
          // fatal; the exit status tells what happened.
          stream.on('error', () => undefined);
          stream.end(stdin ?? '');
        });
      });
    },
    close() {
      client.end();
    },
    destroy() {
      client.destroy();
    },
  };
}
