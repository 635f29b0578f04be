// Every snippet, expanded with its default values, must highlight cleanly and be accepted by the
// real `nft -c` (when it can run here: root, nft and unshare present).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenize } from './render-tokens';

interface Snippet {
  prefix: string[];
  description: string;
  body: string[];
}
const snippets: Record<string, Snippet> = JSON.parse(
  readFileSync(new URL('../../snippets/nftables.json', import.meta.url), 'utf8'),
);

/** The text VS Code inserts when the user accepts every default: first choice, placeholder text. */
function expandDefaults(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\\}|[^}])*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([$}])/g, '$1');
}

// Snippets that are fragments need a home to be checked: rules go in a chain, items in a table.
const RULE_FRAGMENTS = new Set(['flow-add', 'ct-state-vmap', 'fw4-chain-include', 'log-drop']);
const TABLE_FRAGMENTS = new Set(['flowtable', 'chain', 'regular-chain', 'set', 'map', 'vmap', 'fw4-include']);
function asRuleset(prefix: string, text: string): string {
  if (RULE_FRAGMENTS.has(prefix)) {
    return `table inet t {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { lo }\n\t}\n\tchain c {\n${text}\n\t}\n}\n`;
  }
  if (TABLE_FRAGMENTS.has(prefix)) return `table inet t {\n${text}\n}\n`;
  return `${text}\n`;
}

function canRunNft(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('unshare', ['-n', 'nft', '-c', '-f', '/dev/null'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('snippets', () => {
  it('each has a prefix, a description and a body', () => {
    for (const [name, snippet] of Object.entries(snippets)) {
      expect(snippet.prefix.length, name).toBeGreaterThan(0);
      expect(snippet.description, name).toBeTruthy();
      expect(snippet.body.length, name).toBeGreaterThan(0);
    }
  });

  it('include the flow offload set-up in the home router', () => {
    const text = expandDefaults(snippets['Home router with flow offload']!.body);
    expect(text).toMatch(/flowtable ft \{/);
    // Inside the forward chain: every line up to it is indented deeper than the chain's `}`.
    expect(text).toMatch(/\tchain forward \{\n(?:\t\t.*\n)*\t\t.*flow add @ft\n/);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name}: highlights without invalid tokens and closes every block`, async () => {
      // A trailing verdict shows whether any block scope leaked past the snippet.
      const tokens = await tokenize(`${expandDefaults(snippet.body)}\naccept`);
      expect(tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid')))).toEqual([]);
      expect(tokens.at(-1)?.scopes).toEqual(['keyword.control.verdict.nftables']);
    });
  }
});

describe.skipIf(!canRunNft())('snippets with the real nft -c', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nft-snippets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, snippet] of Object.entries(snippets)) {
    it(name, () => {
      const text = asRuleset(snippet.prefix[0]!, expandDefaults(snippet.body))
        // Keep includes away from the host's /etc; a glob that matches nothing is not an error.
        .replace(/include "[^"]*"/g, `include "${dir}/none-*.nft"`);
      const file = join(dir, 'snippet.nft');
      writeFileSync(file, text);
      let stderr = '';
      try {
        execFileSync('unshare', ['-n', 'nft', '-c', '-f', file], { stdio: 'pipe' });
      } catch (error) {
        stderr = String((error as { stderr?: Buffer }).stderr ?? error);
      }
      // NOTE: a kernel without flowtable support refuses `flowtable` and `flow add` with ENOENT
      // after parsing and evaluation succeeded; that says nothing about the snippet.
      const lines = text.split('\n');
      const realErrors = [...stderr.matchAll(/:(\d+):\d+-\d+: Error: (.*)/g)].filter(
        ([, line, message]) =>
          !(message === 'Could not process rule: No such file or directory' && /\bflow(table| add| offload)\b/.test(lines[Number(line) - 1] ?? '')),
      );
      expect(realErrors.map((m) => m[0]), stderr).toEqual([]);
      expect(stderr === '' || /Error:/.test(stderr), stderr).toBe(true);
    });
  }
});
