import assert from 'node:assert/strict';
import type { AbmDevice } from '../../src/abm/device';
import { dedupeByIdentifier } from '../../src/mapping';

const device = (id: string, serial: string | undefined, updated: string, model = 'iPad'): AbmDevice => ({
  id,
  ...(serial === undefined ? {} : { serialNumber: serial }),
  updatedDateTime: updated,
  deviceModel: model,
});

describe('dedupeByIdentifier', () => {
  it('keeps one device per identifier across the whole page, the copy ABM updated last', () => {
    const page = [
      device('A', 'c02abc', '2026-01-01T00:00:00Z', 'old'),
      device('B', 'C02XYZ', '2026-01-01T00:00:00Z'),
      device('A2', ' C02ABC ', '2026-02-01T00:00:00Z', 'new'),
    ];
    const { devices, repeats } = dedupeByIdentifier(page, 'serialNumber');
    assert.equal(repeats, 1);
    assert.deepEqual(
      devices.map((d) => d.id),
      ['A2', 'B'],
    );
    assert.equal(devices[0].deviceModel, 'new');
  });

  it('keeps every device that has no identifier value, so each can fail on its own', () => {
    const page = [
      device('X', undefined, '2026-01-01T00:00:00Z'),
      device('Y', undefined, '2026-01-01T00:00:00Z'),
    ];
    assert.equal(dedupeByIdentifier(page, 'serialNumber').devices.length, 2);
  });

  it('compares list identifiers as ABM sends them', () => {
    const a: AbmDevice = { id: 'A', imei: ['1', '2'], updatedDateTime: '2026-01-01T00:00:00Z' };
    const b: AbmDevice = { id: 'B', imei: ['1', '2'], updatedDateTime: '2026-01-02T00:00:00Z' };
    const c: AbmDevice = { id: 'C', imei: ['3'], updatedDateTime: '2026-01-02T00:00:00Z' };
    assert.deepEqual(
      dedupeByIdentifier([a, b, c], 'imei').devices.map((d) => d.id),
      ['B', 'C'],
    );
  });
});
