import assert from 'node:assert/strict';
import type { ApRecord } from '../../src/assetpanda';
import { planUpsert, type ResolvedMapping } from '../../src/mapping';
import { makeDevice } from './devices';

const mapping: ResolvedMapping = {
  mappingId: 'm',
  identifier: { field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number' },
  fields: [
    { field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number', type: 'text' },
    { field: 'color', columnId: 'c_color', columnName: 'Color', type: 'text' },
    { field: 'updatedDateTime', columnId: 'c_upd', columnName: 'Updated', type: 'datetime' },
  ],
};

function record(id: string, values: Record<string, unknown>): ApRecord {
  return { id, values };
}

const UPDATED = '2025-02-01T12:00:00.000Z';

describe('upsert planner', () => {
  it('creates a device no record holds, leaving its empty columns unset', () => {
    const plan = planUpsert([makeDevice(1, { color: undefined })], [], mapping);
    assert.deepEqual(plan.creates, [
      {
        key: 'C02T00000001',
        serialNumber: 'C02T00000001',
        values: { c_serial: 'C02T00000001', c_upd: UPDATED },
      },
    ]);
    assert.equal(plan.devicesSeen, 1);
  });

  it('leaves a record unchanged when every mapped column already matches', () => {
    const existing = [
      record('r1', {
        c_serial: 'C02T00000001',
        c_color: 'MIDNIGHT',
        c_upd: UPDATED,
        c_notes: 'typed by a person',
      }),
    ];
    const plan = planUpsert([makeDevice(1)], existing, mapping);
    assert.equal(plan.unchanged.length, 1);
    assert.deepEqual([plan.creates, plan.updates, plan.failures], [[], [], []]);
  });

  it('updates only the columns that differ', () => {
    const existing = [record('r1', { c_serial: 'C02T00000001', c_color: 'SILVER', c_upd: UPDATED })];
    const plan = planUpsert([makeDevice(1)], existing, mapping);
    assert.deepEqual(plan.updates, [
      { key: 'C02T00000001', serialNumber: 'C02T00000001', recordId: 'r1', changes: { c_color: 'MIDNIGHT' } },
    ]);
  });

  it('clears with null a column the record holds but ABM now leaves empty', () => {
    const existing = [record('r1', { c_serial: 'C02T00000001', c_color: 'SILVER', c_upd: UPDATED })];
    const plan = planUpsert([makeDevice(1, { color: undefined })], existing, mapping);
    assert.deepEqual(plan.updates[0]?.changes, { c_color: null });
  });

  it('never writes columns the mapping does not name', () => {
    const existing = [
      record('r1', { c_serial: 'C02T00000001', c_color: 'SILVER', c_upd: UPDATED, c_notes: 'keep me' }),
    ];
    const plan = planUpsert([makeDevice(1)], existing, mapping);
    assert.equal('c_notes' in (plan.updates[0]?.changes ?? {}), false);
  });

  it('matches a device to its record through the normalised serial', () => {
    const existing = [record('r1', { c_serial: 'C02T00000001', c_color: 'MIDNIGHT', c_upd: UPDATED })];
    const plan = planUpsert([makeDevice(1, { serialNumber: ' c02t00000001 ' })], existing, mapping);
    assert.equal(plan.unchanged.length, 1);
  });

  it('makes one record of a serial listed twice, keeping the latest updatedDateTime and reporting it', () => {
    const newer = makeDevice(1, { color: 'BLUE', updatedDateTime: '2025-03-01T00:00:00Z' });
    const older = makeDevice(1, { color: 'RED', updatedDateTime: '2025-01-01T00:00:00Z' });
    const plan = planUpsert([newer, older], [], mapping);
    assert.equal(plan.creates.length, 1);
    assert.equal(plan.creates[0]?.values.c_color, 'BLUE');
    assert.equal(plan.devicesSeen, 1);
    assert.equal(plan.notices.length, 1);
    assert.match(plan.notices[0]?.reason ?? '', /listed 2 times/);
  });

  it('skips and reports a device whose identifier two existing records hold, never guessing', () => {
    const existing = [
      record('r1', { c_serial: 'C02T00000001', c_color: 'MIDNIGHT' }),
      record('r2', { c_serial: 'C02T00000001', c_color: 'SILVER' }),
    ];
    const plan = planUpsert([makeDevice(1)], existing, mapping);
    assert.deepEqual([plan.creates, plan.updates, plan.unchanged], [[], [], []]);
    assert.equal(plan.failures.length, 1);
    assert.match(
      plan.failures[0]?.reason ?? '',
      /^DUPLICATE_RECORDS: records r1, r2 all hold 'C02T00000001'/,
    );
  });

  it('reports a device without an identifier value and never creates it blank', () => {
    const plan = planUpsert([makeDevice(1, { serialNumber: undefined })], [], mapping);
    assert.deepEqual(plan.creates, []);
    assert.equal(plan.failures[0]?.serialNumber, '(no serial; ABM id ABM00000001)');
    assert.match(plan.failures[0]?.reason ?? '', /^NO_IDENTIFIER/);
    assert.equal(plan.devicesSeen, 1);
  });

  it('counts every device once across create, update, unchanged and failed', () => {
    const existing = [
      record('r2', { c_serial: 'C02T00000002', c_color: 'MIDNIGHT', c_upd: UPDATED }),
      record('r3', { c_serial: 'C02T00000003', c_color: 'SILVER', c_upd: UPDATED }),
    ];
    const devices = [
      makeDevice(1),
      makeDevice(2),
      makeDevice(3),
      makeDevice(4, { serialNumber: undefined }),
      makeDevice(1),
    ];
    const plan = planUpsert(devices, existing, mapping);
    const sum = plan.creates.length + plan.updates.length + plan.unchanged.length + plan.failures.length;
    assert.equal(plan.devicesSeen, 4);
    assert.equal(sum, 4);
  });
});
