/**
 * offload: what happens to forwarded flows under a ruleset's flowtables. Walks the
 * packets of a flow through every base chain in hook and priority order
 * (predictFlow), reports ruleset-wide offload findings (findOffloadBlockers, codes
 * OFFxxx in codes.ts) with quick-fixes as data, and parses flow specs.
 *
 * Invariants:
 * - depends only on core/, syntax/ (types) and semantics/ (the model); knows nothing of LSP, CLI or remote;
 * - does no I/O and never throws: anything it cannot decide is reported as open, never guessed;
 * - every kernel fact it relies on is cited (offload.md sections) next to the code that uses it.
 * This file is the layer's only public door.
 */
export { OFFLOAD_RULES, OFFLOAD_RULES_BY_CODE } from './codes';
export { findOffloadBlockers, representativeFlows, representativePredictions } from './find-offload-blockers';
export type { FlowSpec, TraceStep, Packet } from './flow-model';
export type { DeviceStack } from './device-stack';
export { parseFlowSpec, formatFlowSpec, type FlowSpecResult } from './flow-spec';
export { predictFlow, type FlowPrediction, type FlowVerdict } from './predict-flow';
export { makeFlowPredictor, natOf, type LiveFlowLike, type FlowPredictionLike } from './flow-predictor';
