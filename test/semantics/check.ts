// Renders the semantic model of a fixture as text, for file snapshots. Paths are shown
// relative to the fixture folder so the expected files do not depend on the machine.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { LineIndex } from '../../server/src/core/line-index';
import { buildRulesetModel, type SemanticModel } from '../../server/src/semantics/index';
import { createFsIncludeResolver } from '../../server/src/workspace/include-resolver';
import { SEMANTIC_RULES } from '../../server/src/semantics/index';

const NAME_BY_CODE = new Map<string, string>(Object.values(SEMANTIC_RULES).map((r) => [r.code, r.name]));

export function buildFixture(path: string): SemanticModel {
  const dir = dirname(path);
  // The default directory is the fixture folder, so no test ever reads the host's /etc.
  const resolver = createFsIncludeResolver({ includePaths: [join(dir, 'inc')], defaultDir: dir });
  return buildRulesetModel({ path, text: readFileSync(path, 'utf8') }, resolver);
}

export function makePos(model: SemanticModel, base: string) {
  const indexes = new Map<string, LineIndex>();
  const idx = (file: string) => {
    let li = indexes.get(file);
    if (!li) indexes.set(file, (li = new LineIndex(model.files.get(file)?.text ?? '')));
    return li;
  };
  const name = (file: string) => relative(base, file) || file;
  const range = (file: string, s: { start: number; end: number }) => {
    const a = idx(file).positionAt(s.start);
    const b = idx(file).positionAt(s.end);
    return `${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1}`;
  };
  return { name, range, at: (file: string, s: { start: number; end: number }) => `${name(file)}:${range(file, s)}` };
}

/** One line per finding: `L:C-L:C CODE severity name: message`, prefixed by the file when not the entry. */
export function renderFindings(model: SemanticModel, base: string): string {
  const p = makePos(model, base);
  const lines: string[] = [];
  for (const f of model.findings) {
    const where = f.file === model.entry ? p.range(f.file, f.span) : p.at(f.file, f.span);
    const message = f.message.split(base + '/').join('');
    lines.push(`${where} ${f.code} ${f.severity} ${NAME_BY_CODE.get(f.code) ?? '?'}: ${message}`);
    for (const r of f.related ?? []) lines.push(`    related ${p.at(r.location.file, r.location.span)}: ${r.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Declarations and references per symbol, sorted for stable output. */
export function renderSymbols(model: SemanticModel, base: string): string {
  const p = makePos(model, base);
  const out: string[] = [];
  const syms = [...model.symbols].sort((a, b) =>
    `${a.kind} ${a.container} ${a.detail ?? ''} ${a.name}`.localeCompare(`${b.kind} ${b.container} ${b.detail ?? ''} ${b.name}`),
  );
  for (const s of syms) {
    out.push(`${s.kind}${s.detail ? ` (${s.detail})` : ''} ${s.container ? s.container + ' ' : ''}${s.name}`);
    for (const d of s.declarations) out.push(`  decl ${p.at(d.file, d.span)}`);
    for (const r of s.references) out.push(`  ref  ${p.at(r.file, r.span)}`);
  }
  return out.join('\n') + '\n';
}
