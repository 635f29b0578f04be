// Pure: the host-key modal's wording and what each answer means.
import { describe, expect, it } from 'vitest';
import { decideHostKey, hostKeyDialog } from '../../client/src/remote/host-key-decision';

const q = { host: '192.0.2.1', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abcDEF' };

describe('host key dialog', () => {
  it('unknown key: accept once, accept and save, or cancel', () => {
    const d = hostKeyDialog({ ...q, kind: 'unknown' }, '/home/u/.ssh/known_hosts');
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('[192.0.2.1]:2222');
    expect(d.detail).toContain('ssh-ed25519 SHA256:abcDEF');
    expect(d.buttons.map((b) => b.choice)).toEqual(['accept-once', 'accept-and-save']);
    expect(decideHostKey(d, d.buttons[0].title)).toEqual({ choice: 'accept-once', trust: true, save: false });
    expect(decideHostKey(d, d.buttons[1].title)).toEqual({ choice: 'accept-and-save', trust: true, save: true });
    expect(decideHostKey(d, undefined)).toEqual({ choice: 'cancel', trust: false, save: false });
  });
  it('changed key: strong warning, refused by default, never saved next to the old key', () => {
    const d = hostKeyDialog({ ...q, port: 22, kind: 'changed' }, '/k');
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/CHANGED/);
    expect(d.message).toContain('192.0.2.1');
    expect(d.detail).toMatch(/man-in-the-middle/);
    expect(d.detail).toContain('SHA256:abcDEF');
    expect(d.detail).toContain('/k');
    expect(d.buttons.map((b) => b.choice)).toEqual(['accept-once']);
    expect(decideHostKey(d, undefined).trust).toBe(false);
    expect(decideHostKey(d, 'Accept and save to /k')).toEqual({ choice: 'cancel', trust: false, save: false });
  });
});
