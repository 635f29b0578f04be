import type { Finding } from '../core';
import { diffRulesets, type DiffEntry } from './ruleset-diff';
import { RouterCommands } from './router-commands';
import { checkOnRouter } from './safe-apply';
import { describeTarget, SshError, type RouterSession } from './ssh-transport';

/** The read-only operations, one function each; the session is the caller's. */

export async function checkRemote(session: RouterSession, text: string, file: string): Promise<{ ok: boolean; findings: Finding[]; stderr: string }> {
  return checkOnRouter(session, text, file);
}

export async function pullRuleset(session: RouterSession): Promise<string> {
  const r = await session.exec(RouterCommands.listRuleset);
  if (r.code !== 0) throw new SshError('closed', `nft list ruleset failed on ${describeTarget(session.target)}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

export async function diffRemote(session: RouterSession, localText: string): Promise<{ entries: DiffEntry[]; skipped: string[] }> {
  return diffRulesets(localText, await pullRuleset(session));
}
