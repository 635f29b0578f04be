import { fileURLToPath, pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import type { IncludeFs } from '../ide/includes';

// NOTE: URIs become file-system paths here and nowhere else (as vscode-eslint's paths.ts).
// Non-file URIs (untitled:) are kept as they are and never resolve includes.

export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  if (path.includes(':') && !path.startsWith('/')) return path; // already a URI
  return pathToFileURL(path).href;
}

export const nodeIncludeFs: IncludeFs = {
  isFile(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};
