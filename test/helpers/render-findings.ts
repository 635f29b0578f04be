import { LineIndex } from '../../server/src/core/line-index';
import type { Finding } from '../../server/src/core/finding';

/** `L:C-L:C CODE severity: message`, 1-based, one line per finding (the fixture format). */
export function renderFindings(text: string, findings: readonly Finding[]): string {
  const li = new LineIndex(text);
  return findings
    .map((f) => {
      const r = li.rangeOf(f.span);
      return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${f.code} ${f.severity}: ${f.message}`;
    })
    .join('\n') + (findings.length ? '\n' : '');
}
