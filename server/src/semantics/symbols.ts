import type { DefineDecl, Loc, RulesetModel, SymbolInfo } from './model';

/** A symbol found at an offset, and whether the offset is on a declaration or a reference. */
export interface SymbolHit {
  symbol: SymbolInfo;
  /** The declaration or reference under the offset. */
  at: Loc;
  role: 'declaration' | 'reference';
}

function covers(loc: Loc, file: string, offset: number): boolean {
  return loc.file === file && offset >= loc.span.start && offset <= loc.span.end;
}

/**
 * The declaration or reference under `offset` in `file` (for hover, definition,
 * references, rename). When spans nest (a `$var` inside a longer reference), the
 * narrowest wins.
 */
export function symbolAt(model: RulesetModel, file: string, offset: number): SymbolInfo | undefined {
  return symbolHitAt(model, file, offset)?.symbol;
}

export function symbolHitAt(model: RulesetModel, file: string, offset: number): SymbolHit | undefined {
  let best: SymbolHit | undefined;
  const width = (l: Loc) => l.span.end - l.span.start;
  for (const s of model.symbols) {
    for (const d of s.declarations) if (covers(d, file, offset) && (!best || width(d) < width(best.at))) best = { symbol: s, at: d, role: 'declaration' };
    for (const r of s.references) if (covers(r, file, offset) && (!best || width(r) < width(best.at))) best = { symbol: s, at: r, role: 'reference' };
  }
  return best;
}

/**
 * The define that `$name` means at `offset` in `file`: the one whose visibility
 * region (scope, after its definition, before any redefine/undefine; across
 * includes) contains the offset. The innermost (latest-starting) region wins.
 */
export function resolveDefine(model: RulesetModel, name: string, file: string, offset: number): DefineDecl | undefined {
  let best: { d: DefineDecl; start: number; i: number } | undefined;
  model.defines.forEach((d, i) => {
    if (d.name !== name) return;
    for (const v of d.visible) {
      if (v.file !== file || offset < v.span.start || offset > v.span.end) continue;
      if (!best || v.span.start > best.start || (v.span.start === best.start && i > best.i)) best = { d, start: v.span.start, i };
    }
  });
  return best?.d;
}

/** Every define visible at `offset` in `file` (for completion after `$`). */
export function visibleDefines(model: RulesetModel, file: string, offset: number): DefineDecl[] {
  const names = new Set(model.defines.map((d) => d.name));
  const out: DefineDecl[] = [];
  for (const n of names) {
    const d = resolveDefine(model, n, file, offset);
    if (d) out.push(d);
  }
  return out;
}
