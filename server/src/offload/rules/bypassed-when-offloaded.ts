import type { Finding } from '../../core/finding';
import type * as A from '../../syntax/ast';
import type { ChainModel, RuleModel } from '../../semantics/model';
import { OFFLOAD_RULES } from '../codes';
import { allRules, finding, flowAddOf, INET_FAMILIES, type OffloadRule } from '../offload-context';
import { excludeFromOffload } from '../fixes';
import { chainLabel } from '../walk-chains';
import { pathText } from '../../syntax/node-builders';

/**
 * OFF006: once a flow is in the flowtable its packets are handled at netdev ingress and never reach
 * prerouting, forward or postrouting chains (offload.md §1.5 H01-H04, H06; counters measured in §7).
 * Rules that only match the first packets (`ct state new`, `tcp flags syn`) are not reported.
 */
const CONSEQUENCE: Record<string, string> = {
  counter: 'stops counting once the flow is offloaded (only conntrack accounting continues, and only with the flowtable `counter` flag)',
  limit: 'no longer limits established traffic of offloaded flows',
  quota: 'no longer counts or enforces the quota for offloaded flows',
  log: 'logs no packet of an offloaded flow',
  meter: 'sees no packet of an offloaded flow, so its per-key limits stop applying',
  'set-update': 'is no longer refreshed by offloaded packets, so elements with timeouts expire while the flow is active',
  'mark set': 'is not applied to offloaded packets: tc filters, ip rules and shapers downstream see the mark the packet arrived with',
  'dscp set': 'is not applied to offloaded packets, so QoS classification by DSCP is lost',
  'priority set': 'is not applied to offloaded packets',
  queue: 'sees only the first packets of offloaded flows (userspace DPI loses the rest)',
};

function kindOf(s: A.Statement): string | undefined {
  switch (s.kind) {
    case 'Counter': return 'counter';
    case 'Limit': return 'limit';
    case 'Quota': return 'quota';
    case 'Log': return 'log';
    case 'SetUpdate': return s.op === 'delete' ? undefined : 'set-update';
    case 'Generic': return s.keyword === 'meter' ? 'meter' : s.keyword === 'queue' ? 'queue' : undefined;
    case 'Set': {
      const p = pathText(s.target.path);
      if (p === 'meta mark' || p === 'mark' || p === 'ct mark') return 'mark set';
      if (p.endsWith('dscp')) return 'dscp set';
      if (p === 'meta priority' || p === 'priority') return 'priority set';
      return undefined;
    }
    default: return undefined;
  }
}

function firstPacketsOnly(r: A.Rule): boolean {
  return r.statements.some((s) => s.kind === 'Match' && s.left.kind === 'Selector' && ((pathText(s.left.path) === 'ct state' && !s.op && /^(new|untracked|invalid)$/.test(textOf(s.right))) || (pathText(s.left.path) === 'tcp flags' && /syn/.test(textOf(s.right)) && !/ack/.test(textOf(s.right)))));
}
/**
 * Packets this rule sees are dropped, so they never belong to an offloaded flow: the rule
 * ends in drop/reject, or it is the last rule of a `policy drop` chain without an accepting
 * verdict (a "count what we drop" rule).
 */
function dropsItsPackets(r: A.Rule, policy: string | undefined, isLast: boolean): boolean {
  const verdicts = r.statements.filter((s) => s.kind === 'Verdict' || (s.kind === 'Generic' && s.keyword === 'reject'));
  if (verdicts.some((s) => (s.kind === 'Verdict' && s.verdict === 'drop') || s.kind === 'Generic')) return true;
  return isLast && policy === 'drop' && verdicts.length === 0;
}

function textOf(e: A.Expr): string {
  if (e.kind === 'Word' || e.kind === 'KeywordValue' || e.kind === 'String') return e.text;
  if (e.kind === 'List') return e.items.map(textOf).join(',');
  if (e.kind === 'SetLiteral') return e.elements.map((x) => textOf(x.key)).join(',');
  return '?';
}

const FIRST_FLOW_ADD = new WeakMap<ChainModel, Map<string, RuleModel>>();

/**
 * The first `flow add` rule of a chain from each file. Looked up for every rule: searching the
 * chain each time made a 5,000-rule chain quadratic.
 */
function firstFlowAddRules(chain: ChainModel): Map<string, RuleModel> {
  let byFile = FIRST_FLOW_ADD.get(chain);
  if (!byFile) {
    byFile = new Map();
    for (const r of chain.rules) if (!byFile.has(r.file) && flowAddOf(r.rule)) byFile.set(r.file, r);
    FIRST_FLOW_ADD.set(chain, byFile);
  }
  return byFile;
}

export const bypassedWhenOffloaded: OffloadRule = {
  info: OFFLOAD_RULES.bypassed,
  check(ctx) {
    const rules = allRules(ctx.model);
    const families = new Set(rules.filter((x) => flowAddOf(x.rule.rule)).map((x) => x.table.family));
    if (!families.size) return [];
    const out: Finding[] = [];
    for (const { table, chain, rule } of rules) {
      if (!INET_FAMILIES.includes(table.family)) continue;
      if (chain.hook && !['prerouting', 'forward', 'postrouting'].includes(chain.hook.hook)) continue;
      if (chain.hook?.type === 'nat') continue; // NAT chains see only the first packet anyway
      if (firstPacketsOnly(rule.rule)) continue;
      if (dropsItsPackets(rule.rule, chain.policy, rule === chain.rules[chain.rules.length - 1])) continue;
      const fa = rule.rule.statements.findIndex((s) => s.kind === 'FlowOffload');
      // The `flow add` rule earlier in this chain, if any: moving an accepting rule above it
      // keeps that traffic off the fast path, so its counter/limit/log keeps working.
      const first = firstFlowAddRules(chain).get(rule.file);
      const flowAddRule = first && first.index < rule.index ? first : undefined;
      const accepts = rule.rule.statements.some((s) => s.kind === 'Verdict' && s.verdict === 'accept');
      // limit/quota/meter match only part of the class (the rest falls through to later rules),
      // so moving such a rule would change where the excess goes: no fix for those.
      const conditional = rule.rule.statements.some((s) => s.kind === 'Limit' || s.kind === 'Quota' || (s.kind === 'Generic' && s.keyword === 'meter'));
      const label = chainLabel(chain);
      // A rule that accepts all established traffic is the classic blocker (OFF002), not a class.
      const allEstablished = rule.rule.statements.some((s) => s.kind === 'Match' && s.left.kind === 'Selector' && pathText(s.left.path) === 'ct state' && /established/.test(textOf(s.right)));
      // Only leading matches describe the class (`iifname … tcp dport 5201` before `counter`).
      const leading: A.Statement[] = [];
      for (const st of rule.rule.statements) {
        if (st.kind !== 'Match') break;
        leading.push(st);
      }
      const exclude = fa < 0 && flowAddRule && accepts && !conditional && !allEstablished && leading.length
        ? excludeFromOffload(ctx.textOf(rule.file), { file: rule.file, span: rule.rule.span, text: rule.text, chain: label }, leading.map((m) => m.span), { file: flowAddRule.file, span: flowAddRule.rule.span, text: flowAddRule.text, chain: label })
        : undefined;
      rule.rule.statements.forEach((s, i) => {
        const k = kindOf(s);
        if (!k) return;
        const afterFlowAdd = fa >= 0 && i > fa;
        out.push(finding(this.info, afterFlowAdd
          ? `\`${rule.text}\`: statements after \`flow add\` run only for the packet that offloads the flow, so this ${k} ${CONSEQUENCE[k].replace(/^(stops|no longer|logs|sees|is)/, 'effectively $1')}.`
          : `For offloaded flows this ${k} ${CONSEQUENCE[k]}.`, rule.file, s.span, exclude ? { fixes: [exclude] } : {}));
      });
    }
    return out;
  },
};
