import {
  DiagnosticSeverity,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver';
import type { Finding, Severity } from '../core/finding';
import { docsUrl } from '../core/catalogue';
import type { LineIndex } from '../core/line-index';
import type { Span } from '../core/span';
import { pathToUri } from './paths';

/** Plain data → LSP types. The only place ide/core data is turned into protocol shapes. */

export function toRange(lines: LineIndex, span: Span): Range {
  return lines.rangeOf(span);
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'nftables-offload';

/** `linesOf` gives the line index of another file (related locations), if it can be read. */
export function toDiagnostic(f: Finding, lines: LineIndex, file: string, linesOf: (file: string) => LineIndex | undefined): Diagnostic {
  const d: Diagnostic = {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Error,
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.related?.length) {
    d.relatedInformation = [];
    for (const r of f.related) {
      const rf = r.location.file || file;
      const li = rf === file ? lines : linesOf(rf);
      if (!li) continue;
      d.relatedInformation.push({ location: { uri: pathToUri(rf), range: toRange(li, r.location.span) }, message: r.message });
    }
  }
  return d;
}
