import { LineIndex, type Finding, type Severity } from '../core';

/** A file as the report shows it: the name to print and the text positions refer to. */
export interface ReportFile {
  /** Printed name (as the user typed it, or relative to the working directory). */
  name: string;
  text: string;
  findings: Finding[];
}

export interface TextStyle {
  color: boolean;
}

const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };
const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '32' };

/**
 * Compiler-style report, one block per finding:
 *
 *   home-router.nft:21:5: warning OFF007: `flow add @ft` is never reached by established packets
 *      21 |     ct state established,related flow add @ft
 *         |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 *     note: home-router.nft:20:5: accepted here first
 *     help: Move `flow add @ft` above the accept
 *
 * Columns are 1-based characters. Tabs are kept in the marker line so it lines up.
 */
export function renderFindingsText(files: ReportFile[], style: TextStyle, nameOf: (path: string) => string): string {
  const paint = (code: string, s: string) => (style.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const indexes = new Map<string, LineIndex>();
  const textOf = new Map(files.map((f) => [f.name, f.text]));
  const indexFor = (name: string, text: string) => {
    let ix = indexes.get(name);
    if (!ix) indexes.set(name, (ix = new LineIndex(text)));
    return ix;
  };
  let out = '';
  for (const file of files) {
    const ix = indexFor(file.name, file.text);
    for (const f of file.findings) {
      const start = ix.positionAt(f.span.start);
      const end = ix.positionAt(f.span.end);
      const sev = f.severity;
      out += `${paint('1', `${file.name}:${start.line + 1}:${start.character + 1}:`)} ${paint(`1;${SEVERITY_COLOR[sev]}`, SEVERITY_WORD[sev])} ${paint('1', f.code)}: ${f.message}\n`;
      if (file.text.length > 0) {
        const line = ix.lineText(start.line);
        const toChar = end.line === start.line ? end.character : line.length;
        const width = Math.max(1, Math.min(toChar, Math.max(line.length, start.character + 1)) - start.character);
        const gutter = String(start.line + 1);
        const pad = ' '.repeat(gutter.length);
        const lead = line.slice(0, start.character).replace(/[^\t]/g, ' ');
        out += `${paint('34', ` ${gutter} |`)} ${line}\n`;
        out += `${paint('34', ` ${pad} |`)} ${lead}${paint(`1;${SEVERITY_COLOR[sev]}`, '^'.repeat(width))}\n`;
      }
      for (const r of f.related ?? []) {
        const rName = r.location.file ? nameOf(r.location.file) : file.name;
        const rText = textOf.get(rName);
        const where = rText !== undefined ? indexFor(rName, rText).positionAt(r.location.span.start) : undefined;
        out += `  ${paint('1;36', 'note')}: ${rName}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${r.message}\n`;
      }
      for (const fix of f.fixes ?? []) out += `  ${paint('1;32', 'help')}: ${fix.title}${fix.safety === 'safe' ? '' : ` (${fix.safety} fix)`}\n`;
    }
  }
  return out;
}

/** `2 errors, 1 warning in 3 files`; info and hint counts only when there are any. */
export function renderSummary(files: ReportFile[]): string {
  const n: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of files) for (const x of f.findings) n[x.severity]++;
  const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const parts = [plural(n.error, 'error'), plural(n.warning, 'warning')];
  if (n.information) parts.push(plural(n.information, 'info', 'infos'));
  if (n.hint) parts.push(plural(n.hint, 'hint'));
  return `${parts.join(', ')} in ${plural(files.length, 'file')}\n`;
}
