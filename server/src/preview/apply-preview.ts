/**
 * The sentence shown before a safe apply: where the router's live flows would go under the new
 * ruleset ("N live flows would move to hardware, M stay in software because …"). Pure: no
 * `vscode` import.
 *
 * Inputs: the live flows predicted against the LOCAL ruleset (flows.ts `buildFlowsReport` with the
 * local predictor) and the hardware preview of the LOCAL flowtables on the router's devices.
 * Conntrack does not say which interfaces a flow uses, so a flow predicted for the hardware path
 * goes to hardware only if every device of the offloading flowtables would take it; when devices
 * disagree the flow is counted as "depends on the interface".
 */
import { readFlows, type FlowRow, type RouterSession } from '../remote';
import { buildHwPreview, readRouterFacts, type HwPreviewReport, type RouterFacts } from './router-facts';
import { predictRuleset } from './ruleset-predictor';

export interface ApplyPreviewCounts {
  hardware: number;
  software: number;
  dependsOnInterface: number;
  slow: number;
  dropped: number;
  unknown: number;
  softwareReasons: string[];
}

export function countApplyPreview(flows: FlowRow[], preview: HwPreviewReport): ApplyPreviewCounts {
  const c: ApplyPreviewCounts = { hardware: 0, software: 0, dependsOnInterface: 0, slow: 0, dropped: 0, unknown: 0, softwareReasons: [] };
  const reasons = new Set<string>();
  const offloading = preview.flowtables.filter((f) => f.flowtable.offload);
  const devices = offloading.flatMap((f) => f.devices);
  const allHw = devices.length > 0 && devices.every((d) => d.path === 'hardware');
  const noneHw = devices.every((d) => d.path !== 'hardware');
  const deviceReasons = devices.filter((d) => d.path !== 'hardware').flatMap((d) => d.reasons.map((r) => r.message));
  for (const f of flows) {
    switch (f.predicted) {
      case 'hw-offload':
        if (allHw) c.hardware++;
        else if (noneHw) {
          c.software++;
          for (const r of deviceReasons) reasons.add(r);
          if (devices.length === 0) reasons.add('no flowtable with `flags offload` lists a device');
        } else c.dependsOnInterface++;
        break;
      case 'sw-offload':
        c.software++;
        reasons.add(preview.flowtables.length ? 'the flowtable has no `flags offload`' : 'no flowtable');
        break;
      case 'slow':
        c.slow++;
        break;
      case 'dropped':
        c.dropped++;
        break;
      default:
        c.unknown++;
    }
  }
  c.softwareReasons = [...reasons];
  return c;
}

/** One or two sentences; undefined when there are no live flows to talk about. */
export function applyPreviewSentence(flows: FlowRow[], preview: HwPreviewReport): string | undefined {
  if (flows.length === 0) return undefined;
  if (preview.flowtables.length === 0) return `The new ruleset has no flowtable: all ${flows.length} live flows would take the slow path.`;
  const c = countApplyPreview(flows, preview);
  const because = c.softwareReasons.length ? ` because ${c.softwareReasons.join('; ')}` : '';
  // [count, verb phrase for one flow, for several]
  const parts: [number, string, string][] = [
    [c.hardware, 'would move to hardware', 'would move to hardware'],
    [c.software, `stays in software${because}`, `stay in software${because}`],
    [c.dependsOnInterface, 'goes to hardware or software depending on its interfaces', 'go to hardware or software depending on their interfaces'],
    [c.slow, 'takes the slow path', 'take the slow path'],
    [c.dropped, 'would be dropped', 'would be dropped'],
    [c.unknown, 'cannot be predicted (it depends on facts conntrack does not show, such as interfaces)', 'cannot be predicted (they depend on facts conntrack does not show, such as interfaces)'],
  ];
  const shown = parts.filter(([k]) => k > 0);
  return (
    shown
      .map(([k, one, many], i) => `${k}${i === 0 ? ` live flow${k === 1 ? '' : 's'}` : ''} ${k === 1 ? one : many}`)
      .join(', ') + '.'
  );
}

/**
 * The preview for applying `text` (the local file `file`) on the router behind `session`: the
 * live flows predicted against the new ruleset with the router's routes, and the new
 * flowtables on the router's devices. `facts` may come from a cache (the editor keeps them).
 */
export async function previewApply(session: RouterSession, file: string, text: string, facts?: RouterFacts): Promise<string | undefined> {
  const local = predictRuleset(file, text);
  const report = await readFlows(session, { factory: local.factory });
  return applyPreviewSentence(report.flows, buildHwPreview(facts ?? (await readRouterFacts(session)), local.flowtables));
}
