import { DocumentDiagnosticReportKind, type Connection, type Diagnostic, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver';
import { LineIndex } from '../../core/line-index';
import type { ServerState } from '../state';
import { toDiagnostic } from '../convert';
import { guard } from '../guard';
import { DIAGNOSTICS_DEBOUNCE_MS } from '../protocol';

export function diagnosticsFor(state: ServerState, uri: string): { version: number; items: Diagnostic[] } | undefined {
  const res = state.findings(uri);
  const snap = state.snapshot(uri);
  if (!res || !snap) return undefined;
  const linesOf = (file: string) => {
    const s = state.fileSnapshot(file);
    return s ? new LineIndex(s.text) : undefined;
  };
  return { version: res.version, items: res.findings.map((f) => toDiagnostic(f, snap.lines, snap.file, linesOf)) };
}

/**
 * Pull (`textDocument/diagnostic`) when the client supports it, else push
 * (`publishDiagnostics`, debounced per URI). A pushed result carries its version and is
 * dropped if the document changed meanwhile.
 */
export class Diagnostics {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  push = true;

  constructor(
    private readonly connection: Connection,
    private readonly state: ServerState,
  ) {}

  register(): void {
    this.connection.languages.diagnostics.on(
      guard(this.connection, 'diagnostic', (params) => {
        const r = diagnosticsFor(this.state, params.textDocument.uri);
        return { kind: DocumentDiagnosticReportKind.Full, items: r?.items ?? [] } as DocumentDiagnosticReport;
      }) as (p: DocumentDiagnosticParams) => DocumentDiagnosticReport,
    );
  }

  schedule(uri: string, delay = DIAGNOSTICS_DEBOUNCE_MS): void {
    if (!this.push) return;
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
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
    } catch (e) {
      this.connection.console.error(`diagnostics failed for ${uri}: ${(e as Error)?.stack ?? e}`);
    }
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    if (this.push) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Settings changed: everything open is re-checked. */
  refreshAll(): void {
    if (this.push) for (const uri of this.state.docs.keys()) this.schedule(uri, 0);
    else this.connection.languages.diagnostics.refresh();
  }
}
