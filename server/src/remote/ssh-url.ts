/** A router address as the user writes it: `ssh://user@host[:port]`. */
export interface SshTarget {
  /** Login name; undefined means "the local user name" (as OpenSSH does). */
  user?: string;
  /** Host name, IPv4 address or IPv6 address (without brackets). */
  host: string;
  port: number;
  /** The text as given, for messages. */
  url: string;
}

// Host names and addresses only: no spaces, no shell or nft metacharacters. The value never reaches
// a shell (ssh2 connects by itself), but a strict shape keeps messages and known_hosts lookups sane.
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]+\])$/;
const USER_RE = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;

/** Parses `ssh://[user@]host[:port]`; returns an error message instead of throwing. */
export function parseSshUrl(text: string): SshTarget | { error: string } {
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^:/]*)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!m) return { error: `not an ssh:// URL: ${JSON.stringify(text)} (expected ssh://user@host[:port])` };
  const [, user, hostPart, portText] = m;
  if (user !== undefined && !USER_RE.test(user)) return { error: `invalid user name in ${JSON.stringify(text)}` };
  if (!HOST_RE.test(hostPart)) return { error: `invalid host in ${JSON.stringify(text)}` };
  const port = portText === undefined ? 22 : Number(portText);
  if (!(port >= 1 && port <= 65535)) return { error: `invalid port in ${JSON.stringify(text)}` };
  const host = hostPart.startsWith('[') ? hostPart.slice(1, -1) : hostPart;
  return { user: user === undefined || user === '' ? undefined : user, host, port, url: text };
}

export function isSshUrl(text: string): boolean {
  return text.startsWith('ssh://');
}
