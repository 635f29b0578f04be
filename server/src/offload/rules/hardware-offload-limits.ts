import { OFFLOAD_RULES } from '../codes';
import { finding, type OffloadRule } from '../offload-context';

/**
 * OFF007: `flags offload` asks every listed device's driver to take the flows (TC_SETUP_FT). Upstream the
 * whole transaction fails with EOPNOTSUPP if one device refuses (veth, most virtual devices); OpenWrt kernels
 * tolerate it per device (offload.md S17, §2.1; measured on veth in §7). Drivers in 6.18: mtk_eth_soc PPE,
 * mtk_wed, airoha, mlx5 representors, DSA user ports (§2.1). Limits: TCP/UDP only on MediaTek, no IPv6 NAT,
 * no per-flow counters on MT7621/MT7623, qdiscs/SQM bypassed (§2.2, H06).
 */
const VIRTUAL = /^(veth|wg|tun|tap|br-|br\d|bond|dummy|lo$|ppp|pppoe-|gre|ipip|vxlan|docker|virbr)/;

export const hardwareOffloadLimits: OffloadRule = {
  info: OFFLOAD_RULES.hardware,
  check(ctx) {
    const out = [];
    for (const t of ctx.model.tables.values()) {
      for (const ft of t.flowtables.values()) {
        if (!ft.flags.includes('offload')) continue;
        const virtual = ft.devices.filter((d) => VIRTUAL.test(d));
        out.push(finding(this.info,
          `Flowtable ${ft.name} has \`flags offload\`: every listed device's driver must support flow offload (mtk_eth_soc, mtk_wed, airoha, mlx5, DSA ports of those), otherwise an upstream kernel refuses the flowtable (Operation not supported); offloaded flows bypass qdiscs (no SQM shaping), GRE and IPv6 NAT stay in software on MediaTek, and MT7621/MT7623 report no per-flow counters.${virtual.length ? ` ${virtual.map((v) => `\`${v}\``).join(', ')} ${virtual.length > 1 ? 'look like virtual devices, which have' : 'looks like a virtual device, which has'} no hardware flow offload.` : ''}`,
          ft.decl.file, ft.decl.span));
      }
    }
    return out;
  },
};
