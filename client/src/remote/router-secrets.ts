/**
 * Passphrases and passwords for routers, kept in VS Code's SecretStorage (injected as `SecretStore`
 * so this file has no `vscode` import and is unit-tested). One storage entry per router URL holds
 * a JSON object { password?, passphrases: { keyPath: passphrase } }.
 * Invariants: secrets never reach settings, logs or error messages; a secret typed by the user is
 * stored only after a connection with it succeeded; a stored secret that led to an authentication
 * failure is deleted, so the next attempt asks again.
 */
import type { SecretProvider, SecretRequest } from '../../../server/src/remote';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Asks the user (a password input box in the editor); undefined = cancelled. */
export type SecretPrompt = (req: SecretRequest) => Promise<string | undefined>;

interface StoredSecrets {
  password?: string;
  passphrases: Record<string, string>;
}

export function secretStorageKey(url: string): string {
  return `nftablesOffload.remote.secret:${url}`;
}

const slotOf = (req: SecretRequest) => (req.kind === 'password' ? 'password' : `passphrase:${req.keyPath ?? ''}`);

export interface SecretAttempt {
  provider: SecretProvider;
  /** Call after the connection succeeded: stores what the user typed. */
  succeeded(): Promise<void>;
  /** Call after an authentication failure: forgets the stored secrets this attempt used. */
  authFailed(): Promise<void>;
}

export class RouterSecrets {
  constructor(private readonly store: SecretStore) {}

  private async read(url: string): Promise<StoredSecrets> {
    try {
      const raw = await this.store.get(secretStorageKey(url));
      const v = raw ? (JSON.parse(raw) as Partial<StoredSecrets>) : {};
      return { password: typeof v.password === 'string' ? v.password : undefined, passphrases: v.passphrases && typeof v.passphrases === 'object' ? v.passphrases : {} };
    } catch {
      return { passphrases: {} };
    }
  }

  private async write(url: string, s: StoredSecrets): Promise<void> {
    if (s.password === undefined && Object.keys(s.passphrases).length === 0) await this.store.delete(secretStorageKey(url));
    else await this.store.store(secretStorageKey(url), JSON.stringify(s));
  }

  /** One connection attempt's secret provider plus its success/failure hooks. */
  attempt(url: string, prompt: SecretPrompt): SecretAttempt {
    const typed = new Map<string, string>();
    const usedStored = new Set<string>();
    const provider: SecretProvider = async (req) => {
      const slot = slotOf(req);
      const stored = await this.read(url);
      const have = req.kind === 'password' ? stored.password : stored.passphrases[req.keyPath ?? ''];
      if (have !== undefined && !typed.has(slot)) {
        usedStored.add(slot);
        return have;
      }
      const v = await prompt(req);
      if (v !== undefined) typed.set(slot, v);
      return v;
    };
    return {
      provider,
      succeeded: async () => {
        if (typed.size === 0) return;
        const s = await this.read(url);
        for (const [slot, v] of typed) {
          if (slot === 'password') s.password = v;
          else s.passphrases[slot.slice('passphrase:'.length)] = v;
        }
        await this.write(url, s);
      },
      authFailed: async () => {
        if (usedStored.size === 0) return;
        const s = await this.read(url);
        for (const slot of usedStored) {
          if (slot === 'password') s.password = undefined;
          else delete s.passphrases[slot.slice('passphrase:'.length)];
        }
        await this.write(url, s);
      },
    };
  }

  async has(url: string): Promise<boolean> {
    return (await this.store.get(secretStorageKey(url))) !== undefined;
  }

  async forget(url: string): Promise<void> {
    await this.store.delete(secretStorageKey(url));
  }
}
