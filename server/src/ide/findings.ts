import type { Finding, Severity } from '../core/finding';

export type SeverityOverride = Severity | 'off';

/**
 * Applies per-code severity overrides from the settings ("off" hides the finding).
 * Codes match exactly; a family prefix such as `OFF` also matches every `OFFnnn`.
 */
export function applyOverrides(findings: readonly Finding[], overrides: Readonly<Record<string, string>> | undefined): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return [...findings];
  const out: Finding[] = [];
  for (const f of findings) {
    const o = overrides[f.code] ?? overrides[f.code.replace(/\d+$/, '')];
    if (o === 'off') continue;
    if (o === 'error' || o === 'warning' || o === 'information' || o === 'hint') out.push({ ...f, severity: o });
    else out.push(f);
  }
  return out;
}
