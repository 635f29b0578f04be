/**
 * The `predicted` column of `nft-offload remote flows`: every live flow predicted against the
 * router's live ruleset, with interfaces from the router's routes (preview/ruleset-predictor.ts,
 * the same code the editor's Routers view uses).
 */
import { pullRuleset, type FlowPredictorFactory } from '../remote';
import { predictRuleset } from '../preview';

export const liveFlowPredictor: FlowPredictorFactory = async (flows, session) => {
  const text = await pullRuleset(session);
  return predictRuleset('(live ruleset)', text).factory(flows, session);
};
