import { readFileSync } from 'node:fs';
import { LineIndex, type Finding, type Fix } from '../../server/src/core';
import { buildRulesetModel, NO_INCLUDES } from '../../server/src/semantics';
import { parseRuleset } from '../../server/src/syntax/parse';
import { findOffloadBlockers, OFFLOAD_RULES_BY_CODE } from '../../server/src/offload';

export function modelOf(path: string, text = readFileSync(path, 'utf8')) {
  return buildRulesetModel({ path, text }, NO_INCLUDES);
}

/** `12:3-12:15 OFF007 warning flow-add-after-verdict: message`, then fix titles indented. */
export function renderFindings(findings: Finding[], text: string): string {
  const li = new LineIndex(text);
  const at = (o: number) => {
    const p = li.positionAt(o);
    return `${p.line + 1}:${p.character + 1}`;
  };
  return findings
    .map((f) => {
      const head = `${at(f.span.start)}-${at(f.span.end)} ${f.code} ${f.severity} ${OFFLOAD_RULES_BY_CODE[f.code]?.name ?? '?'}: ${f.message}`;
      const rel = (f.related ?? []).map((r) => `\n    related ${at(r.location.span.start)}: ${r.message}`).join('');
      const fixes = (f.fixes ?? []).map((x) => `\n    fix (${x.safety}): ${x.title}`).join('');
      return head + rel + fixes;
    })
    .join('\n') + '\n';
}

export function offloadFindings(path: string, text: string): Finding[] {
  return findOffloadBlockers(modelOf(path, text));
}

/** Applies one fix's edits (all in this file) from the end backwards. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

export function errorsAfterFix(path: string, text: string): string[] {
  const p = parseRuleset(text);
  const m = modelOf(path, text);
  return [...p.findings, ...m.findings].filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
}
