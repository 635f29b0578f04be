import type { Finding } from '../core/finding';
import type { Span } from '../core/span';
import type { Loc, SymbolInfo, SymbolKind } from '../semantics';
import { SEMANTIC_RULES } from '../semantics';

/**
 * Names for navigation, rename and "add missing declaration". The symbols themselves
 * come from the semantic model (semantics/ `buildRulesetModel`: every declaration and
 * reference across includes, with nft's scoping); this file turns them into edits.
 */

/** A reference that names nothing declared, with the kind of thing it needs. */
export interface UnresolvedRef {
  kind: SymbolKind;
  name: string;
  loc: Loc;
}

const UNRESOLVED_KIND: Record<string, SymbolKind> = {
  [SEMANTIC_RULES.undefinedVariable.code]: 'define',
  [SEMANTIC_RULES.unknownChain.code]: 'chain',
  [SEMANTIC_RULES.unknownSet.code]: 'set',
};

/**
 * Unresolved references, read off the semantic findings that report them (the model
 * does not keep them otherwise). `textOf` gives a file's text, to tell `vmap @m`/`map @m`
 * (a map is needed) from `@s`.
 */
export function unresolvedRefs(findings: readonly Finding[], file: string, textOf: (file: string) => string | undefined): UnresolvedRef[] {
  const out: UnresolvedRef[] = [];
  for (const f of findings) {
    let kind = UNRESOLVED_KIND[f.code];
    if (!kind) continue;
    const name = /'([^']+)'/.exec(f.message)?.[1];
    if (!name) continue;
    const where = f.file || file;
    if (kind === 'set') {
      const text = textOf(where) ?? '';
      if (/\b(vmap|map)\s*@?\s*$/.test(text.slice(Math.max(0, f.span.start - 8), f.span.start))) kind = 'map';
    }
    out.push({ kind, name, loc: { file: where, span: f.span } });
  }
  return out;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

export interface RenameEdit {
  file: string;
  span: Span;
  newText: string;
}

/** Edits renaming a symbol everywhere (every file of the model), or an error message when the new name is not valid. */
export function renameEdits(symbol: SymbolInfo, newName: string): RenameEdit[] | string {
  const bare = newName.startsWith('$') && symbol.kind === 'define' ? newName.slice(1) : newName;
  if (!NAME_RE.test(bare)) return `'${newName}' is not a valid nftables name`;
  const seen = new Set<string>();
  const out: RenameEdit[] = [];
  for (const l of [...symbol.declarations, ...symbol.references]) {
    const key = `${l.file}:${l.span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The model's spans may include the `$` of a variable use or the quotes of a quoted name.
    const width = l.span.end - l.span.start;
    if (symbol.kind === 'define' && width === symbol.name.length + 1) out.push({ file: l.file, span: l.span, newText: '$' + bare });
    else if (width === symbol.name.length + 2) out.push({ file: l.file, span: { start: l.span.start + 1, end: l.span.end - 1 }, newText: bare });
    else out.push({ file: l.file, span: l.span, newText: bare });
  }
  return out;
}
