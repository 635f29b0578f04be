/**
 * Predictions for live flows from a ruleset text (a live `nft list ruleset` or a local file), for
 * the `predicted` column of flows and for the pre-apply preview. Shared by the CLI and the editor.
 *
 * Conntrack records no interfaces, so `factory` asks the router for its routes to the flows'
 * endpoints (remote/flow-routing.ts) and predicts with those iif/oif; flows to or from the router
 * itself are not forwarded, hence slow. Route answers are cached per address for the life of one
 * prediction (one pull of the ruleset), so a refresh asks only about new endpoints.
 */
import type { FlowPredictor, FlowPredictorFactory, FlowtableInfo, LiveFlow, RouteAnswer } from '../remote';
import { interfacesFor, readDeviceLinks, readFlowRouting } from '../remote';
import { makeFlowPredictor } from '../offload';
import { buildRulesetModel, NO_INCLUDES, type RulesetModel } from '../semantics';

export interface RulesetPrediction {
  /** Predicts without interfaces (open facts stay open: often "unknown"). */
  predictor: FlowPredictor;
  /** Predicts with each flow's interfaces from the router's routes (use with `readFlows`). */
  factory: FlowPredictorFactory;
  /** The ruleset's flowtables in the shape `nft list flowtables` parses to. */
  flowtables: FlowtableInfo[];
}

export function flowtablesOf(model: RulesetModel): FlowtableInfo[] {
  const out: FlowtableInfo[] = [];
  for (const table of model.tables.values()) {
    for (const ft of table.flowtables.values()) {
      out.push({
        family: table.family, table: table.name, name: ft.name, hook: ft.hook, priority: ft.priorityText,
        devices: ft.devices, offload: ft.flags.includes('offload'), counter: ft.counter,
      });
    }
  }
  return out;
}

const MEMO_LIMIT = 20_000;
const tupleKey = (f: LiveFlow) => `${f.proto}|${f.src}|${f.sport ?? ''}|${f.dst}|${f.dport ?? ''}|${f.entry?.reply?.src ?? ''}`;

function routedFactory(model: RulesetModel): FlowPredictorFactory {
  const routes = new Map<string, RouteAnswer>();
  const memo = new Map<string, ReturnType<FlowPredictor>>();
  return async (flows, session) => {
    const wanted = flows.flatMap((f) => [f.src, f.dst, ...(f.entry?.reply ? [f.entry.reply.src] : [])]).filter((a) => !routes.has(a.toLowerCase()));
    // The device stack decides which listed device a flow through a bridge or PPPoE device enters by.
    const [routing, devices] = await Promise.all([readFlowRouting(session, wanted), readDeviceLinks(session)]);
    if (routes.size > MEMO_LIMIT) routes.clear();
    for (const [k, v] of routing.routes) routes.set(k, v);
    const all = { addrs: routing.addrs, routes };
    memo.clear(); // addresses of the router may have changed; predictions are cheap to redo per refresh
    return (flow) => {
      const key = tupleKey(flow);
      const hit = memo.get(key);
      if (hit) return hit;
      const ifs = interfacesFor({ src: flow.src, dst: flow.dst, replySrc: flow.entry?.reply?.src }, all);
      let p: ReturnType<FlowPredictor>;
      if (ifs.local) {
        const message = ifs.local === 'to-router'
          ? 'addressed to the router itself: input traffic is not forwarded, and only forwarded flows can be offloaded'
          : 'sent by the router itself: output traffic is not forwarded, and only forwarded flows can be offloaded';
        p = { verdict: 'slow', reasons: [{ code: 'not-forwarded', message }] };
      } else {
        p = { ...makeFlowPredictor(model, { iif: ifs.iif, oif: ifs.oif }, devices)(flow), ...(ifs.iif !== undefined ? { iif: ifs.iif } : {}), ...(ifs.oif !== undefined ? { oif: ifs.oif } : {}) };
      }
      memo.set(key, p);
      return p;
    };
  };
}

/**
 * Builds the predictors for one ruleset text (a live `nft list ruleset` or a local file).
 * `include`s are not followed here (NO_INCLUDES): a live listing has none, and for a local file
 * the prediction is a preview. Never throws: a failure yields the "unknown" predictor.
 */
export function predictRuleset(path: string, text: string): RulesetPrediction {
  try {
    const model = buildRulesetModel({ path, text }, NO_INCLUDES);
    return { predictor: makeFlowPredictor(model), factory: routedFactory(model), flowtables: flowtablesOf(model) };
  } catch (e) {
    const message = `prediction failed: ${(e as Error).message}`;
    const predictor: FlowPredictor = () => ({ verdict: 'unknown', reasons: [{ code: 'predictor-failed', message }] });
    return { predictor, factory: async () => predictor, flowtables: [] };
  }
}
