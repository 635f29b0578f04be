import type { Finding, FixSafety, TextEdit } from '../core/finding';
import type { Span } from '../core/span';
import type * as A from '../syntax/ast';
import type { LineIndex } from '../core/line-index';
import type { UnresolvedRef } from './symbols';
import { walk, type AnyNode } from './walk';

/** Code actions as plain data: quick-fixes from findings, and "add missing declaration". */
export interface ActionData {
  title: string;
  kind: 'quickfix';
  safety: FixSafety;
  preferred: boolean;
  edits: TextEdit[];
  /** The finding this action fixes, if any. */
  finding?: Finding;
}

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

export function fixActions(findings: readonly Finding[], range: Span, file: string): ActionData[] {
  const out: ActionData[] = [];
  for (const f of findings) {
    if (!f.fixes?.length || !overlaps(f.span, range)) continue;
    for (const fix of f.fixes) {
      if (fix.safety === 'display-only') continue;
      out.push({
        title: fix.title,
        kind: 'quickfix',
        safety: fix.safety,
        preferred: fix.safety === 'safe' && f.fixes.length === 1,
        edits: fix.edits.map((e) => ({ ...e, file: e.file || file })),
        finding: f,
      });
    }
  }
  return out;
}

function enclosingTable(ast: A.Ruleset, offset: number): A.TableDecl | undefined {
  let found: A.TableDecl | undefined;
  walk(ast as unknown as AnyNode, (n) => {
    if (n.span.start > offset || n.span.end < offset) return false;
    if (n.kind === 'Table' && (n as unknown as A.TableDecl).body) found = n as unknown as A.TableDecl;
  });
  return found;
}

/** "Add missing declaration" for undefined sets, maps, chains and defines referenced in `range`. */
export function missingDeclarationActions(file: string, text: string, ast: A.Ruleset, lines: LineIndex, unresolved: readonly UnresolvedRef[], range: Span): ActionData[] {
  const out: ActionData[] = [];
  const done = new Set<string>();
  for (const u of unresolved) {
    if (u.loc.file !== file || !overlaps(u.loc.span, range)) continue;
    const key = `${u.kind}:${u.name}`;
    if (done.has(key)) continue;
    done.add(key);
    if (u.kind === 'define') {
      const at = firstCodeLine(text);
      out.push({ title: `Add missing declaration: define ${u.name}`, kind: 'quickfix', safety: 'unsafe', preferred: false, edits: [{ file, span: { start: at, end: at }, newText: `define ${u.name} = \n` }] });
      continue;
    }
    const table = enclosingTable(ast, u.loc.span.start);
    if (!table) continue;
    const close = table.span.end - 1;
    const lineStart = lines.offsetAt({ line: lines.positionAt(close).line, character: 0 });
    const onOwnLine = text.slice(lineStart, close).trim() === '';
    const at = onOwnLine ? lineStart : close;
    const pre = onOwnLine ? '' : '\n';
    let decl: string;
    if (u.kind === 'chain') decl = `\n\tchain ${u.name} {\n\t}\n`;
    else if (u.kind === 'set') decl = `\n\tset ${u.name} {\n\t\ttype ipv4_addr\n\t}\n`;
    else if (u.kind === 'map') decl = `\n\tmap ${u.name} {\n\t\ttype ipv4_addr : verdict\n\t}\n`;
    else continue;
    out.push({ title: `Add missing declaration: ${u.kind} ${u.name}`, kind: 'quickfix', safety: 'unsafe', preferred: false, edits: [{ file, span: { start: at, end: at }, newText: pre + decl }] });
  }
  return out;
}

function firstCodeLine(text: string): number {
  // After a shebang and leading comment lines.
  let i = 0;
  while (i < text.length && (text[i] === '#' || text[i] === '\n')) {
    const e = text.indexOf('\n', i);
    if (e < 0) return text.length;
    i = e + 1;
  }
  return i;
}
