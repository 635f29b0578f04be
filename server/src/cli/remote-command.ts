import { readFile } from 'node:fs/promises';
import { LineIndex, type Finding } from '../core';
import {
  checkRemote, connectRouter, DEFAULT_ROLLBACK_SECONDS, describeTarget, diffRemote, forEachTarget, isSshUrl, parseInventory,
  parseSshUrl, pullRuleset, readFlows, renderDiff, renderFlowsText, safeApply, type ApplyOutcome, type ConnectOptions,
  type RouterSession, type SecretProvider, type SshTarget,
} from '../remote';
import { liveFlowPredictor } from './live-flow-predictor';
import { previewApply } from '../preview';

/**
 * `nft-offload remote <check|apply|pull|diff|flows> ssh://user@host[:port] [FILE]
 *    [--identity KEY] [--known-hosts FILE] [--rollback-after SECONDS] [--json]`
 * apply also takes several ssh:// targets and `--inventory FILE` (one URL per line), run in parallel.
 * Exit codes: 0 success (apply: all confirmed; diff: no differences), 1 rejected/errors/differences
 * or connection failure, 2 usage, 3 apply rolled back (any target).
 */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE =
  'usage: nft-offload remote <check|apply|pull|diff|flows> ssh://user@host[:port] [FILE]\n' +
  '         [--identity KEY] [--known-hosts FILE] [--rollback-after SECONDS] [--json]\n' +
  '       nft-offload remote apply ssh://a ssh://b ... FILE | --inventory HOSTS FILE\n';

const VERBS = ['check', 'apply', 'pull', 'diff', 'flows'] as const;
type Verb = (typeof VERBS)[number];

interface Parsed {
  verb: Verb;
  targets: SshTarget[];
  file?: string;
  identity?: string;
  knownHosts?: string;
  inventory?: string;
  rollbackAfter: number;
  json: boolean;
}

function parseArgs(argv: string[]): Parsed | string {
  const [verb, ...rest] = argv;
  if (!VERBS.includes(verb as Verb)) return `unknown or missing subcommand ${verb === undefined ? '' : JSON.stringify(verb)}`;
  const p: Parsed = { verb: verb as Verb, targets: [], rollbackAfter: DEFAULT_ROLLBACK_SECONDS, json: false };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--json') p.json = true;
      else if (a === '--identity' || a === '-i') p.identity = value();
      else if (a === '--known-hosts') p.knownHosts = value();
      else if (a === '--inventory') p.inventory = value();
      else if (a === '--rollback-after') {
        const v = value();
        if (!/^\d+$/.test(v)) return `--rollback-after needs whole seconds, got ${JSON.stringify(v)}`;
        p.rollbackAfter = Number(v);
      } else if (a.startsWith('--')) return `unknown option ${a}`;
      else positional.push(a);
    } catch (e) {
      return (e as Error).message;
    }
  }
  for (const x of positional) {
    if (isSshUrl(x)) {
      const t = parseSshUrl(x);
      if ('error' in t) return t.error;
      p.targets.push(t);
    } else if (p.file === undefined) p.file = x;
    else return `unexpected argument ${JSON.stringify(x)}`;
  }
  if (p.verb !== 'apply' && p.inventory) return '--inventory is only for apply';
  if (p.verb !== 'apply' && p.targets.length !== 1) return `${p.verb} takes exactly one ssh:// target`;
  if (p.verb === 'apply' && p.targets.length === 0 && !p.inventory) return 'apply needs at least one ssh:// target or --inventory';
  if (['check', 'apply', 'diff'].includes(p.verb) && p.file === undefined) return `${p.verb} needs a ruleset FILE`;
  if (['pull', 'flows'].includes(p.verb) && p.file !== undefined) return `${p.verb} takes no FILE`;
  if (p.verb === 'apply' && p.rollbackAfter < 5) return '--rollback-after must be at least 5 seconds';
  return p;
}

/** Passphrase prompt on a terminal (no echo); without a terminal there is none (use ssh-agent). */
function terminalSecretProvider(io: CliIo): SecretProvider | undefined {
  if (!process.stdin.isTTY) return undefined;
  return (req) =>
    new Promise((resolve) => {
      const what = req.kind === 'passphrase' ? `passphrase for ${req.keyPath}` : `password for ${req.target}`;
      io.stderr(`Enter ${what}: `);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let buf = '';
      const onData = (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            io.stderr('\n');
            return resolve(buf);
          }
          if (ch === '\u0003') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            return resolve(undefined);
          }
          buf = ch === '\u007f' ? buf.slice(0, -1) : buf + ch;
        }
      };
      stdin.on('data', onData);
    });
}

function findingLines(findings: Finding[], text: string, file: string): string[] {
  const idx = new LineIndex(text);
  return findings.map((f) => {
    const s = idx.positionAt(f.span.start);
    return `${file}:${s.line + 1}:${s.character + 1}: ${f.severity} ${f.code}: ${f.message}`;
  });
}

function findingJson(findings: Finding[], text: string) {
  const idx = new LineIndex(text);
  return findings.map((f) => {
    const r = idx.rangeOf(f.span);
    return { code: f.code, severity: f.severity, message: f.message, line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
  });
}

export async function runRemoteCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv);
  if (typeof p === 'string') {
    io.stderr(`nft-offload remote: ${p}\n${USAGE}`);
    return 2;
  }
  let text = '';
  if (p.file !== undefined) {
    try {
      text = await readFile(p.file, 'utf8');
    } catch (e) {
      io.stderr(`nft-offload remote: cannot read ${p.file}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (p.inventory) {
    let inv;
    try {
      inv = parseInventory(await readFile(p.inventory, 'utf8'));
    } catch (e) {
      io.stderr(`nft-offload remote: cannot read inventory ${p.inventory}: ${(e as Error).message}\n`);
      return 2;
    }
    if (inv.errors.length) {
      io.stderr(inv.errors.map((e) => `${p.inventory}: ${e}\n`).join(''));
      return 2;
    }
    p.targets.push(...inv.targets);
  }
  const secretProvider = terminalSecretProvider(io);
  const optsFor = (target: SshTarget): ConnectOptions => ({
    target,
    identityFile: p.identity,
    knownHostsFiles: p.knownHosts ? [p.knownHosts] : undefined,
    secretProvider,
  });
  const file = p.file ?? '';

  if (p.verb === 'apply') {
    const previews = new Map<SshTarget, string>();
    const results = await forEachTarget(p.targets, async (target) => {
      // The hardware-acceleration preview comes first ("12 live flows would move to hardware, …").
      // It is advice: a router where it cannot be worked out is still applied.
      const preview = await applyPreviewFor(() => connectRouter(optsFor(target)), file, text);
      previews.set(target, preview);
      if (!p.json) io.stderr(`${describeTarget(target)}: preview: ${preview}\n`);
      return safeApply({
        connect: () => connectRouter(optsFor(target)),
        target, ruleset: text, file, rollbackAfterSeconds: p.rollbackAfter,
        log: p.json ? undefined : (m) => io.stderr(`${m}\n`),
      });
    });
    if (p.json) {
      const preview = (r: ApplyOutcome) => previews.get(p.targets.find((t) => describeTarget(t) === r.target) ?? p.targets[0]);
      io.stdout(JSON.stringify({ results: results.map((r) => ({ ...r, preview: preview(r), findings: findingJson(r.findings, text) })) }, null, 2) + '\n');
    } else {
      for (const r of results) {
        for (const n of r.notes) io.stdout(`${r.target}: note: ${n}\n`);
        const head = r.status === 'confirmed' ? 'applied and confirmed' : r.status === 'rolled-back' ? 'rolled back' : 'rejected';
        io.stdout(`${r.target}: ${head}: ${r.message}\n`);
        for (const l of findingLines(r.findings, text, file)) io.stdout(`  ${l}\n`);
      }
    }
    return applyExitCode(results);
  }

  const target = p.targets[0];
  let session: RouterSession;
  try {
    session = await connectRouter(optsFor(target));
  } catch (e) {
    io.stderr(`nft-offload remote: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    switch (p.verb) {
      case 'check': {
        const r = await checkRemote(session, text, file);
        if (p.json) io.stdout(JSON.stringify({ target: describeTarget(target), ok: r.ok, findings: findingJson(r.findings, text) }, null, 2) + '\n');
        else if (r.ok) io.stdout(`${file}: accepted by nft on ${describeTarget(target)}\n`);
        else io.stdout(findingLines(r.findings, text, file).join('\n') + '\n');
        return r.ok ? 0 : 1;
      }
      case 'pull': {
        const live = await pullRuleset(session);
        io.stdout(p.json ? JSON.stringify({ target: describeTarget(target), ruleset: live }) + '\n' : live);
        return 0;
      }
      case 'diff': {
        const d = await diffRemote(session, text);
        if (p.json) io.stdout(JSON.stringify({ target: describeTarget(target), entries: d.entries, skipped: d.skipped }, null, 2) + '\n');
        else {
          io.stdout(`--- live ${describeTarget(target)}\n+++ local ${file}\n` + renderDiff(d.entries));
          for (const s of d.skipped) io.stderr(`note: not compared (outside a table block): ${s}\n`);
        }
        return d.entries.length === 0 ? 0 : 1;
      }
      case 'flows': {
        // predicted from the live ruleset, with each flow's interfaces from the router's routes
        const r = await readFlows(session, { factory: liveFlowPredictor });
        io.stdout(p.json ? JSON.stringify(r, null, 2) + '\n' : renderFlowsText(r));
        return 0;
      }
    }
  } catch (e) {
    io.stderr(`nft-offload remote: ${(e as Error).message}\n`);
    return 1;
  } finally {
    session.close();
  }
  return 1;
}

/** 3 if any target rolled back, else 1 if any was rejected, else 0. */
export function applyExitCode(results: ApplyOutcome[]): number {
  if (results.some((r) => r.status === 'rolled-back')) return 3;
  if (results.some((r) => r.status === 'rejected')) return 1;
  return 0;
}

/** The pre-apply preview sentence, or why there is none; never throws. */
async function applyPreviewFor(connect: () => Promise<RouterSession>, file: string, text: string): Promise<string> {
  let session: RouterSession | undefined;
  try {
    session = await connect();
    return (await previewApply(session, file, text)) ?? 'no live forwarded flows to preview';
  } catch (e) {
    return `no preview (${(e as Error).message})`;
  } finally {
    session?.close();
  }
}
