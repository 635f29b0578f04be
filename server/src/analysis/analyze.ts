import type { Finding } from '../core/finding';
import { parseRuleset, type ParseResult } from '../syntax/parse';
import { buildRulesetModel, type IncludeResolver, type SemanticModel } from '../semantics';
import { createFsIncludeResolver } from '../workspace/include-resolver';
import { findOffloadBlockers } from '../offload';
import { ANALYSIS_RULES } from './codes';

export interface AnalyzeOptions {
  /** `-I` directories for relative includes, searched before the default (`/etc`). */
  includePaths?: string[];
  /**
   * Reads included files. Default: the file system (workspace/include-resolver.ts) with
   * `includePaths`; the LSP may pass one that prefers unsaved editor buffers.
   */
  resolver?: IncludeResolver;
  /**
   * Keep each parse's token vector (the LSP needs it for semantic tokens and formatting).
   * The CLI passes false: on big rulesets the tokens are the largest thing in memory.
   */
  keepTokens?: boolean;
}

export interface AnalyzedFile {
  path: string;
  text: string;
  /** Every finding located in this file, sorted by position. `file` is always `path`. */
  findings: Finding[];
}

export interface AnalysisResult {
  /** The entry file first, then every included file that was read, each under its own path. */
  files: Map<string, AnalyzedFile>;
  /** The entry file's parse (its AST feeds LSP features such as symbols and folding). */
  parse?: ParseResult;
  /** The semantic model (absent only if building it crashed); `model.files` has every parse. */
  model?: SemanticModel;
}

/**
 * The whole pipeline for one entry file: parse → semantics → offload. Findings from included
 * files are reported under the included file's path. The CLI and the LSP both call this.
 * Invariant: never throws; a crash in one stage becomes one INT001 finding and the other
 * stages' findings are kept.
 */
export function analyzeFile(path: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const files = new Map<string, AnalyzedFile>();
  const fileOf = (p: string, t?: string): AnalyzedFile => {
    let f = files.get(p);
    if (!f) files.set(p, (f = { path: p, text: t ?? '', findings: [] }));
    else if (t !== undefined && f.text === '') f.text = t;
    return f;
  };
  fileOf(path, text);
  const add = (findings: Iterable<Finding>) => {
    for (const f of findings) {
      const file = f.file || path;
      fileOf(file).findings.push(file === f.file ? f : { ...f, file });
    }
  };
  const result: AnalysisResult = { files };

  guarded('semantic analysis', path, add, () => {
    const resolver = options.resolver ?? createFsIncludeResolver({ includePaths: options.includePaths });
    // buildRulesetModel parses the entry and every included file itself (model.files).
    const model = buildRulesetModel({ path, text }, resolver, { keepTokens: options.keepTokens });
    result.model = model;
    for (const f of model.files.values()) {
      fileOf(f.path, f.text);
      // Syntax findings say file '' (the parsed text): place them in the file they came from.
      add(f.parse.findings.map((x) => (x.file ? x : { ...x, file: f.path })));
    }
    result.parse = model.files.get(path)?.parse;
    add(model.findings);
  });
  if (!result.parse) {
    // Semantics crashed before parsing the entry: still report its syntax.
    guarded('parser', path, add, () => {
      result.parse = parseRuleset(text);
      add(result.parse.findings);
    });
  }

  const model = result.model;
  if (model) guarded('offload analysis', path, add, () => add(findOffloadBlockers(model)));

  for (const f of files.values()) f.findings = dedupe(f.findings).sort(byPosition);
  // buildRulesetModel dropped the tokens of the files it parsed; this is the fallback parse's.
  if (options.keepTokens === false && result.parse) result.parse.tokens = [];
  return result;
}

function guarded(stage: string, path: string, add: (f: Finding[]) => void, run: () => void): void {
  try {
    run();
  } catch (e) {
    const err = e as Error;
    const where = err?.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim() ?? '';
    add([{
      code: ANALYSIS_RULES.internalError.code,
      severity: ANALYSIS_RULES.internalError.severity,
      message: `internal error in the ${stage}: ${err?.message ?? String(e)}${where ? ` (${where})` : ''}; the other checks still ran`,
      file: path,
      span: { start: 0, end: 0 },
    }]);
  }
}

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/** Two entry files including the same file would report its findings twice. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}\0${f.span.start}\0${f.span.end}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
