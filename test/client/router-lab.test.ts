// Real components: network namespaces, a real sshd and the real nft in them (test/remote/lab; the
// host kernel has no flowtables). Exercises the client's non-vscode I/O path: hardware facts, live
// flows predicted against the pulled live ruleset, the tree built from them, and the host-key
// decision (accept and save, then trusted without asking). No mocks; the VS Code modal itself is
// replaced by choosing its button in code (test/e2e covers the real dialog).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost, connectRouter, parseSshUrl, pullRuleset, readFlows, type HostKeyQuestion, type SshTarget,
} from '../../server/src/remote';
import { decideHostKey, hostKeyDialog } from '../../client/src/remote/host-key-decision';
import { predictRuleset } from '../../server/src/preview';
import { buildHwPreview, readRouterFacts } from '../../server/src/preview';
import { buildRouterNode } from '../../client/src/remote/router-tree-model';
import { netnsLabUp, type NetnsLab } from '../remote/lab/netns-lab';

let lab: NetnsLab;

beforeAll(async () => {
  lab = await netnsLabUp();
}, 30_000);
afterAll(() => lab?.down());

const RULESET = 'flush ruleset\ntable inet lab {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tct state established counter accept\n\t}\n}\n';

describe('client over a real router in network namespaces', () => {
  it('reads facts and flows, predicts with the live ruleset, and says there is no flowtable', async () => {
    lab.inNs(lab.ns.rtr, ['nft', '-f', '-'], RULESET);
    const target = parseSshUrl(lab.url) as SshTarget;
    const s = await connectRouter({ target, identityFile: lab.identity, knownHostsFiles: [lab.knownHosts], agentSocket: null });
    try {
      const live = await pullRuleset(s);
      expect(live).toContain('table inet lab');
      const prediction = predictRuleset('live', live);
      expect(prediction.flowtables).toEqual([]);
      const flows = await readFlows(s, prediction.predictor);
      expect(flows.flowtables).toEqual([]);
      const facts = await readRouterFacts(s);
      expect(facts.kernel?.major).toBeGreaterThanOrEqual(5);
      expect(facts.links.map((l) => l.name)).toContain('lo');
      const node = buildRouterNode({ name: 'lab', url: lab.url, connection: 'connected', flows, preview: buildHwPreview(facts, flows.flowtables) });
      const hw = node.children!.find((c) => c.label === 'Hardware preview')!;
      expect(hw.children!.map((c) => c.label)).toEqual(['no flowtable on this router']);
      // The SSH session itself is a tracked connection on the router: at least one flow, slow path.
      expect(flows.flows.some((f) => f.actual === 'slow')).toBe(true);
      // With the router's routes, the management connection (to the router itself) is predicted
      // slow because it is not forwarded; actual and predicted agree.
      const routed = await readFlows(s, { factory: prediction.factory });
      const ssh = routed.flows.find((f) => f.dport === 22)!;
      expect(ssh).toMatchObject({ actual: 'slow', predicted: 'slow', reasons: [{ code: 'not-forwarded' }] });
    } finally {
      s.close();
    }
  }, 60_000);

  it('unknown host key: "Accept and save" writes known_hosts; the next connection does not ask', async () => {
    const target = parseSshUrl(lab.url) as SshTarget;
    const file = join(lab.dir, `known_hosts.client-${process.pid}`);
    writeFileSync(file, '');
    const asked: HostKeyQuestion[] = [];
    const prompt = async (q: HostKeyQuestion) => {
      asked.push(q);
      const dialog = hostKeyDialog(q, file);
      const d = decideHostKey(dialog, dialog.buttons.find((b) => b.choice === 'accept-and-save')!.title);
      if (d.save) await appendKnownHost(file, q.host, q.port, q.key);
      return d.trust;
    };
    const opts = { target, identityFile: lab.identity, knownHostsFiles: [file], agentSocket: null, hostKeyPrompt: prompt };
    (await connectRouter(opts)).close();
    expect(asked.map((q) => q.kind)).toEqual(['unknown']);
    expect(readFileSync(file, 'utf8')).toContain(`[127.0.0.1]:${target.port} ssh-ed25519 `);
    (await connectRouter(opts)).close();
    expect(asked).toHaveLength(1);
    // Cancel refuses: a fresh file and the modal's Cancel (undefined) never connect.
    writeFileSync(file, '');
    const refuse = async (q: HostKeyQuestion) => decideHostKey(hostKeyDialog(q, file), undefined).trust;
    await expect(connectRouter({ ...opts, hostKeyPrompt: refuse })).rejects.toMatchObject({ kind: 'host-key' });
  }, 60_000);
});
