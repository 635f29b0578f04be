// Pure: package.json's remote-router contributions agree with client/src/commands/command-ids.ts
// (the ids the end-to-end tests use), and every `when` clause names a key we set or VS Code sets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandIds, ContextKeys, TreeItemContexts, ViewIds } from '../../client/src/commands/command-ids';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const c = pkg.contributes;
const ours = (id: string) => id.startsWith('nftablesOffload.remote.');

describe('remote contributions in package.json', () => {
  it('declares exactly the commands the client registers, each with a title and category', () => {
    const declared = c.commands.map((x: { command: string }) => x.command).filter(ours).sort();
    expect(declared).toEqual(Object.values(CommandIds).sort());
    for (const x of c.commands.filter((x: { command: string }) => ours(x.command))) expect(x).toMatchObject({ title: expect.any(String), category: 'nftables offload' });
  });
  it('has the Routers view in its own activity-bar container', () => {
    expect(c.viewsContainers.activitybar).toContainEqual(expect.objectContaining({ id: ViewIds.container }));
    expect(c.views[ViewIds.container]).toContainEqual(expect.objectContaining({ id: ViewIds.routers, name: 'Routers' }));
    expect(c.viewsWelcome).toContainEqual(expect.objectContaining({ view: ViewIds.routers }));
  });
  it('menus name declared commands; when clauses use known context keys and tree item values', () => {
    const known = new Set(Object.values(CommandIds));
    const ourKeys = new Set<string>(Object.values(ContextKeys));
    const vscodeKeys = new Set(['view', 'viewItem', 'editorLangId', 'resourceLangId']);
    const items = new Set<string>(Object.values(TreeItemContexts));
    for (const [menu, entries] of Object.entries(c.menus) as [string, { command: string; when?: string }[]][]) {
      for (const e of entries.filter((x) => ours(x.command))) {
        expect(known.has(e.command as never), `${menu}: ${e.command}`).toBe(true);
        for (const term of (e.when ?? '').split(/&&|\|\|/)) {
          const key = term.trim().replace(/^!/, '').split(/\s*(?:==|!=|=~)\s*/)[0];
          if (!key) continue;
          expect(ourKeys.has(key) || vscodeKeys.has(key), `${menu}: unknown context key ${key} in ${e.when}`).toBe(true);
        }
        for (const m of (e.when ?? '').matchAll(/viewItem == ([\w-]+)/g)) expect(items.has(m[1]), m[1]).toBe(true);
      }
    }
    expect(c.menus.commandPalette).toContainEqual({ command: CommandIds.confirmApply, when: ContextKeys.applyPending });
  });
  it('contributes the refresh interval setting', () => {
    expect(c.configuration.properties['nftablesOffload.remote.refreshSeconds']).toMatchObject({ type: 'number', default: 5, minimum: 1 });
  });
});
