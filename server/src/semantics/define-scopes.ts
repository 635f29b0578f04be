import type { Span } from '../core/span';
import type { DefineDecl, Loc } from './model';

/**
 * nft's variable scopes (parser_bison.y: `table_block_alloc` and `chain_block_alloc`
 * call `open_scope`; nothing else does). `define` fails when the name is visible in
 * any enclosing scope (`symbol_lookup` walks the parents: "redefinition of symbol"),
 * `undefine` only looks in the current scope, `$x` looks up through the parents.
 * Includes are textual, so a file included inside a table block shares its scope.
 *
 * Besides answering lookups during the walk, this records where each define is
 * visible, per file, as `DefineDecl.visible`, so the LSP can resolve a name at any
 * offset (completion, hover) without re-running the walk.
 */
interface Binding {
  decl: DefineDecl;
  /** Regions still open: file -> start offset. */
  open: Map<string, number>;
}

interface Scope {
  id: string;
  bindings: Map<string, Binding>;
}

export interface FileFrame {
  path: string;
  textLength: number;
  /** Where this file was included in its parent (undefined for the entry file). */
  includedAt?: Span;
}

export class DefineScopes {
  private readonly scopes: Scope[] = [{ id: 'top', bindings: new Map() }];
  readonly files: FileFrame[] = [];

  get currentScopeId(): string {
    return this.scopes[this.scopes.length - 1].id;
  }

  lookup(name: string): DefineDecl | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].bindings.get(name);
      if (b) return b.decl;
    }
    return undefined;
  }

  lookupCurrent(name: string): DefineDecl | undefined {
    return this.scopes[this.scopes.length - 1].bindings.get(name)?.decl;
  }

  /** Every name visible now (innermost binding per name), for messages and suggestions. */
  visibleNames(): string[] {
    const names = new Set<string>();
    for (const s of this.scopes) for (const n of s.bindings.keys()) names.add(n);
    return [...names];
  }

  bind(decl: DefineDecl): void {
    const scope = this.scopes[this.scopes.length - 1];
    const old = scope.bindings.get(decl.name);
    if (old) this.kill(old, decl.loc.span.start);
    const file = this.files[this.files.length - 1].path;
    scope.bindings.set(decl.name, { decl, open: new Map([[file, decl.loc.span.end]]) });
  }

  unbind(name: string, at: number): boolean {
    const scope = this.scopes[this.scopes.length - 1];
    const b = scope.bindings.get(name);
    if (!b) return false;
    this.kill(b, at);
    scope.bindings.delete(name);
    return true;
  }

  pushScope(id: string): void {
    this.scopes.push({ id, bindings: new Map() });
  }

  /** Closes the innermost scope at `end` (an offset in the current file). */
  popScope(end: number): void {
    if (this.scopes.length <= 1) return;
    const s = this.scopes.pop()!;
    for (const b of s.bindings.values()) this.kill(b, end);
  }

  enterFile(frame: FileFrame): void {
    this.files.push(frame);
    const seen = new Set<string>();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      for (const [name, b] of this.scopes[i].bindings) {
        if (seen.has(name)) continue;
        seen.add(name);
        if (!b.open.has(frame.path)) b.open.set(frame.path, 0);
      }
    }
  }

  leaveFile(): void {
    const frame = this.files.pop();
    if (!frame) return;
    const parent = this.files[this.files.length - 1];
    for (const s of this.scopes) {
      for (const b of s.bindings.values()) {
        const start = b.open.get(frame.path);
        if (start !== undefined) {
          this.close(b, frame.path, start, frame.textLength);
          b.open.delete(frame.path);
        }
        // A define made inside the included file stays visible after the include.
        if (parent && frame.includedAt && !b.open.has(parent.path)) b.open.set(parent.path, frame.includedAt.end);
      }
    }
  }

  /** Ends every scope (end of the entry file). */
  finish(): void {
    while (this.scopes.length > 1) this.popScope(this.files[this.files.length - 1]?.textLength ?? 0);
    const top = this.scopes[0];
    const len = this.files[this.files.length - 1]?.textLength ?? 0;
    for (const b of top.bindings.values()) this.kill(b, len);
    top.bindings.clear();
  }

  /** Closes all open regions of `b`; `at` is an offset in the current (innermost) file. */
  private kill(b: Binding, at: number): void {
    for (const [file, start] of b.open) {
      const i = this.files.findIndex((f) => f.path === file);
      let end = at;
      if (i >= 0 && i < this.files.length - 1) end = this.files[i + 1].includedAt?.start ?? at;
      this.close(b, file, start, end);
    }
    b.open.clear();
  }

  private close(b: Binding, file: string, start: number, end: number): void {
    if (end < start) return;
    const region: Loc = { file, span: { start, end } };
    b.decl.visible.push(region);
  }
}
