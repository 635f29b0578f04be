/**
 * The `predicted` column of `nft-offload remote flows`: predicts every live flow against the
 * router's live ruleset, over the session the flows were read on. Conntrack records no interfaces,
 * so each flow's iif/oif come from the router's own routes to its endpoints (remote/flow-routing.ts);
 * flows with the router itself as an endpoint are not forwarded, hence never offloaded.
 */
import { makeFlowPredictor } from '../offload';
import { interfacesFor, pullRuleset, readFlowRouting, type FlowPredictor, type FlowPredictorFactory, type LiveFlow } from '../remote';
import { buildRulesetModel, NO_INCLUDES } from '../semantics';

export const liveFlowPredictor: FlowPredictorFactory = async (flows: LiveFlow[], session): Promise<FlowPredictor> => {
  const addresses = flows.flatMap((f) => [f.src, f.dst, ...(f.entry.reply ? [f.entry.reply.src] : [])]);
  const [text, routing] = await Promise.all([pullRuleset(session), readFlowRouting(session, addresses)]);
  const model = buildRulesetModel({ path: '(live ruleset)', text }, NO_INCLUDES);
  return (flow) => {
    const ifs = interfacesFor({ src: flow.src, dst: flow.dst, replySrc: flow.entry.reply?.src }, routing);
    if (ifs.local) {
      const message = ifs.local === 'to-router'
        ? 'addressed to the router itself: input traffic is not forwarded, and only forwarded flows can be offloaded'
        : 'sent by the router itself: output traffic is not forwarded, and only forwarded flows can be offloaded';
      return { verdict: 'slow', reasons: [{ code: 'not-forwarded', message }] };
    }
    const p = makeFlowPredictor(model, { iif: ifs.iif, oif: ifs.oif })(flow);
    return { ...p, ...(ifs.iif !== undefined ? { iif: ifs.iif } : {}), ...(ifs.oif !== undefined ? { oif: ifs.oif } : {}) };
  };
};
