import { createHash } from 'node:crypto';
import { SAFE_APPLY_SCRIPT } from './safe-apply-script';

/**
 * Every command string this extension ever sends to a router. Invariant: these are compile-time
 * constants; no user data is ever spliced into them (rulesets, tokens and names go on stdin).
 * `RouterCommand` is branded so `RouterSession.exec` cannot be handed any other string.
 */
export type RouterCommand = string & { readonly __routerCommand: unique symbol };
const cmd = (s: string) => s as RouterCommand;

export const SAFE_APPLY_SHA256 = createHash('sha256').update(SAFE_APPLY_SCRIPT).digest('hex');
/** Path includes the script's hash, so two versions of the extension never run each other's helper. */
export const SAFE_APPLY_PATH = `/tmp/nft-offload/safe-apply-${SAFE_APPLY_SHA256.slice(0, 16)}.sh`;

export const RouterCommands = {
  /** Kernel-validated dry run of the ruleset on stdin. */
  check: cmd('nft -c -f -'),
  listRuleset: cmd('nft list ruleset'),
  listFlowtables: cmd('nft list flowtables'),
  /** Prints "openwrt" on OpenWrt, then `nft list tables`. */
  detect: cmd('if [ -e /etc/openwrt_release ]; then echo openwrt; fi; nft list tables'),
  /** rc 127 when conntrack-tools is absent: fall back to `procConntrack`. */
  conntrack: cmd('conntrack -L'),
  procConntrack: cmd('cat /proc/net/nf_conntrack'),
  conntrackAcct: cmd('cat /proc/sys/net/netfilter/nf_conntrack_acct'),
  /** The router's own addresses (flow-routing.ts: is the router an endpoint, connected networks). */
  ipAddrs: cmd('ip -o addr show'),
  /**
   * The kernel's route for each address on stdin (one per line, validated IPs only): `= ADDR`, then
   * `ip -o route get`'s answer. Gives the interfaces a live flow crosses (conntrack has none).
   */
  routeGet: cmd('while read -r a; do echo "= $a"; ip -o route get "$a" 2>&1; done'),
  /** Installs the helper from stdin atomically, prints its sha256 for verification. */
  installSafeApply: cmd(
    `umask 077; mkdir -p /tmp/nft-offload && [ ! -L /tmp/nft-offload ] && [ -O /tmp/nft-offload ] && ` +
      `cat > /tmp/nft-offload/.upload.$$ && mv -f /tmp/nft-offload/.upload.$$ ${SAFE_APPLY_PATH} && sha256sum ${SAFE_APPLY_PATH}`,
  ),
  safeApply: cmd(`sh ${SAFE_APPLY_PATH} apply`),
  safeConfirm: cmd(`sh ${SAFE_APPLY_PATH} confirm`),
  safeRollback: cmd(`sh ${SAFE_APPLY_PATH} rollback`),
  safeStatus: cmd(`sh ${SAFE_APPLY_PATH} status`),
  /** Inputs for the hardware-acceleration preview (parsed by hw-preview.ts). */
  kernelRelease: cmd('uname -r'),
  ipDetailLink: cmd('ip -d link show'),
  /** PPPoE sessions and their Ethernet devices (device-links.ts); empty without PPPoE. */
  pppoeSessions: cmd('cat /proc/net/pppoe 2>/dev/null; true'),
  /** Kernel release, then `openwrt` on OpenWrt: whether the kernel resolves devices below (device-links.ts). */
  kernelAndDistro: cmd('uname -r; if [ -e /etc/openwrt_release ]; then echo openwrt; fi'),
  driverNames: cmd(
    'for d in /sys/class/net/*; do n=${d##*/}; l=$(readlink "$d/device/driver" 2>/dev/null); echo "$n ${l##*/}"; done',
  ),
  ethtoolFeatures: cmd(
    'for d in /sys/class/net/*; do n=${d##*/}; echo "Features for $n:"; ethtool -k "$n" 2>/dev/null | grep hw-tc-offload; done',
  ),
  ppeBind: cmd('cat /sys/kernel/debug/ppe*/bind /sys/kernel/debug/mtk_ppe/bind 2>/dev/null; true'),
} as const;
