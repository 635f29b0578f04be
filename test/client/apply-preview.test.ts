// Pure: the pre-apply sentence from live flows and the real per-device hardware preview of a
// local ruleset's flowtable (real offload analysis for the flowtable; flow predictions either from
// the real predictor or written out, since conntrack gives the predictor no interfaces).
import { describe, expect, it } from 'vitest';
import type { FlowRow, PredictedPath } from '../../server/src/remote';
import { applyPreviewSentence, countApplyPreview } from '../../server/src/preview';
import { predictRuleset } from '../../server/src/preview';
import { buildHwPreview } from '../../server/src/preview';
import { clientFixture, facts, fixtureReport } from './helpers';

const local = (devices = 'eth0, lan1', flags = 'flags offload') =>
  predictRuleset('local.nft', clientFixture('offload-tcp.nft').replace('devices = { eth0, lan1 }', `devices = { ${devices} }`).replace('flags offload', flags));
const base = fixtureReport().flows[0];
const rows = (...predicted: PredictedPath[]): FlowRow[] => predicted.map((p, i) => ({ ...base, sport: 1000 + i, predicted: p, reasons: [] }));
const sentence = (flows: FlowRow[], devices?: string, flags?: string) => applyPreviewSentence(flows, buildHwPreview(facts(), local(devices, flags).flowtables));

describe('apply preview', () => {
  it('all devices of the offload flowtable hardware-capable: hardware', () => {
    const flows = rows('hw-offload', 'hw-offload', 'hw-offload', 'slow', 'dropped');
    expect(countApplyPreview(flows, buildHwPreview(facts(), local().flowtables))).toMatchObject({ hardware: 3, software: 0, slow: 1, dropped: 1 });
    expect(sentence(flows)).toBe('3 live flows would move to hardware, 1 takes the slow path, 1 would be dropped.');
  });
  it('devices without TC_SETUP_FT: flows stay in software, with the driver reason', () => {
    expect(sentence(rows('hw-offload', 'hw-offload'), 'usb0')).toBe(
      '2 live flows stay in software because driver cdc_ether of usb0 does not implement TC_SETUP_FT; flows stay in the software fast path.',
    );
  });
  it('no flags offload: software fast path; mixed devices: depends on the interface', () => {
    expect(sentence(rows('sw-offload'), 'eth0', '')).toBe('1 live flow stays in software because the flowtable has no `flags offload`.');
    expect(sentence(rows('hw-offload', 'hw-offload', 'slow'), 'eth0, usb0')).toBe('2 live flows go to hardware or software depending on their interfaces, 1 takes the slow path.');
  });
  it('real predictions of the captured flows (interfaces unknown to conntrack)', () => {
    expect(sentence(fixtureReport('offload-tcp.nft').flows)).toBe(
      '1 live flow takes the slow path, 1 would be dropped, 3 cannot be predicted (they depend on facts conntrack does not show, such as interfaces).',
    );
  });
  it('a ruleset without flowtable, and no live flows', () => {
    const flows = fixtureReport('offload-tcp.nft').flows;
    expect(applyPreviewSentence(flows, { flowtables: [] })).toBe('The new ruleset has no flowtable: all 5 live flows would take the slow path.');
    expect(applyPreviewSentence([], { flowtables: [] })).toBeUndefined();
  });
});
