import type { Family } from '../syntax/ast';

/**
 * Which chain types, hooks and named priorities exist per family.
 *
 * Hooks per family: nft `src/rule.c` `hooknum2str` / `str2hooknum` (arp has only
 * input/output; netdev ingress/egress; inet adds ingress, kernel 5.10+).
 * Types per family and hook: nft(8) "CHAINS" table — filter: all families, all hooks;
 * nat: ip, ip6, inet on prerouting, input, output, postrouting; route: ip, ip6, inet
 * on output. The kernel refuses other combinations (`nft_chain_validate_hooks`,
 * `nft_chain_nat.c`, `nft_chain_route.c`).
 * Named priorities: nft(8) "CHAINS" priority table, and nft `src/rule.c`
 * `std_prios`, `bridge_std_prios`, `std_prio_family_hook_compat` (current upstream,
 * which also allows `dstnat` in output and `srcnat` in input).
 */

export const FAMILIES: readonly Family[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

export function isFamily(s: string | undefined): s is Family {
  return !!s && (FAMILIES as readonly string[]).includes(s);
}

const INET_HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

export const HOOKS_BY_FAMILY: Record<Family, readonly string[]> = {
  ip: INET_HOOKS,
  ip6: INET_HOOKS,
  inet: [...INET_HOOKS, 'ingress'],
  bridge: INET_HOOKS,
  arp: ['input', 'output'],
  netdev: ['ingress', 'egress'],
};

export const CHAIN_TYPES = ['filter', 'nat', 'route'] as const;

/** Why a type/hook pair is refused, or undefined if nft and the kernel accept it. */
export function chainTypeProblem(family: Family, type: string, hook: string): string | undefined {
  if (!(CHAIN_TYPES as readonly string[]).includes(type)) return `unknown chain type '${type}'`;
  if (type === 'filter') return undefined;
  const inetish = family === 'ip' || family === 'ip6' || family === 'inet';
  if (type === 'nat') {
    if (!inetish) return `chain type 'nat' is not available in family ${family}`;
    if (!['prerouting', 'input', 'output', 'postrouting'].includes(hook))
      return `chain type 'nat' cannot be attached to hook '${hook}' (only prerouting, input, output, postrouting)`;
    return undefined;
  }
  // route
  if (!inetish) return `chain type 'route' is not available in family ${family}`;
  if (hook !== 'output') return `chain type 'route' can only be attached to hook 'output'`;
  return undefined;
}

/** Base chains on these hooks need a `device` (netdev family, and inet ingress). */
export function needsDevice(family: Family, hook: string): boolean {
  return family === 'netdev' || (family === 'inet' && hook === 'ingress');
}

const STD_PRIOS: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE_PRIOS: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/**
 * The value of a named priority in this family/hook, or a reason why the name is
 * refused there (`'%s' is invalid priority in this context`).
 */
export function namedPriority(family: Family, hook: string | undefined, name: string): { value: number } | { problem: string } {
  if (family === 'bridge') {
    const v = BRIDGE_PRIOS[name];
    if (v === undefined) return { problem: `'${name}' is not a priority name in the bridge family (dstnat, filter, out, srcnat)` };
    const ok =
      name === 'filter' ||
      hook === undefined ||
      (name === 'dstnat' && hook === 'prerouting') ||
      (name === 'out' && hook === 'output') ||
      (name === 'srcnat' && hook === 'postrouting');
    return ok ? { value: v } : { problem: `'${name}' is invalid priority in this context (bridge hook ${hook})` };
  }
  const v = STD_PRIOS[name];
  if (v === undefined) return { problem: `'${name}' is not a priority name (raw, mangle, dstnat, filter, security, srcnat)` };
  if (name === 'filter') return { value: v };
  if (family === 'netdev' || family === 'arp') return { problem: `'${name}' is invalid priority in this context (family ${family} knows only filter)` };
  if (hook === undefined) return { value: v };
  if (name === 'dstnat' && hook !== 'prerouting' && hook !== 'output')
    return { problem: `'dstnat' is invalid priority in this context (hook ${hook}; only prerouting and output)` };
  if (name === 'srcnat' && hook !== 'postrouting' && hook !== 'input')
    return { problem: `'srcnat' is invalid priority in this context (hook ${hook}; only postrouting and input)` };
  return { value: v };
}
