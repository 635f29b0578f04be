/**
 * Quick-fixes as data (core Fix + TextEdits), shared by the LSP and the CLI. Each
 * builder returns undefined when it cannot place the edit safely (no file text, a
 * construct it does not recognise); the finding then carries no fix.
 */
import type { Fix } from '../core/finding';
import type { Span } from '../core/span';
import type { ChainModel, FlowtableModel } from '../semantics/model';
import type { RuleRef } from './flow-model';
import { closingBrace, lineStart, wholeLines } from './offload-context';

/** Move the `flow add` rule to just above the rule that ends the chain first (offload.md S07). */
export function moveFlowAddAbove(text: string | undefined, flowAdd: RuleRef, blocking: RuleRef): Fix | undefined {
  if (!text || flowAdd.file !== blocking.file || flowAdd.chain !== blocking.chain || flowAdd.span.start <= blocking.span.start) return undefined;
  const ruleText = text.slice(flowAdd.span.start, flowAdd.span.end).trim();
  const { indent } = lineStart(text, blocking.span.start);
  return {
    title: `Move \`${ruleText}\` above \`${blocking.text}\``,
    safety: 'unsafe',
    edits: [
      { file: blocking.file, span: { start: blocking.span.start, end: blocking.span.start }, newText: `${ruleText}\n${indent}` },
      { file: flowAdd.file, span: wholeLines(text, flowAdd.span), newText: '' },
    ],
  };
}

function flowtableBody(text: string, ft: FlowtableModel): { open: number; close: number } | undefined {
  return closingBrace(text, ft.decl.span.end);
}

/** Add devices to the flowtable's `devices = { … }` (or add the line). */
export function addFlowtableDevices(text: string | undefined, ft: FlowtableModel, names: string[]): Fix | undefined {
  if (!text || !names.length) return undefined;
  const body = flowtableBody(text, ft);
  if (!body) return undefined;
  const inner = text.slice(body.open, body.close);
  const quoted = names.map((n) => `"${n}"`);
  const m = /devices\s*=\s*\{/.exec(inner);
  const title = `Add ${names.map((n) => `\`${n}\``).join(', ')} to flowtable ${ft.name}'s devices`;
  if (m) {
    const devOpen = body.open + m.index + m[0].length - 1;
    const list = closingBrace(text, devOpen);
    if (!list) return undefined;
    let at = list.close;
    while (at > list.open + 1 && /\s/.test(text[at - 1])) at--;
    const empty = text.slice(list.open + 1, at).trim() === '';
    return { title, safety: 'safe', edits: [{ file: ft.decl.file, span: { start: at, end: at }, newText: `${empty ? ' ' : ', '}${quoted.join(', ')}` }] };
  }
  const { indent } = lineStart(text, body.close);
  return { title, safety: 'safe', edits: [{ file: ft.decl.file, span: { start: body.close, end: body.close }, newText: `${indent}\tdevices = { ${quoted.join(', ')} }\n${indent}` }] };
}

/** Add `counter` to a flowtable so conntrack accounting keeps counting offloaded packets (offload.md H01). */
export function addFlowtableCounter(text: string | undefined, ft: FlowtableModel): Fix | undefined {
  if (!text) return undefined;
  const body = flowtableBody(text, ft);
  if (!body) return undefined;
  let at = body.close;
  while (at > body.open + 1 && /[ \t]/.test(text[at - 1])) at--;
  const { indent } = lineStart(text, body.close);
  const before = text.slice(body.open + 1, at);
  const sep = before.includes('\n') ? '' : '\n';
  // Keep the closing brace's own indentation: insert a line right before it.
  return { title: `Add \`counter\` to flowtable ${ft.name}`, safety: 'safe', edits: [{ file: ft.decl.file, span: { start: at, end: at }, newText: `${sep}${indent}\tcounter\n` }] };
}

/** `meta l4proto { tcp, udp } flow add @ft`: only the protocols the kernel offloads reach `flow add`. */
export function limitFlowAddToTcpUdp(flowStmt: Span, file: string, safe: boolean): Fix {
  return { title: 'Limit `flow add` to TCP and UDP (`meta l4proto { tcp, udp }`)', safety: safe ? 'safe' : 'unsafe', edits: [{ file, span: { start: flowStmt.start, end: flowStmt.start }, newText: 'meta l4proto { tcp, udp } ' }] };
}

/** Insert a flowtable before the chain and a `flow add` as the chain's first rule. */
export function addFlowtableAndFlowAdd(text: string | undefined, chain: ChainModel, chainStart: number | undefined, devices: string[], ftName = 'ft'): Fix | undefined {
  if (!text || chainStart === undefined || !chain.rules.length || chain.rules[0].file !== chain.decl.file) return undefined;
  const { indent: chainIndent } = lineStart(text, chainStart);
  const first = chain.rules[0];
  const { indent: ruleIndent } = lineStart(text, first.rule.span.start);
  const devs = devices.length ? `${chainIndent}\tdevices = { ${devices.map((d) => `"${d}"`).join(', ')} }\n` : '';
  const ft = `flowtable ${ftName} {\n${chainIndent}\thook ingress priority filter\n${devs}${chainIndent}\tcounter\n${chainIndent}}\n\n${chainIndent}`;
  return {
    title: `Add flowtable ${ftName} and \`meta l4proto { tcp, udp } flow add @${ftName}\` to ${chain.name}`,
    safety: 'unsafe',
    edits: [
      { file: chain.decl.file, span: { start: chainStart, end: chainStart }, newText: ft },
      { file: first.file, span: { start: first.rule.span.start, end: first.rule.span.start }, newText: `meta l4proto { tcp, udp } flow add @${ftName}\n${ruleIndent}` },
    ],
  };
}

/** Add a `flow add` rule for an existing flowtable as the first rule of a forward chain. */
export function addFlowAddRule(text: string | undefined, chain: ChainModel, ftName: string): Fix | undefined {
  if (!text || !chain.rules.length) return undefined;
  const first = chain.rules[0];
  const { indent } = lineStart(text, first.rule.span.start);
  return { title: `Add \`meta l4proto { tcp, udp } flow add @${ftName}\` at the top of ${chain.name}`, safety: 'unsafe', edits: [{ file: first.file, span: { start: first.rule.span.start, end: first.rule.span.start }, newText: `meta l4proto { tcp, udp } flow add @${ftName}\n${indent}` }] };
}

/**
 * `ip protocol { tcp, udp }` (or `ip6 nexthdr …`) guarding a `flow add` in an inet table → `meta l4proto`,
 * which tests the transport protocol of both IP families. Unsafe: the other family is offloaded too.
 */
export function l4protoForBothFamilies(text: string | undefined, file: string, match: Span): Fix | undefined {
  if (!text) return undefined;
  const m = /^(ip\s+protocol|ip6\s+nexthdr)\b/.exec(text.slice(match.start, match.end));
  if (!m) return undefined;
  return {
    title: `Replace \`${m[1]}\` with \`meta l4proto\`, which both IP families match`,
    safety: 'unsafe',
    edits: [{ file, span: { start: match.start, end: match.start + m[0].length }, newText: 'meta l4proto' }],
  };
}

/** Remove a match (the guard that excludes eligible packets) from a rule. */
export function removeMatch(text: string | undefined, file: string, match: Span): Fix | undefined {
  if (!text) return undefined;
  let end = match.end;
  while (end < text.length && text[end] === ' ') end++;
  return { title: `Remove \`${text.slice(match.start, match.end)}\` from the \`flow add\` rule`, safety: 'unsafe', edits: [{ file, span: { start: match.start, end }, newText: '' }] };
}

/** Split `G flow add @ft V` into `G flow add @ft` and `G V`, so the verdict runs for every packet (offload.md S10). */
export function splitFlowAddVerdict(text: string | undefined, rule: RuleRef, flowStmtEnd: number): Fix | undefined {
  if (!text) return undefined;
  const flowStart = text.lastIndexOf('flow', flowStmtEnd);
  if (flowStart < rule.span.start) return undefined;
  const guard = text.slice(rule.span.start, flowStart).trim();
  const flowPart = text.slice(flowStart, flowStmtEnd).trim();
  const rest = text.slice(flowStmtEnd, rule.span.end).trim();
  if (!rest) return undefined;
  const { indent } = lineStart(text, rule.span.start);
  return {
    title: `Split into \`${[guard, flowPart].filter(Boolean).join(' ')}\` and \`${[guard, rest].filter(Boolean).join(' ')}\``,
    safety: 'unsafe',
    edits: [{ file: rule.file, span: rule.span, newText: `${[guard, flowPart].filter(Boolean).join(' ')}\n${indent}${[guard, rest].filter(Boolean).join(' ')}` }],
  };
}

/** The conntrack mark bit the "keep on the slow path" fix uses (other bits are left alone). */
export const SLOW_PATH_MARK = '0x40000000';

/**
 * Keep a flow class on the slow path on purpose, so a counter, log or mark on it keeps working:
 * the class's first packet sets a conntrack mark bit, and `flow add` skips connections that
 * carry it. A conntrack mark is per connection, so this also holds for the reply direction,
 * whose packets would otherwise offload the whole flow when they reach `flow add`.
 */
export function excludeFromOffload(text: string | undefined, rule: RuleRef, matches: Span[], flowAdd: RuleRef): Fix | undefined {
  if (!text || !matches.length || rule.file !== flowAdd.file || rule.chain !== flowAdd.chain) return undefined;
  const classText = text.slice(matches[0].start, matches[matches.length - 1].end).trim();
  const { indent } = lineStart(text, flowAdd.span.start);
  return {
    title: `Keep \`${classText}\` on the slow path on purpose (conntrack mark bit ${SLOW_PATH_MARK}), so this rule keeps seeing its packets`,
    safety: 'unsafe',
    edits: [
      {
        file: flowAdd.file,
        span: { start: flowAdd.span.start, end: flowAdd.span.start },
        newText: `${classText} ct mark set ct mark | ${SLOW_PATH_MARK}\n${indent}ct mark & ${SLOW_PATH_MARK} == 0 `,
      },
    ],
  };
}
