import { createHash, randomBytes } from 'node:crypto';
import type { Finding } from '../core';
import { nftErrorsToFindings, parseNftErrors } from './nft-error-lines';
import { RouterCommands, SAFE_APPLY_SHA256 } from './router-commands';
import { detectRouterProfile } from './router-profile';
import { scanRulesetScope, tableReplacementPreamble } from './ruleset-scope';
import { SAFE_APPLY_EXIT, SAFE_APPLY_SCRIPT } from './safe-apply-script';
import { describeTarget, SshError, type RouterSession } from './ssh-transport';
import type { SshTarget } from './ssh-url';

/**
 * Safe apply, client side (anchors.md §2 "What the precedents together suggest"):
 *  1. `nft -c -f -` on the router, errors mapped onto the local file;
 *  2-4. the helper (safe-apply-script.ts) checks the upload's sha256, re-checks it, snapshots the
 *     live ruleset and checks that the snapshot re-parses, arms a detached rollback timer and
 *     applies in one `nft -f` transaction;
 *  5. confirmation only from a NEW connection carrying the token (conntrack can keep the old
 *     session alive under rules that refuse new ones, so the old session proves nothing);
 *  6. otherwise the router rolls back by itself.
 * The applied ruleset is runtime only: nothing is written to the router's boot configuration.
 */
export type ApplyStatus = 'confirmed' | 'rolled-back' | 'rejected';

export interface ApplyOutcome {
  target: string;
  status: ApplyStatus;
  /** One sentence for people: why it was rolled back or rejected, or what was applied. */
  message: string;
  /** nft's errors mapped onto the local file (status 'rejected' after the check). */
  findings: Finding[];
  /** Notes such as "OpenWrt fw4 detected: applied only table inet mine". */
  notes: string[];
}

export interface SafeApplyOptions {
  /** Opens a NEW connection each call (the confirm must not reuse the apply's connection). */
  connect: () => Promise<RouterSession>;
  target: SshTarget;
  ruleset: string;
  /** Local file name, for findings. */
  file: string;
  rollbackAfterSeconds: number;
  /**
   * Called after the new ruleset is live and before confirming; resolve false to roll back now.
   * The editor can ask the user here (like iptables-apply's question). Default: confirm.
   */
  beforeConfirm?: () => Promise<boolean>;
  log?: (message: string) => void;
  /** Extra wait after the window before checking that the router rolled back (default 3 s). */
  graceMs?: number;
}

export const MIN_ROLLBACK_SECONDS = 5;
export const DEFAULT_ROLLBACK_SECONDS = 90; // LuCI's minimum window (anchors.md §2)

const TOKEN_RE = /^[0-9a-f]{32}$/;

export function newApplyToken(): string {
  const tok = randomBytes(16).toString('hex');
  if (!TOKEN_RE.test(tok)) throw new Error('token generation failed');
  return tok;
}

/** Uploads the helper (idempotent, atomic rename) and checks what landed by its sha256. */
export async function installSafeApplyHelper(session: RouterSession): Promise<void> {
  const r = await session.exec(RouterCommands.installSafeApply, SAFE_APPLY_SCRIPT);
  const got = r.stdout.trim().split(/\s+/)[0];
  if (r.code !== 0 || got !== SAFE_APPLY_SHA256) {
    throw new SshError('closed', `could not install the safe-apply helper on ${describeTarget(session.target)}: ${r.stderr.trim() || `checksum ${got || 'missing'}`}`);
  }
}

const EXIT_MESSAGES: Record<number, string> = {
  [SAFE_APPLY_EXIT.invalid]: 'nft -c on the router rejected the upload; nothing changed',
  [SAFE_APPLY_EXIT.busy]: 'another apply on this router is still awaiting confirmation; nothing changed',
  [SAFE_APPLY_EXIT.checksum]: 'the upload arrived incomplete (checksum mismatch); nothing changed',
  [SAFE_APPLY_EXIT.environment]: 'the router lacks a tool safe apply needs, or its state directory is unsafe; nothing changed',
  [SAFE_APPLY_EXIT.snapshot]: 'the live ruleset does not re-parse, so a rollback could not be guaranteed; nothing changed',
  [SAFE_APPLY_EXIT.applyFailed]: 'nft -f failed after a successful check; nothing changed',
  [SAFE_APPLY_EXIT.protocol]: 'the helper refused the request header; nothing changed',
};

interface Prepared {
  payload: string;
  mode: 'full' | 'tables';
  tablesLine: string;
  lineOffset: number;
  notes: string[];
  error?: string;
}

/** Pure: decides how to upload, given the router kind (fw4 → own tables only). */
export function prepareUpload(ruleset: string, fw4: boolean, openwrt: boolean): Prepared {
  if (!fw4 && !openwrt) return { payload: ruleset, mode: 'full', tablesLine: '', lineOffset: 0, notes: [] };
  const scope = scanRulesetScope(ruleset);
  const base = { payload: '', mode: 'tables' as const, tablesLine: '', lineOffset: 0 };
  const where = fw4 ? 'OpenWrt firewall4 (table inet fw4) detected' : 'OpenWrt detected';
  if (scope.flushesRuleset) {
    return { ...base, notes: [], error: `${where}: the file contains \`flush ruleset\`, which would wipe fw4's table; write your own table instead` };
  }
  if (scope.tables.some((t) => t.family === 'inet' && t.name === 'fw4')) {
    return { ...base, notes: [], error: `${where}: the file touches \`table inet fw4\`, which fw4 regenerates; put your rules in your own table (or fw4 include files)` };
  }
  if (scope.opaque.length) return { ...base, notes: [], error: `${where}: cannot tell which tables the file touches (${scope.opaque.join('; ')})` };
  if (scope.tables.length === 0) return { ...base, notes: [], error: `${where}: the file declares no table` };
  const preamble = tableReplacementPreamble(scope.blockTables);
  const names = scope.tables.map((t) => `table ${t.family} ${t.name}`).join(', ');
  return {
    payload: preamble + ruleset,
    mode: 'tables',
    tablesLine: 'TABLES ' + scope.tables.map((t) => `${t.family} ${t.name}`).join(' '),
    lineOffset: preamble.split('\n').length - 1,
    notes: [`${where}: applying only ${names} (each declared table replaced as a whole); fw4's own table and the rest of the ruleset are left alone, and rollback restores only these tables`],
  };
}

/** `nft -c -f -` on the router; returns findings mapped onto the local file. */
export async function checkOnRouter(session: RouterSession, text: string, file: string, lineOffset = 0, upload = text): Promise<{ ok: boolean; findings: Finding[]; stderr: string }> {
  const r = await session.exec(RouterCommands.check, upload);
  if (r.code === 127) throw new SshError('closed', `nft is not installed on ${describeTarget(session.target)}`);
  const findings = nftErrorsToFindings(parseNftErrors(r.stderr), text, file, lineOffset);
  return { ok: r.code === 0, findings, stderr: r.stderr };
}

async function routerStatus(opts: SafeApplyOptions, token: string): Promise<string | undefined> {
  try {
    const s = await opts.connect();
    try {
      return (await s.exec(RouterCommands.safeStatus, token + '\n', { timeoutMs: 15_000 })).stdout.trim();
    } finally {
      s.close();
    }
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function safeApply(opts: SafeApplyOptions): Promise<ApplyOutcome> {
  const target = describeTarget(opts.target);
  const log = opts.log ?? (() => undefined);
  const out = (status: ApplyStatus, message: string, findings: Finding[] = [], notes: string[] = []): ApplyOutcome => ({ target, status, message, findings, notes });
  const secs = Math.floor(opts.rollbackAfterSeconds);
  if (!(secs >= MIN_ROLLBACK_SECONDS)) return out('rejected', `rollback window must be at least ${MIN_ROLLBACK_SECONDS} s`);

  let session: RouterSession;
  try {
    session = await opts.connect();
  } catch (e) {
    return out('rejected', (e as Error).message);
  }
  const token = newApplyToken();
  let notes: string[] = [];
  let armedAt = 0;
  try {
    await installSafeApplyHelper(session);
    const profile = await detectRouterProfile(session);
    const prep = prepareUpload(opts.ruleset, profile.fw4, profile.openwrt);
    notes = prep.notes;
    if (prep.error) return out('rejected', prep.error);
    for (const n of notes) log(`${target}: ${n}`);

    // 1. check first, with positions on the user's file.
    const check = await checkOnRouter(session, opts.ruleset, opts.file, prep.lineOffset, prep.payload);
    if (!check.ok) {
      const first = check.findings[0]?.message ?? check.stderr.trim();
      return out('rejected', `nft -c on the router rejected the ruleset: ${first}`, check.findings, notes);
    }
    log(`${target}: check passed; arming rollback in ${secs}s and applying`);

    // 2-4. helper: checksum, snapshot + re-parse, detached timer, atomic apply.
    const sha = createHash('sha256').update(prep.payload, 'utf8').digest('hex');
    if (!TOKEN_RE.test(token)) throw new Error('bad token');
    const header = `NFTOFFLOAD1 ${token} ${sha} ${secs} ${prep.mode}\n` + (prep.mode === 'tables' ? prep.tablesLine + '\n' : '');
    armedAt = Date.now();
    let r;
    try {
      r = await session.exec(RouterCommands.safeApply, header + prep.payload, { timeoutMs: Math.max(30_000, secs * 1000) });
    } catch (e) {
      r = { code: null, stdout: '', stderr: (e as Error).message };
    }
    if (r.code === null) {
      // We do not know whether the ruleset went live. Ask from a new connection and roll back:
      // a user who never saw "applied" must not be left with it.
      log(`${target}: connection lost during apply; checking from a new connection`);
      return await rollbackUnknown(opts, token, secs, armedAt, notes, `the connection was lost during apply (${r.stderr.trim() || 'no exit status'})`);
    }
    if (r.code !== 0) {
      const errs = parseNftErrors(r.stderr);
      const findings = r.code === SAFE_APPLY_EXIT.invalid ? nftErrorsToFindings(errs, opts.ruleset, opts.file, prep.lineOffset) : [];
      const detail = r.stderr.trim().split('\n')[0];
      return out('rejected', `${EXIT_MESSAGES[r.code] ?? `helper exited with ${r.code}`}${detail ? ` (${detail})` : ''}`, findings, notes);
    }
  } catch (e) {
    return out('rejected', (e as Error).message, [], notes);
  } finally {
    session.close();
  }

  // 5. confirm from a new connection.
  log(`${target}: applied; confirming from a new SSH connection`);
  if (opts.beforeConfirm && !(await opts.beforeConfirm().catch(() => false))) {
    const s = await opts.connect().catch(() => undefined);
    if (s) {
      try {
        const rb = await s.exec(RouterCommands.safeRollback, token + '\n');
        if (rb.code === 0) return out('rolled-back', 'rolled back: declined before confirmation', [], notes);
      } finally {
        s.close();
      }
    }
    return await waitForTimer(opts, token, secs, armedAt, notes, 'declined before confirmation');
  }
  let confirmSession: RouterSession;
  try {
    confirmSession = await opts.connect();
  } catch (e) {
    log(`${target}: new connection failed: ${(e as Error).message}`);
    return await waitForTimer(opts, token, secs, armedAt, notes, `a new SSH connection failed after the apply (${(e as Error).message}); the new ruleset probably locks out management`);
  }
  try {
    const c = await confirmSession.exec(RouterCommands.safeConfirm, token + '\n', { timeoutMs: 15_000 });
    if (c.code === 0) return out('confirmed', `confirmed from a new SSH connection within the ${secs}s rollback window`, [], notes);
    if (c.code === SAFE_APPLY_EXIT.notArmed) return out('rolled-back', 'rolled back: the confirmation arrived after the rollback window', [], notes);
    return await waitForTimer(opts, token, secs, armedAt, notes, `confirm failed (${c.stderr.trim() || `exit ${c.code}`})`);
  } catch (e) {
    return await waitForTimer(opts, token, secs, armedAt, notes, `confirm failed (${(e as Error).message})`);
  } finally {
    confirmSession.close();
  }
}

/** Waits out the window, then asks the router (if reachable) what happened. */
async function waitForTimer(opts: SafeApplyOptions, token: string, secs: number, armedAt: number, notes: string[], why: string): Promise<ApplyOutcome> {
  const target = describeTarget(opts.target);
  const left = armedAt + secs * 1000 + (opts.graceMs ?? 3000) - Date.now();
  opts.log?.(`${target}: not confirmed (${why}); waiting ${Math.ceil(Math.max(0, left) / 1000)}s for the router to roll back`);
  if (left > 0) await sleep(left);
  let status: string | undefined;
  for (let i = 0; i < 3 && status === undefined; i++) {
    status = await routerStatus(opts, token);
    if (status === undefined) await sleep(2000);
  }
  const verified =
    status === 'rolled-back' ? 'verified from a new connection' :
    status === undefined ? 'could not reconnect to verify' : `router reports "${status}"`;
  return { target, status: 'rolled-back', message: `rolled back: ${why} (${verified})`, findings: [], notes };
}

async function rollbackUnknown(opts: SafeApplyOptions, token: string, secs: number, armedAt: number, notes: string[], why: string): Promise<ApplyOutcome> {
  const target = describeTarget(opts.target);
  const s = await opts.connect().catch(() => undefined);
  if (s) {
    try {
      const st = await s.exec(RouterCommands.safeStatus, token + '\n');
      if (st.stdout.trim() === 'armed') {
        const rb = await s.exec(RouterCommands.safeRollback, token + '\n');
        if (rb.code === 0) return { target, status: 'rolled-back', message: `rolled back: ${why}`, findings: [], notes };
      } else if (st.stdout.trim() === 'unknown') {
        return { target, status: 'rejected', message: `${why}; the router never armed this apply, nothing changed`, findings: [], notes };
      }
    } catch {
      /* fall through to the timer */
    } finally {
      s.close();
    }
  }
  return waitForTimer(opts, token, secs, armedAt, notes, why);
}
