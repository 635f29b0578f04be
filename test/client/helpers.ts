// Shared inputs for the client's pure-logic tests: the router output captured in
// test/remote/fixtures and small rulesets in test/client/fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFlowsReport, parseDriverNames, parseEthtoolHwTc, parseIpDetailLink, parseKernelVersion, type FlowsReport } from '../../server/src/remote';
import type { RouterFacts } from '../../server/src/preview';
import { predictRuleset } from '../../server/src/preview';
import type { TreeNodeSpec } from '../../client/src/remote/router-tree-model';

export const remoteFixture = (name: string) => readFileSync(join(__dirname, '..', 'remote', 'fixtures', name), 'utf8');
export const clientFixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** The captured `conntrack -L` and `nft list flowtables`, predicted against `ruleset` (a fixture name). */
export function fixtureReport(ruleset?: string, conntrack = remoteFixture('conntrack-L.txt')): FlowsReport {
  const predictor = ruleset ? predictRuleset(ruleset, clientFixture(ruleset)).predictor : undefined;
  return buildFlowsReport(conntrack, remoteFixture('flowtables.txt'), '1', predictor);
}

/** Indented text of a tree: `label — description [icon] {contextValue} -> command(args)`. */
export function renderTree(nodes: TreeNodeSpec[], depth = 0): string {
  return nodes
    .map((n) => {
      const cmd = n.command ? ` -> ${n.command.id}(${n.command.args.map((a) => JSON.stringify(a)).join(', ')})` : '';
      const line = `${'  '.repeat(depth)}${n.label}${n.description ? ` — ${n.description}` : ''} [${n.icon ?? ''}] {${n.contextValue}}${cmd}`;
      return n.children?.length ? `${line}\n${renderTree(n.children, depth + 1)}` : line;
    })
    .join('\n');
}

/** Hardware facts of the captured MediaTek router (test/remote/fixtures), kernel 6.6. */
export const facts = (): RouterFacts => ({
  kernel: parseKernelVersion('6.6.73'),
  links: parseIpDetailLink(remoteFixture('ip-d-link.txt')),
  drivers: parseDriverNames(remoteFixture('drivers.txt')),
  hwTc: parseEthtoolHwTc(remoteFixture('ethtool-k.txt')),
});
