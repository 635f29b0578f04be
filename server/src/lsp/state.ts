import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/finding';
import type { Span } from '../core/span';
import { analyzeFile, type AnalysisResult } from '../analysis';
import { NO_INCLUDES, type IncludeResolver, type Loc, type SemanticModel } from '../semantics';
import { createFsIncludeResolver } from '../workspace/include-resolver';
import { DocumentSnapshot } from '../ide/document';
import { EditLog, OffsetMap } from '../ide/edit-log';
import { reparseChange } from '../ide/incremental-syntax';
import { refusalReason } from '../ide/limits';
import { includeLinks, type IncludeFs, type IncludeLink } from '../ide/includes';
import { DEFAULT_SETTINGS, MAX_ANALYSED_CHARS, SYNC_ANALYSIS_CHARS, SYNC_ANALYSIS_MS, type ServerSettings } from './protocol';
import { LSP_RULES } from './codes';
import { nodeIncludeFs, pathToUri, uriToPath } from './paths';
import { appendAll } from '../core/arrays';

/** One full analysis (parse → semantics → offload) of an entry document and its includes. */
export interface Analysis {
  uri: string;
  path: string;
  version: number;
  result: AnalysisResult;
  model?: SemanticModel;
  /** Every file read, with the text read (and the document version, for open documents). */
  deps: Map<string, { text: string; version?: number; mtimeMs?: number }>;
  /** How long it took (decides whether requests may re-run it synchronously). */
  ms: number;
}

interface Entry {
  uri: string;
  path: string;
  snap: DocumentSnapshot;
  /** Edits since open, so results of older versions can be shown on the current text. */
  log: EditLog;
  /** Why the document is not analysed (too large, binary), if it is not. */
  refused?: string;
}

/** Model locations turned into current text positions, for requests answered from a possibly older analysis. */
export interface ModelView {
  analysis: Analysis;
  model: SemanticModel;
  current: boolean;
  /** A model location in the current text of its file; undefined when that text was edited since. */
  span(loc: Loc): Span | undefined;
  /** A current offset in `path` → the model's offset there. */
  back(path: string, offset: number): number | undefined;
  /** A file's text as the model read it. */
  textOf(path: string): string | undefined;
}

/** `wait`: always current; `cheap`: current when cheap, else the last; `last`: the last one (a first one only when cheap). */
export type AnalysisMode = 'wait' | 'cheap' | 'last';

const isSyntax = (f: Finding) => f.code.startsWith('SYN');

/** Semantic codes nft reports while parsing (mirrors semantics/build-model.ts PARSE_TIME_CODES). */
const PARSE_TIME_CODES = new Set(['SEM000', 'SEM001', 'SEM002', 'SEM003', 'SEM025', 'SEM026', 'SEM027']);

/**
 * Server state: open documents (by URI) with their snapshots and edit logs, the last
 * full analysis of each entry document, and files read from disk. A full analysis is
 * reused while its inputs (every file it read) are unchanged; requests that must be
 * fast (diagnostics of large files, hover, completion, lenses) use the last analysis
 * mapped through the edits made since, and the caller schedules a fresh one.
 */
export class ServerState {
  settings: ServerSettings = DEFAULT_SETTINGS;
  readonly docs = new Map<string, TextDocument>();
  private readonly entries = new Map<string, Entry>();
  private readonly byPath = new Map<string, string>();
  private readonly analyses = new Map<string, Analysis>();
  private readonly diskCache = new Map<string, { mtime: number; snap: DocumentSnapshot }>();
  /** NFT findings of the last `nft -c` per entry, with the texts checked. */
  readonly nft = new Map<string, { findings: Finding[]; texts: Map<string, string> }>();
  fs: IncludeFs = nodeIncludeFs;
  /** Called after each full analysis (publishing included files' findings). */
  onAnalysed?: (a: Analysis) => void;
  maxChars = MAX_ANALYSED_CHARS;

  open(uri: string, languageId: string, version: number, text: string): void {
    const doc = TextDocument.create(uri, languageId, version, text);
    this.docs.set(uri, doc);
    const path = uriToPath(uri);
    const refused = refusalReason(text, this.maxChars);
    this.entries.set(uri, { uri, path, snap: new DocumentSnapshot(path, version, text, undefined, undefined, !!refused), log: new EditLog(), refused });
    this.byPath.set(path, uri);
  }

  change(uri: string, version: number, changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]): void {
    let doc = this.docs.get(uri);
    const e = this.entries.get(uri);
    if (!doc || !e) return;
    let snap = e.snap;
    for (const c of changes) {
      const oldLen = doc.getText().length;
      const start = c.range ? doc.offsetAt(c.range.start) : 0;
      const end = c.range ? doc.offsetAt(c.range.end) : oldLen;
      doc = TextDocument.update(doc, [c as never], version);
      const text = doc.getText();
      e.log.push({ version, start, end, inserted: c.text.length });
      const refused = refusalReason(text, this.maxChars);
      e.refused = refused;
      // Syntax findings by re-parsing only the block that changed, when the previous version has them.
      const syntax = !refused && snap.hasSyntax && c.range ? reparseChange(snap.syntax, text, { start, end, inserted: c.text.length }) : undefined;
      snap = new DocumentSnapshot(e.path, version, text, undefined, syntax, !!refused);
    }
    this.docs.set(uri, doc);
    e.snap = snap;
  }

  close(uri: string): void {
    const e = this.entries.get(uri);
    this.docs.delete(uri);
    this.entries.delete(uri);
    this.analyses.delete(uri);
    this.nft.delete(uri);
    if (e && this.byPath.get(e.path) === uri) this.byPath.delete(e.path);
  }

  /** The snapshot of the current version of an open document. */
  snapshot(uri: string): DocumentSnapshot | undefined {
    return this.entries.get(uri)?.snap;
  }

  refusal(uri: string): string | undefined {
    return this.entries.get(uri)?.refused;
  }

  uriOfPath(path: string): string | undefined {
    return this.byPath.get(path);
  }

  /** A file's snapshot: the open document if there is one, else the disk copy (cached by mtime). */
  fileSnapshot(path: string): DocumentSnapshot | undefined {
    const uri = this.byPath.get(path) ?? pathToUri(path);
    const open = this.entries.get(uri);
    if (open) return open.snap;
    try {
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > this.maxChars) return undefined;
      const hit = this.diskCache.get(path);
      if (hit && hit.mtime === st.mtimeMs) return hit.snap;
      const text = fs.readFileSync(path, 'utf8');
      const snap = new DocumentSnapshot(path, -1, text);
      this.diskCache.set(path, { mtime: st.mtimeMs, snap });
      return snap;
    } catch {
      return undefined;
    }
  }

  includeLinks(snap: DocumentSnapshot): IncludeLink[] {
    if (!snap.file.startsWith('/') || snap.refused) return [];
    return includeLinks(snap.parse.ast, snap.file, this.settings.includePaths, this.fs);
  }

  /** Open documents whose last analysis read `path` (they include it, directly or not). */
  includers(path: string): string[] {
    const out: string[] = [];
    for (const a of this.analyses.values()) if (a.path !== path && a.deps.has(path)) out.push(a.path);
    return out;
  }

  // ------------------------------------------------------------------ analyses

  /** The document whose analysis covers `uri`: an open document that includes it, else itself. */
  owner(uri: string): string {
    const e = this.entries.get(uri);
    if (!e) return uri;
    let best: string | undefined;
    for (const a of this.analyses.values()) {
      if (a.uri === uri || !a.deps.has(e.path) || !this.entries.has(a.uri)) continue;
      if (!best || this.isCurrent(a)) best = a.uri;
    }
    return best ?? uri;
  }

  lastAnalysis(owner: string): Analysis | undefined {
    return this.analyses.get(owner);
  }

  /** True when nothing the analysis read has changed since. */
  isCurrent(a: Analysis): boolean {
    const e = this.entries.get(a.uri);
    if (!e || e.snap.version !== a.version) return false;
    for (const [path, dep] of a.deps) {
      const uri = this.byPath.get(path);
      const open = uri ? this.entries.get(uri) : undefined;
      if (open) {
        if (open.snap.text !== dep.text) return false;
      } else if (dep.mtimeMs === undefined) return false;
      else {
        try {
          if (fs.statSync(path).mtimeMs !== dep.mtimeMs) return false;
        } catch {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether re-running the analysis of `owner` now is cheap enough for any request. */
  cheap(owner: string): boolean {
    const e = this.entries.get(owner);
    if (!e) return false;
    if (e.refused) return true;
    // Small files always (a first, cold analysis may be slow only because nothing is compiled yet).
    if (e.snap.text.length <= SYNC_ANALYSIS_CHARS) return true;
    const a = this.analyses.get(owner);
    return a !== undefined && a.ms <= SYNC_ANALYSIS_MS;
  }

  /** Runs the full analysis of an open entry document now. */
  analyse(owner: string): Analysis | undefined {
    const e = this.entries.get(owner);
    if (!e) return undefined;
    const t0 = performance.now();
    const deps: Analysis['deps'] = new Map();
    deps.set(e.path, { text: e.snap.text, version: e.snap.version });
    let result: AnalysisResult;
    if (e.refused) {
      result = { files: new Map([[e.path, { path: e.path, text: e.snap.text, findings: [{ code: LSP_RULES.notAnalysed.code, severity: LSP_RULES.notAnalysed.severity, message: e.refused, file: e.path, span: { start: 0, end: 0 } }] }]]) };
    } else {
      result = analyzeFile(e.path, e.snap.text, { includePaths: this.settings.includePaths, resolver: this.resolver(e.path, deps) });
      // The pipeline parsed this very text at top level: features reuse its tree.
      if (result.parse) e.snap.adoptParse(result.parse);
    }
    const a: Analysis = { uri: owner, path: e.path, version: e.snap.version, result, model: result.model, deps, ms: performance.now() - t0 };
    this.analyses.set(owner, a);
    this.onAnalysed?.(a);
    return a;
  }

  /** Included files come from open buffers when open (unsaved edits count), else from disk. */
  private resolver(entryPath: string, deps: Analysis['deps']): IncludeResolver {
    if (!entryPath.startsWith('/')) return NO_INCLUDES; // untitled: no directory to resolve from
    const fsr = createFsIncludeResolver({
      includePaths: this.settings.includePaths,
      readFile: (p) => {
        const uri = this.byPath.get(p);
        const open = uri ? this.entries.get(uri) : undefined;
        if (open) {
          deps.set(p, { text: open.snap.text, version: open.snap.version });
          return open.snap.text;
        }
        const st = fs.statSync(p);
        if (st.size > this.maxChars) throw new Error(`file is larger than ${this.maxChars} bytes`);
        const text = fs.readFileSync(p, 'utf8');
        deps.set(p, { text, mtimeMs: st.mtimeMs });
        return text;
      },
    });
    return fsr;
  }

  /**
   * The analysis to answer with: the current one, else a fresh one when that is cheap
   * (or `wait`), else the last one (`current: false`: the caller schedules a new one).
   * `last` (hover, completion, lenses) re-runs nothing once some analysis exists.
   */
  analysisFor(uri: string, mode: AnalysisMode = 'cheap'): { owner: string; analysis?: Analysis; current: boolean } {
    const owner = this.owner(uri);
    const a = this.analyses.get(owner);
    if (a && this.isCurrent(a)) return { owner, analysis: a, current: true };
    if (mode === 'wait' || (this.cheap(owner) && (mode === 'cheap' || !a))) return { owner, analysis: this.analyse(owner), current: true };
    return { owner, analysis: a, current: false };
  }

  /** Maps positions of `a` in `path` onto the current text; undefined when not possible. */
  mapper(a: Analysis, path: string): OffsetMap | undefined {
    const dep = a.deps.get(path);
    const uri = this.byPath.get(path);
    const open = uri ? this.entries.get(uri) : undefined;
    if (!open) return new OffsetMap([]);
    if (!dep) return undefined;
    if (dep.text === open.snap.text) return new OffsetMap([]);
    if (dep.version === undefined) return undefined;
    return open.log.forward(dep.version);
  }

  /**
   * Findings for the current version of `uri`, overrides not applied: the analysis's
   * when current; otherwise this version's syntax findings plus the last analysis's
   * other findings moved through the edits since (those on edited text are dropped).
   */
  findings(uri: string): { version: number; findings: Finding[]; current: boolean; owner: string } | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    const { owner, analysis: a, current } = this.analysisFor(uri);
    const out: Finding[] = [];
    if (a && current) appendAll(out, a.result.files.get(e.path)?.findings ?? []);
    else {
      const fresh = owner === uri && !e.refused;
      if (fresh) for (const f of e.snap.syntaxFindings) out.push(f.file ? f : { ...f, file: e.path });
      const m = a ? this.mapper(a, e.path) : undefined;
      // As the analysis does (semantics build-model.ts dropFindingsAfterSyntaxErrors): after
      // the first syntax error, only findings nft reports while parsing are kept.
      let firstError = Infinity;
      if (fresh) for (const f of e.snap.syntaxFindings) if (f.severity === 'error') firstError = Math.min(firstError, f.span.start);
      if (a && m) {
        for (const f of a.result.files.get(e.path)?.findings ?? []) {
          if (fresh && isSyntax(f)) continue;
          if (f.code.startsWith('SEM') && !PARSE_TIME_CODES.has(f.code) && f.span.start >= firstError) continue;
          const span = m.span(f.span);
          if (span) out.push(span === f.span ? f : { ...f, span, fixes: undefined });
        }
      }
      out.sort((x, y) => x.span.start - y.span.start);
    }
    appendAll(out, this.nftFindings(owner, e.path));
    return { version: e.snap.version, findings: out, current, owner };
  }

  /** NFT findings for `path` from the last `nft -c` of `owner`, if it checked the current text. */
  nftFindings(owner: string, path: string): Finding[] {
    const r = this.nft.get(owner);
    if (!r) return [];
    const text = r.texts.get(path);
    const cur = this.fileText(path);
    if (text === undefined || cur !== text) return [];
    return r.findings.filter((f) => f.file === path);
  }

  /** Current text of a file: the open buffer, else the disk copy. */
  fileText(path: string): string | undefined {
    return this.fileSnapshot(path)?.text;
  }

  /** Texts of open documents by path (unsaved buffers), for `nft -c`. */
  openTexts(): Map<string, string> {
    const m = new Map<string, string>();
    for (const e of this.entries.values()) if (e.path.startsWith('/')) m.set(e.path, e.snap.text);
    return m;
  }

  /** Raw findings (no overrides) of the current version, for code actions; [] while the analysis is behind. */
  rawFindings(uri: string): Finding[] {
    const r = this.findings(uri);
    return r?.current ? r.findings : [];
  }

  /**
   * The semantic model for requests on `uri`. `wait` (definition, references, rename)
   * runs the analysis if it is behind; `last` uses the last model as it is.
   */
  modelView(uri: string, mode: AnalysisMode): ModelView | undefined {
    const { analysis: a, current } = this.analysisFor(uri, mode);
    if (!a?.model) return undefined;
    const model = a.model;
    const maps = new Map<string, OffsetMap | undefined>();
    const mapOf = (path: string) => {
      if (!maps.has(path)) maps.set(path, this.mapper(a, path));
      return maps.get(path);
    };
    return {
      analysis: a,
      model,
      current,
      span: (loc) => mapOf(loc.file)?.span(loc.span),
      back: (path, offset) => mapOf(path)?.back(offset),
      textOf: (path) => model.files.get(path)?.text,
    };
  }

  /** Every open entry's last analysis (workspace symbols). */
  allAnalyses(): Analysis[] {
    return [...this.analyses.values()];
  }

  /** Drop every analysis (settings that change results, such as include paths). */
  invalidate(): void {
    this.analyses.clear();
    this.nft.clear();
  }
}

