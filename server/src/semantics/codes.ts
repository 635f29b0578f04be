import type { RuleInfo } from '../core/catalogue';

/**
 * Findings of the semantic layer. Each one is something `nft -c -f` (or the kernel,
 * during the check-only commit) refuses, unless its severity says otherwise: the
 * warnings depend on files of the target host (/etc/services, /etc/protocols).
 * Codes are stable: never renumber, mark retired ones deprecated instead.
 */
export const SEMANTIC_RULES = {
  internalError: { code: 'SEM000', name: 'internal-error', severity: 'error', summary: 'The semantic analysis hit a bug; the other findings may be incomplete. Please report it.' },
  undefinedVariable: { code: 'SEM001', name: 'undefined-variable', severity: 'error', summary: 'A `$variable` is used where no `define` of that name is visible.' },
  defineRedefinition: { code: 'SEM002', name: 'define-redefinition', severity: 'error', summary: '`define` of a name that is already defined in the same scope; use `redefine`.' },
  undefineUnknown: { code: 'SEM003', name: 'undefine-unknown', severity: 'error', summary: '`undefine` of a name that is not defined.' },
  unknownChain: { code: 'SEM004', name: 'unknown-chain', severity: 'error', summary: 'A `jump`/`goto` or a rule command names a chain that the table does not have.' },
  jumpLoop: { code: 'SEM005', name: 'jump-loop', severity: 'error', summary: '`jump`/`goto` statements form a cycle between chains; the kernel refuses loops.' },
  unknownSet: { code: 'SEM006', name: 'unknown-set', severity: 'error', summary: 'An `@name` reference or `add element` names a set or map that the table does not have.' },
  unknownFlowtable: { code: 'SEM007', name: 'unknown-flowtable', severity: 'error', summary: '`flow add @ft` names a flowtable that is not declared in the same table.' },
  unknownObject: { code: 'SEM008', name: 'unknown-object', severity: 'error', summary: 'A named counter, quota, limit, ct helper/timeout/expectation or secmark is used but not declared in the table.' },
  unknownTable: { code: 'SEM009', name: 'unknown-table', severity: 'error', summary: 'A command adds to a table that is not declared anywhere in the ruleset.' },
  createExisting: { code: 'SEM010', name: 'create-existing', severity: 'error', summary: '`create` of a table, chain, set, flowtable or object that already exists (`File exists`).' },
  conflictingSet: { code: 'SEM011', name: 'conflicting-set-declaration', severity: 'error', summary: 'A set or map is declared twice with different key or data types.' },
  conflictingBaseChain: { code: 'SEM012', name: 'conflicting-base-chain', severity: 'error', summary: 'A base chain is declared twice with a different type, hook or priority.' },
  invalidChainType: { code: 'SEM013', name: 'invalid-chain-type', severity: 'error', summary: 'The chain type is unknown, or not available for this family and hook.' },
  invalidHook: { code: 'SEM014', name: 'invalid-hook', severity: 'error', summary: 'The hook does not exist in this table family.' },
  missingDevice: { code: 'SEM015', name: 'missing-device', severity: 'error', summary: 'A netdev (or inet ingress) base chain has no `device`.' },
  invalidPriorityName: { code: 'SEM016', name: 'invalid-priority-name', severity: 'error', summary: 'A named priority (`dstnat`, `out` ...) that does not exist for this family and hook.' },
  flowtableHook: { code: 'SEM017', name: 'flowtable-hook-not-ingress', severity: 'error', summary: 'A flowtable hook other than `ingress`; the kernel only supports ingress.' },
  flowAddOutsideForward: { code: 'SEM018', name: 'flow-add-outside-forward', severity: 'error', summary: '`flow add` runs in a chain reached from a base chain whose hook is not `forward`.' },
  setElementType: { code: 'SEM019', name: 'set-element-type-mismatch', severity: 'error', summary: 'A set or map element does not fit the declared type.' },
  setIntervalFlag: { code: 'SEM020', name: 'set-interval-flag-missing', severity: 'error', summary: 'A prefix or range element in a named set declared without `flags interval`.' },
  valueTypeMismatch: { code: 'SEM021', name: 'value-type-mismatch', severity: 'error', summary: 'A value of the wrong kind is compared with a selector (e.g. an IPv6 address with `ip saddr`).' },
  unknownService: { code: 'SEM022', name: 'unknown-service-name', severity: 'warning', summary: 'A port name that is not in the usual /etc/services.' },
  unknownProtocol: { code: 'SEM023', name: 'unknown-protocol-name', severity: 'warning', summary: 'A protocol name that is not in the usual /etc/protocols.' },
  unknownCtState: { code: 'SEM024', name: 'unknown-ct-state', severity: 'error', summary: 'A `ct state` value other than new, established, related, invalid or untracked.' },
  includeNotFound: { code: 'SEM025', name: 'include-not-found', severity: 'error', summary: 'An `include` names a file that cannot be read (`File not found`).' },
  includeCycle: { code: 'SEM026', name: 'include-cycle', severity: 'error', summary: 'An `include` includes a file that is already being included (a cycle).' },
  includeTooDeep: { code: 'SEM027', name: 'include-too-deep', severity: 'error', summary: 'Includes nest more than 16 levels deep.' },
} as const satisfies Record<string, RuleInfo>;

export type SemanticRuleKey = keyof typeof SEMANTIC_RULES;
