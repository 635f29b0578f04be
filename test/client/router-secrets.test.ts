// Mock: VS Code's SecretStorage cannot exist outside VS Code, so a Map stands in for it; the
// prompt is a function returning what a user would type. RouterSecrets itself is the real code.
import { describe, expect, it } from 'vitest';
import { RouterSecrets, secretStorageKey, type SecretStore } from '../../client/src/remote/router-secrets';

function memoryStore() {
  const m = new Map<string, string>();
  const store: SecretStore = {
    get: async (k) => m.get(k),
    store: async (k, v) => void m.set(k, v),
    delete: async (k) => void m.delete(k),
  };
  return { m, store };
}
const URL = 'ssh://root@192.0.2.1:22';
const pw = { kind: 'password' as const, target: 'root@192.0.2.1' };
const pp = { kind: 'passphrase' as const, target: 'root@192.0.2.1', keyPath: '/k/id_ed25519' };

describe('RouterSecrets', () => {
  it('stores a typed secret only after the connection succeeded', async () => {
    const { m, store } = memoryStore();
    const s = new RouterSecrets(store);
    let asked = 0;
    const prompt = async () => (asked++, 'hunter2');
    const a = s.attempt(URL, prompt);
    expect(await a.provider(pw)).toBe('hunter2');
    expect(m.size).toBe(0);
    await a.succeeded();
    expect(JSON.parse(m.get(secretStorageKey(URL))!)).toEqual({ password: 'hunter2', passphrases: {} });
    // The next attempt uses the stored value without asking.
    expect(await s.attempt(URL, prompt).provider(pw)).toBe('hunter2');
    expect(asked).toBe(1);
  });
  it('keeps passphrases per key file and forgets a stored secret that failed', async () => {
    const { m, store } = memoryStore();
    const s = new RouterSecrets(store);
    const a = s.attempt(URL, async (r) => (r.kind === 'passphrase' ? 'pp' : 'pw'));
    await a.provider(pp);
    await a.provider(pw);
    await a.succeeded();
    expect(JSON.parse(m.get(secretStorageKey(URL))!)).toEqual({ password: 'pw', passphrases: { '/k/id_ed25519': 'pp' } });
    const b = s.attempt(URL, async () => 'new');
    expect(await b.provider(pw)).toBe('pw');
    await b.authFailed();
    expect(JSON.parse(m.get(secretStorageKey(URL))!)).toEqual({ passphrases: { '/k/id_ed25519': 'pp' } });
  });
  it('a cancelled prompt stores nothing; forget deletes the entry', async () => {
    const { m, store } = memoryStore();
    const s = new RouterSecrets(store);
    const a = s.attempt(URL, async () => undefined);
    expect(await a.provider(pw)).toBeUndefined();
    await a.succeeded();
    expect(m.size).toBe(0);
    await store.store(secretStorageKey(URL), JSON.stringify({ password: 'x', passphrases: {} }));
    expect(await s.has(URL)).toBe(true);
    await s.forget(URL);
    expect(await s.has(URL)).toBe(false);
  });
  it('survives a corrupt entry', async () => {
    const { store } = memoryStore();
    await store.store(secretStorageKey(URL), '{not json');
    const s = new RouterSecrets(store);
    expect(await s.attempt(URL, async () => 'typed').provider(pw)).toBe('typed');
  });
});
