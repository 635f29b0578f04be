import { docsUrl, LineIndex, type LineRange, type Severity } from '../core';
import type { ReportFile } from './render-text';

/**
 * `--json` output. A contract with CI users: the fields below are fixed; new fields may only be
 * added as optional ones. Positions are 0-based LSP positions (line, UTF-16 character).
 */
export interface JsonReport {
  files: JsonFile[];
}

export interface JsonFile {
  path: string;
  diagnostics: JsonDiagnostic[];
}

export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: LineRange;
  /** Optional extras. `source`: `nftables-offload`, or `nft` for NFT codes. */
  source?: string;
  codeDescription?: { href: string };
  related?: { path: string; range?: LineRange; message: string }[];
  fixes?: { title: string; safety: string }[];
}

export function buildJsonReport(files: ReportFile[], nameOf: (path: string) => string): JsonReport {
  const indexes = new Map<string, LineIndex>(files.map((f) => [f.name, new LineIndex(f.text)]));
  return {
    files: files.map((file) => {
      const ix = indexes.get(file.name)!;
      return {
        path: file.name,
        diagnostics: file.findings.map((f) => {
          const d: JsonDiagnostic = {
            code: f.code,
            severity: f.severity,
            message: f.message,
            range: ix.rangeOf(f.span),
            source: f.code.startsWith('NFT') ? 'nft' : 'nftables-offload',
            codeDescription: { href: docsUrl(f.code) },
          };
          if (f.related?.length) {
            d.related = f.related.map((r) => {
              const path = r.location.file ? nameOf(r.location.file) : file.name;
              const rix = indexes.get(path);
              return { path, ...(rix ? { range: rix.rangeOf(r.location.span) } : {}), message: r.message };
            });
          }
          if (f.fixes?.length) d.fixes = f.fixes.map((x) => ({ title: x.title, safety: x.safety }));
          return d;
        }),
      };
    }),
  };
}
