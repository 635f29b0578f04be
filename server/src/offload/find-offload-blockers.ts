/**
 * findOffloadBlockers: ruleset-wide offload findings. Static rules look at the
 * declarations; the rest come from predicting representative flows derived from the
 * ruleset (TCP and UDP between every pair of interfaces the forward chains or the
 * flowtables name, for each IP family the forward chains see).
 */
import type { Finding } from '../core/finding';
import { appendAll } from '../core/arrays';
import type { RulesetModel } from '../semantics/model';
import type { FlowSpec } from './flow-model';
import { forwardChains, interfaceNames, mayAddFlows, reachableChains, type OffloadContext, type OffloadRule } from './offload-context';
import { predictFlow } from './predict-flow';
import { bypassedWhenOffloaded } from './rules/bypassed-when-offloaded';
import { flowAddAfterVerdict } from './rules/flow-add-after-verdict';
import { flowAddInvalidHook } from './rules/flow-add-invalid-hook';
import { flowAddUnknownFlowtable } from './rules/flow-add-unknown-flowtable';
import { flowAddUnsupportedProtocol } from './rules/flow-add-unsupported-protocol';
import { flowtableMissingDevices } from './rules/flowtable-missing-devices';
import { flowtableWithoutCounter } from './rules/flowtable-without-counter';
import { forwardWithoutFlowtable } from './rules/forward-without-flowtable';
import { flowAddGuardNeverEligible, flowAddVerdictSkipped, flowtableFamilyGap } from './rules/from-predictions';
import { fw4ManagedRuleset } from './rules/fw4-managed-ruleset';
import { hardwareOffloadLimits } from './rules/hardware-offload-limits';
import { helperBlocksOffload } from './rules/helper-blocks-offload';
import { notrackBlocksOffload } from './rules/notrack-blocks-offload';
import { unusedFlowtable } from './rules/unused-flowtable';

export const OFFLOAD_CHECKS: OffloadRule[] = [
  forwardWithoutFlowtable, flowAddAfterVerdict, flowtableMissingDevices, flowAddUnsupportedProtocol, helperBlocksOffload,
  bypassedWhenOffloaded, hardwareOffloadLimits, flowAddInvalidHook, unusedFlowtable, flowtableWithoutCounter, fw4ManagedRuleset,
  flowAddGuardNeverEligible, flowtableFamilyGap, flowAddVerdictSkipped, notrackBlocksOffload, flowAddUnknownFlowtable,
];

/** Bound on representative flows, so a ruleset with many interface names stays fast. */
const MAX_FLOWS = 48;

export function representativeFlows(model: RulesetModel): FlowSpec[] {
  const flows: FlowSpec[] = [];
  const fams = new Set<'ip' | 'ip6'>();
  const names = new Set<string>();
  for (const c of forwardChains(model)) {
    if (c.table.family === 'ip' || c.table.family === 'inet') fams.add('ip');
    if (c.table.family === 'ip6' || c.table.family === 'inet') fams.add('ip6');
    for (const n of interfaceNames(reachableChains(c), model)) names.add(n.name);
  }
  for (const t of model.tables.values()) for (const ft of t.flowtables.values()) for (const d of ft.devices) if (!d.includes('*')) names.add(d);
  const list = [...names].sort();
  const pairs: [string | undefined, string | undefined][] = [];
  for (const a of list) for (const b of list) if (a !== b) pairs.push([a, b]);
  if (!pairs.length) pairs.push([list[0], undefined]);
  for (const fam of [...fams].sort())
    for (const [iif, oif] of pairs)
      for (const l4proto of [6, 17]) if (flows.length < MAX_FLOWS) flows.push({ family: fam, l4proto, iif, oif });
  return flows;
}

const PREDICTIONS = new WeakMap<RulesetModel, OffloadContext['predictions']>();

/**
 * predictFlow for each of representativeFlows(model), computed once per model: the
 * findings below and the editor's code lenses and inlay hints share them.
 * Invariant: a model is not changed after it is built.
 */
export function representativePredictions(model: RulesetModel): OffloadContext['predictions'] {
  let p = PREDICTIONS.get(model);
  if (!p) PREDICTIONS.set(model, (p = representativeFlows(model).map((flow) => ({ flow, prediction: predictFlow(model, flow) }))));
  return p;
}

export function findOffloadBlockers(model: RulesetModel): Finding[] {
  const files = (model as RulesetModel & { files?: Map<string, { text: string }> }).files;
  // The findings drawn from predictions are all about a `flow add` (OFF002, OFF012, OFF013,
  // OFF016): a ruleset without one needs none (up to 48 flows walked through its rules).
  const ctx: OffloadContext = {
    model,
    textOf: (file) => files?.get(file)?.text,
    predictions: mayAddFlows(model) ? representativePredictions(model) : [],
  };
  const out: Finding[] = [];
  for (const rule of OFFLOAD_CHECKS) {
    try {
      appendAll(out, rule.check(ctx));
    } catch (e) {
      // Invariant: offload never throws; a bug in one rule must not hide the others' findings.
      out.push({ code: rule.info.code, severity: 'hint', message: `internal error in ${rule.info.name}: ${(e as Error).message}`, file: '', span: { start: 0, end: 0 } });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start || a.code.localeCompare(b.code)));
}
