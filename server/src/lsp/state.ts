import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/finding';
import { analyzeFile } from '../analysis';
import { DocumentSnapshot } from '../ide/document';
import { includeLinks, type IncludeFs, type IncludeLink } from '../ide/includes';
import { indexSymbols, type FileTree, type SymbolIndex } from '../ide/symbols';
import { applyOverrides } from '../ide/findings';
import { parseRuleset } from '../syntax/parse';
import { DEFAULT_SETTINGS, type ServerSettings } from './protocol';
import { nodeIncludeFs, pathToUri, uriToPath } from './paths';

/** Deepest include nesting followed, as nft (16). */
const MAX_INCLUDE_DEPTH = 16;

interface AnalysisEntry {
  version: number;
  /** Findings of the document itself, overrides not yet applied. */
  findings: Finding[];
}

/**
 * Server state: open documents (by URI), their snapshots and analysis results, and
 * files read from disk for includes. Everything is keyed by version so a result is
 * never used for newer text.
 */
export class ServerState {
  settings: ServerSettings = DEFAULT_SETTINGS;
  readonly docs = new Map<string, TextDocument>();
  private readonly snapshots = new Map<string, DocumentSnapshot>();
  private readonly analyses = new Map<string, AnalysisEntry>();
  private readonly units = new Map<string, { key: string; index: SymbolIndex; files: string[] }>();
  private readonly diskCache = new Map<string, { mtime: number; snap: DocumentSnapshot }>();
  fs: IncludeFs = nodeIncludeFs;

  open(uri: string, languageId: string, version: number, text: string): void {
    this.docs.set(uri, TextDocument.create(uri, languageId, version, text));
  }

  change(uri: string, version: number, changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    this.docs.set(uri, TextDocument.update(doc, changes as never, version));
  }

  close(uri: string): void {
    this.docs.delete(uri);
    this.snapshots.delete(uri);
    this.analyses.delete(uri);
    this.units.delete(uri);
  }

  /** The snapshot of the current version of an open document. */
  snapshot(uri: string): DocumentSnapshot | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const cur = this.snapshots.get(uri);
    if (cur && cur.version === doc.version) return cur;
    const snap = new DocumentSnapshot(uriToPath(uri), doc.version, doc.getText());
    this.snapshots.set(uri, snap);
    return snap;
  }

  /** Findings for the current version (syntax, semantic, offload), with severity overrides applied. */
  findings(uri: string): { version: number; findings: Finding[] } | undefined {
    const snap = this.snapshot(uri);
    if (!snap) return undefined;
    let entry = this.analyses.get(uri);
    if (!entry || entry.version !== snap.version) {
      const result = analyzeFile(snap.file, snap.text, { includePaths: this.settings.includePaths });
      if (result.parse && !snap.parsed) {
        // Reuse the pipeline's parse for every other feature of this version.
        const seeded = new DocumentSnapshot(snap.file, snap.version, snap.text, result.parse);
        this.snapshots.set(uri, seeded);
      }
      const own = result.files.get(snap.file)?.findings ?? [];
      entry = { version: snap.version, findings: own };
      this.analyses.set(uri, entry);
    }
    return { version: entry.version, findings: applyOverrides(entry.findings, this.settings.severityOverrides) };
  }

  /** Raw findings (no overrides) of the current version, for code actions. */
  rawFindings(uri: string): Finding[] {
    this.findings(uri);
    return this.analyses.get(uri)?.findings ?? [];
  }

  /** A file's snapshot: the open document if there is one, else the disk copy (cached by mtime). */
  fileSnapshot(path: string): DocumentSnapshot | undefined {
    const uri = pathToUri(path);
    if (this.docs.has(uri)) return this.snapshot(uri);
    try {
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > 64 * 1024 * 1024) return undefined;
      const hit = this.diskCache.get(path);
      if (hit && hit.mtime === st.mtimeMs) return hit.snap;
      const text = fs.readFileSync(path, 'utf8');
      const snap = new DocumentSnapshot(path, -1, text, parseRuleset(text));
      this.diskCache.set(path, { mtime: st.mtimeMs, snap });
      return snap;
    } catch {
      return undefined;
    }
  }

  includeLinks(snap: DocumentSnapshot): IncludeLink[] {
    if (!snap.file.startsWith('/')) return [];
    return includeLinks(snap.parse.ast, snap.file, this.settings.includePaths, this.fs);
  }

  /**
   * The files analysed together with `uri`: an open document that includes it (if any)
   * as the entry, then transitive includes. Symbols are indexed over the whole unit,
   * so navigation and rename work across includes.
   */
  unit(uri: string): { index: SymbolIndex; files: string[] } | undefined {
    const snap = this.snapshot(uri);
    if (!snap) return undefined;
    let entry = snap;
    for (const [other] of this.docs) {
      if (other === uri) continue;
      const o = this.snapshot(other);
      if (o && o.parsed && this.includeClosure(o).includes(snap.file)) {
        entry = o;
        break;
      }
    }
    const files = this.includeClosure(entry);
    const key = files.map((f) => `${f}@${this.fileSnapshot(f)?.version ?? ''}:${this.fileSnapshot(f)?.text.length ?? 0}`).join('|');
    const cached = this.units.get(uri);
    if (cached && cached.key === key) return cached;
    const trees: FileTree[] = [];
    for (const f of files) {
      const s = f === snap.file ? snap : f === entry.file ? entry : this.fileSnapshot(f);
      if (s) trees.push({ file: s.file, text: s.text, ast: s.parse.ast });
    }
    const u = { key, index: indexSymbols(trees), files };
    this.units.set(uri, u);
    return u;
  }

  /** `snap.file` and every file it includes, transitively, in load order. */
  includeClosure(snap: DocumentSnapshot): string[] {
    const out: string[] = [snap.file];
    const seen = new Set(out);
    const visit = (s: DocumentSnapshot, depth: number) => {
      if (depth >= MAX_INCLUDE_DEPTH) return;
      for (const link of this.includeLinks(s)) {
        for (const t of link.targets) {
          if (seen.has(t)) continue;
          seen.add(t);
          out.push(t);
          const ts = this.fileSnapshot(t);
          if (ts) visit(ts, depth + 1);
        }
      }
    };
    visit(snap, 0);
    return out;
  }

  /** Open documents that include `path` directly. */
  includers(path: string): string[] {
    const out: string[] = [];
    for (const [uri] of this.docs) {
      const s = this.snapshot(uri);
      if (!s || s.file === path || !s.parsed) continue;
      if (this.includeLinks(s).some((l) => l.targets.includes(path))) out.push(s.file);
    }
    return out;
  }
}
