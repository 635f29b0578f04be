/**
 * `nft-offload explain FILE --flow "family=ip l4proto=tcp iif=lan0 oif=wan0 …" [--json]`
 * `nft-offload explain FILE --flows SPECS [--json]` (one flow spec per line; `#` comments)
 *
 * Walks the flow's packets through the ruleset and prints the path rule by rule, then
 * the verdict (fast / slow / dropped) and the reasons. `--json` prints
 * {"verdict","hardware","flowtable","reasons":[{code,message,range}],"trace":[…]}
 * (an array of those, each with "flow", for --flows). Ranges are 0-based LSP positions.
 * Exit status: 0 explained, 1 the file has syntax errors (still explained), 2 usage or I/O problem.
 */
import { readFileSync } from 'node:fs';
import { LineIndex, type Finding } from '../core';
import { analyzeFile } from '../analysis';
import { buildRulesetModel, NO_INCLUDES } from '../semantics';
import { formatFlowSpec, parseFlowSpec, predictFlow, type FlowPrediction, type FlowSpec, type TraceStep } from '../offload';

export interface ExplainIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const EXPLAIN_USAGE =
  'usage: nft-offload explain FILE --flow "family=ip l4proto=tcp iif=lan0 oif=wan0 saddr=… daddr=… sport=… dport=…" [--json]\n' +
  '       nft-offload explain FILE --flows SPECS [--json]   (one flow spec per line)\n' +
  '  flow keys: family (ip|ip6) l4proto iif oif saddr daddr sport dport mark helper ipsec=yes udp=reply|stream\n';

export async function runExplainCommand(argv: string[], io: ExplainIo): Promise<number> {
  const args = argv[0] === 'explain' ? argv.slice(1) : argv;
  let file: string | undefined;
  let flowText: string | undefined;
  let flowsFile: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--flow' || a.startsWith('--flow=')) flowText = a.includes('=') && a.startsWith('--flow=') ? a.slice(7) : args[++i];
    else if (a === '--flows' || a.startsWith('--flows=')) flowsFile = a.startsWith('--flows=') ? a.slice(8) : args[++i];
    else if (a.startsWith('-') && a !== '-') return usage(io, `unknown option ${a}`);
    else if (file === undefined) file = a;
    else return usage(io, `unexpected argument ${a}`);
  }
  if (!file) return usage(io, 'explain needs a FILE');
  if ((flowText === undefined) === (flowsFile === undefined)) return usage(io, 'give exactly one of --flow SPEC or --flows FILE');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`nft-offload explain: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const specs: { line?: number; text: string }[] = [];
  if (flowText !== undefined) specs.push({ text: flowText });
  else {
    try {
      readFileSync(flowsFile!, 'utf8').split(/\r?\n/).forEach((l, i) => {
        const t = l.replace(/#.*/, '').trim();
        if (t) specs.push({ line: i + 1, text: t });
      });
    } catch (e) {
      io.stderr(`nft-offload explain: cannot read ${flowsFile}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const flows: FlowSpec[] = [];
  let bad = false;
  for (const s of specs) {
    const r = parseFlowSpec(s.text);
    if (r.ok) flows.push(r.flow);
    else {
      bad = true;
      for (const e of r.errors) io.stderr(`nft-offload explain: ${s.line ? `${flowsFile}:${s.line}: ` : ''}--flow: ${e}\n`);
    }
  }
  if (bad) return 2;

  const analysis = analyzeFile(file, text);
  const parse = analysis.parse;
  // NOTE: the analysis pipeline will hand us its model (with includes resolved) once it builds one;
  // until then build it here without following includes.
  const model = analysis.model ?? buildRulesetModel({ path: file, text }, NO_INCLUDES);
  const syntaxErrors = (parse?.findings ?? []).filter((f) => f.severity === 'error');
  const lines = new LineIndex(text);
  const results = flows.map((f) => ({ flow: f, p: predictFlow(model, f) }));
  if (json) {
    const one = (r: { flow: FlowSpec; p: FlowPrediction }) => predictionJson(r.p, lines, file!);
    io.stdout(JSON.stringify(flowsFile ? results.map((r) => ({ flow: formatFlowSpec(r.flow), ...one(r) })) : one(results[0]), null, 2) + '\n');
  } else {
    for (const f of syntaxErrors.slice(0, 5)) io.stderr(`${file}:${pos(lines, f)}: ${f.code} ${f.message}\n`);
    io.stdout(results.map((r) => renderText(r.flow, r.p, lines, file!)).join('\n'));
  }
  return syntaxErrors.length ? 1 : 0;
}

function usage(io: ExplainIo, msg: string): number {
  io.stderr(`nft-offload explain: ${msg}\n${EXPLAIN_USAGE}`);
  return 2;
}

const pos = (lines: LineIndex, f: { span: { start: number } }) => {
  const p = lines.positionAt(f.span.start);
  return `${p.line + 1}:${p.character + 1}`;
};

/** The JSON contract: see the file header. Reasons in other files keep their `file`. */
export function predictionJson(p: FlowPrediction, lines: LineIndex, file: string) {
  const range = (x: { file?: string; span?: { start: number; end: number } }) => (x.span && (!x.file || x.file === file) ? lines.rangeOf(x.span) : null);
  return {
    verdict: p.verdict,
    hardware: p.hardware,
    flowtable: p.flowtable,
    reasons: p.reasons.map((r: Finding) => ({ code: r.code, message: r.message, range: range(r), ...(r.related?.length ? { related: r.related.map((x) => ({ message: x.message, range: range(x.location) })) } : {}) })),
    trace: p.trace.map((s: TraceStep) => ({
      packet: s.packet + 1,
      packetLabel: s.packetLabel,
      kind: s.kind,
      ...(s.hook ? { hook: s.hook } : {}),
      ...(s.chain ? { chain: s.chain } : {}),
      ...(s.priority !== undefined ? { priority: s.priority } : {}),
      ...(s.text ? { rule: s.text } : {}),
      result: s.result,
      range: range(s),
    })),
    certain: p.certain,
  };
}

function renderText(flow: FlowSpec, p: FlowPrediction, lines: LineIndex, file: string): string {
  const out: string[] = [`flow ${formatFlowSpec(flow)}`];
  let lastPacket = -1;
  for (const s of p.trace) {
    if (s.packet !== lastPacket) {
      out.push(`  packet ${s.packet + 1}: ${s.packetLabel}`);
      lastPacket = s.packet;
    }
    const where = s.span ? `${file}:${pos(lines, s as { span: { start: number } })}` : '';
    if (s.kind === 'chain') out.push(`    ${s.hook} ${s.chain}: ${s.result}`);
    else out.push(`      ${where ? `${where}  ` : ''}${s.text ? `${s.text}  ` : ''}→ ${s.result}`);
  }
  out.push(`verdict: ${p.verdict}${p.verdict === 'fast' ? (p.hardware ? ' (hardware offload requested)' : ' (software fast path)') : ''}${p.flowtable ? ` via flowtable ${p.flowtable}` : ''}${p.certain ? '' : ' (depends on open facts, see below)'}`);
  for (const r of p.reasons) {
    out.push(`  ${r.span && (!r.file || r.file === file) ? `${file}:${pos(lines, r)} ` : ''}${r.code} ${r.message}`);
    for (const rel of r.related ?? []) out.push(`      ${rel.location.file || file}:${pos(lines, rel.location)}: ${rel.message}`);
  }
  return out.join('\n') + '\n';
}
