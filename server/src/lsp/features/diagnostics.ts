import { DocumentDiagnosticReportKind, MessageType, ShowMessageNotification, type Connection, type Diagnostic, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { Finding } from '../../core/finding';
import type { LineIndex } from '../../core/line-index';
import { applyOverrides } from '../../ide/findings';
import { runNftCheck } from '../../nft';
import type { Analysis, ServerState } from '../state';
import { toDiagnostic } from '../convert';
import { guard } from '../guard';
import { LSP_RULES } from '../codes';
import { pathToUri } from '../paths';
import { ANALYSIS_DEBOUNCE_MS, DIAGNOSTICS_DEBOUNCE_MS, MAX_DIAGNOSTICS, NFT_CHECK_DEBOUNCE_MS } from '../protocol';

/**
 * A first analysis starts right after the first answer is on its way. Not 0: the JSON-RPC
 * writer sends the response from a later macrotask (setImmediate), and a 0 ms timer could
 * run the whole analysis before the response leaves.
 */
const FIRST_ANALYSIS_DELAY_MS = 50;

/** Findings → diagnostics for one file: overrides applied, at most MAX_DIAGNOSTICS (plus one LSP002 note). */
function convert(state: ServerState, findings: readonly Finding[], file: string, lines: LineIndex): Diagnostic[] {
  let shown = applyOverrides(findings, state.settings.severityOverrides);
  if (shown.length > MAX_DIAGNOSTICS) {
    const more = shown.length - MAX_DIAGNOSTICS;
    const last = shown[MAX_DIAGNOSTICS - 1].span;
    shown = shown.slice(0, MAX_DIAGNOSTICS);
    shown.push({ code: LSP_RULES.tooManyFindings.code, severity: LSP_RULES.tooManyFindings.severity, message: `${more} more findings are not shown; run \`nft-offload check\` for all of them.`, file, span: last });
  }
  const linesOf = (f: string) => state.fileSnapshot(f)?.lines;
  return shown.map((f) => toDiagnostic(f, lines, file, linesOf));
}

export function diagnosticsFor(state: ServerState, uri: string): { version: number; items: Diagnostic[]; current: boolean; owner: string } | undefined {
  const res = state.findings(uri);
  const snap = state.snapshot(uri);
  if (!res || !snap) return undefined;
  return { version: res.version, items: convert(state, res.findings, snap.file, snap.lines), current: res.current, owner: res.owner };
}

/**
 * Pull (`textDocument/diagnostic`) when the client supports it, else push
 * (`publishDiagnostics`, debounced per URI). A pushed result carries its version and is
 * dropped if the document changed meanwhile.
 *
 * Large files: a request never waits for a full analysis that is slower than
 * SYNC_ANALYSIS_MS. It answers with this version's syntax findings (incremental
 * re-parse) and the last analysis's other findings moved through the edits, and the
 * full analysis runs once the user pauses (ANALYSIS_DEBOUNCE_MS); then the client is
 * asked to pull again (`workspace/diagnostic/refresh`), or the result is pushed.
 *
 * Files read through `include` that are not open get their findings pushed under their
 * own URI (in both modes), and cleared when no analysis produces them any more.
 */
export class Diagnostics {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly analysisTimers = new Map<string, NodeJS.Timeout>();
  private readonly nftTimers = new Map<string, NodeJS.Timeout>();
  private readonly nftRuns = new Map<string, AbortController>();
  /** Included, not open files we pushed diagnostics for, by path. */
  private readonly included = new Set<string>();
  private nftNoted = false;
  push = true;

  constructor(
    private readonly connection: Connection,
    private readonly state: ServerState,
  ) {
    state.onAnalysed = (a) => this.publishIncluded(a);
  }

  register(): void {
    this.connection.languages.diagnostics.on(
      guard(this.connection, 'diagnostic', (params) => {
        const r = diagnosticsFor(this.state, params.textDocument.uri);
        if (r && !r.current) this.scheduleAnalysis(r.owner, this.state.lastAnalysis(r.owner) ? ANALYSIS_DEBOUNCE_MS : FIRST_ANALYSIS_DELAY_MS);
        return { kind: DocumentDiagnosticReportKind.Full, items: r?.items ?? [] } as DocumentDiagnosticReport;
      }) as (p: DocumentDiagnosticParams) => DocumentDiagnosticReport,
    );
  }

  /** A document was opened or edited. */
  changed(uri: string, opened: boolean): void {
    const owner = this.state.owner(uri);
    if (opened) this.publishIncluded();
    if (this.push) {
      this.schedule(uri, opened ? 0 : DIAGNOSTICS_DEBOUNCE_MS);
      if (owner !== uri) this.schedule(owner);
    }
    this.scheduleNft(owner);
  }

  schedule(uri: string, delay = DIAGNOSTICS_DEBOUNCE_MS): void {
    if (!this.push) return;
    this.later(this.timers, uri, delay, () => this.publish(uri));
  }

  private later(timers: Map<string, NodeJS.Timeout>, key: string, delay: number, run: () => void): void {
    const old = timers.get(key);
    if (old) clearTimeout(old);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        try {
          run();
        } catch (e) {
          this.connection.console.error(`background work for ${key} failed: ${(e as Error)?.stack ?? e}`);
        }
      }, delay),
    );
  }

  publish(uri: string): void {
    try {
      const doc = this.state.docs.get(uri);
      if (!doc) return;
      const r = diagnosticsFor(this.state, uri);
      // Stale check: never publish results for text that is no longer current.
      if (!r || this.state.docs.get(uri)?.version !== r.version) return;
      void this.connection.sendDiagnostics({ uri, version: r.version, diagnostics: r.items });
      if (!r.current) this.scheduleAnalysis(r.owner, this.state.lastAnalysis(r.owner) ? ANALYSIS_DEBOUNCE_MS : FIRST_ANALYSIS_DELAY_MS);
    } catch (e) {
      this.connection.console.error(`diagnostics failed for ${uri}: ${(e as Error)?.stack ?? e}`);
    }
  }

  /** The full analysis of `owner` once the user pauses; then fresh diagnostics everywhere it matters. */
  scheduleAnalysis(owner: string, delay = ANALYSIS_DEBOUNCE_MS): void {
    this.later(this.analysisTimers, owner, delay, () => {
      if (!this.state.docs.has(owner)) return;
      const last = this.state.lastAnalysis(owner);
      if (last && this.state.isCurrent(last)) return;
      this.state.analyse(owner);
      this.resultsChanged(owner);
    });
  }

  /** New results for `owner` (analysis or nft): push them, or ask the client to pull. */
  private resultsChanged(owner: string): void {
    if (this.push) {
      this.publish(owner);
      for (const uri of this.state.docs.keys()) if (uri !== owner && this.state.owner(uri) === owner) this.publish(uri);
    } else {
      this.refresh();
    }
  }

  private refresh(): void {
    // The client may not support refresh; then it pulls again on its own schedule.
    Promise.resolve(this.connection.sendRequest('workspace/diagnostic/refresh')).catch(() => undefined);
  }

  /** Pushes the findings of included files that are not open (the union over every analysis that read them). */
  publishIncluded(a?: Analysis): void {
    const paths = new Set<string>(this.included);
    for (const x of a ? [a] : this.state.allAnalyses()) for (const p of x.deps.keys()) if (p !== x.path) paths.add(p);
    for (const [owner, r] of this.state.nft) for (const f of r.findings) if (f.file && f.file !== this.state.snapshot(owner)?.file) paths.add(f.file);
    for (const path of paths) {
      if (this.state.uriOfPath(path)) {
        // Open now: its own (pulled or pushed) diagnostics cover it; withdraw what we pushed.
        if (this.included.delete(path) && !this.push) void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
        continue;
      }
      const findings: Finding[] = [];
      const seen = new Set<string>();
      const add = (f: Finding) => {
        const k = `${f.code}\0${f.span.start}\0${f.span.end}\0${f.message}`;
        if (!seen.has(k)) {
          seen.add(k);
          findings.push(f);
        }
      };
      for (const x of this.state.allAnalyses()) {
        if (x.path === path || !this.state.docs.has(x.uri)) continue;
        for (const f of x.result.files.get(path)?.findings ?? []) add(f);
        for (const f of this.state.nftFindings(x.uri, path)) add(f);
      }
      const snap = this.state.fileSnapshot(path);
      if (!snap && !this.included.has(path)) continue;
      if (findings.length) this.included.add(path);
      else if (!this.included.has(path)) continue;
      else this.included.delete(path);
      void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: snap ? convert(this.state, findings, path, snap.lines) : [] });
    }
  }

  closed(uri: string): void {
    for (const timers of [this.timers, this.analysisTimers, this.nftTimers]) {
      const t = timers.get(uri);
      if (t) clearTimeout(t);
      timers.delete(uri);
    }
    this.nftRuns.get(uri)?.abort();
    if (this.push) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.publishIncluded();
  }

  /** Settings changed: everything open is re-checked. */
  refreshAll(): void {
    this.state.invalidate();
    for (const uri of this.state.docs.keys()) this.scheduleNft(uri);
    this.publishIncluded();
    if (this.push) for (const uri of this.state.docs.keys()) this.schedule(uri, 0);
    else this.refresh();
  }

  // ------------------------------------------------------------------ nft -c

  /** `nft -c` on the entry document with unsaved buffers, once edits pause (setting runNftCheck). */
  scheduleNft(owner: string): void {
    if (!this.state.settings.runNftCheck || !this.state.docs.has(owner)) return;
    this.later(this.nftTimers, owner, NFT_CHECK_DEBOUNCE_MS, () => void this.runNft(owner));
  }

  private async runNft(owner: string): Promise<void> {
    const snap = this.state.snapshot(owner);
    if (!snap || this.state.refusal(owner)) return;
    this.nftRuns.get(owner)?.abort();
    const ac = new AbortController();
    this.nftRuns.set(owner, ac);
    const knownTexts = this.state.openTexts();
    const s = this.state.settings;
    const r = await runNftCheck({ path: snap.file.startsWith('/') ? snap.file : '', text: snap.text }, { nftPath: s.nftPath, includeDirs: s.includePaths, knownTexts, signal: ac.signal });
    if (this.nftRuns.get(owner) === ac) this.nftRuns.delete(owner);
    // Drop results for text that changed meanwhile; the edit scheduled a new check.
    if (ac.signal.aborted || this.state.snapshot(owner)?.version !== snap.version || !this.state.settings.runNftCheck) return;
    if (r.status === 'unavailable' && r.note) {
      if (!this.nftNoted) {
        this.nftNoted = true;
        void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `nftables-offload: ${r.note}` });
      }
    }
    const texts = new Map(knownTexts);
    texts.set(snap.file, snap.text);
    const findings = r.findings.map((f) => (f.file ? f : { ...f, file: snap.file }));
    for (const f of findings) if (!texts.has(f.file)) texts.set(f.file, this.state.fileText(f.file) ?? '');
    this.state.nft.set(owner, { findings, texts });
    this.resultsChanged(owner);
    this.publishIncluded();
  }
}
