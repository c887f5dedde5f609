import assert from 'node:assert/strict';
import {
  columnValue,
  deviceValues,
  identifierValue,
  sameValue,
  type ResolvedField,
  type ResolvedMapping,
} from '../../src/mapping';
import { makeCellularDevice, makeDevice } from './devices';

function field(more: Partial<ResolvedField> & Pick<ResolvedField, 'field'>): ResolvedField {
  return { columnId: 'c', columnName: 'Target', type: 'text', ...more };
}

const mapping: ResolvedMapping = {
  mappingId: 'm',
  identifier: { field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number' },
  fields: [
    field({ field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number' }),
    field({
      field: 'status',
      columnId: 'c_status',
      columnName: 'Status',
      type: 'list',
      options: ['ASSIGNED'],
    }),
    field({ field: 'color', columnId: 'c_color', columnName: 'Color' }),
  ],
};

describe('value transforms', () => {
  it('writes text as ABM sends it', () => {
    assert.deepEqual(columnValue(makeDevice(1, { color: 'Space Gray' }), field({ field: 'color' })), {
      ok: true,
      value: 'Space Gray',
    });
  });

  it('joins a list with ", " for a text column', () => {
    const device = makeCellularDevice(1, { imei: ['350000000000001', '350000000000002'] });
    assert.deepEqual(columnValue(device, field({ field: 'imei' })), {
      ok: true,
      value: '350000000000001, 350000000000002',
    });
  });

  it('writes a text value into a barcode column unchanged', () => {
    assert.deepEqual(
      columnValue(makeDevice(1, { orderNumber: 'A-1' }), field({ field: 'orderNumber', type: 'barcode' })),
      {
        ok: true,
        value: 'A-1',
      },
    );
  });

  it('trims and upper-cases a serial number as a value and as the identifier', () => {
    const device = makeDevice(1, { serialNumber: '  c02abc123def \n' });
    assert.deepEqual(columnValue(device, field({ field: 'serialNumber' })), {
      ok: true,
      value: 'C02ABC123DEF',
    });
    assert.equal(identifierValue(device, mapping), 'C02ABC123DEF');
  });

  it('writes a date column as the UTC calendar date even when the local date differs', () => {
    // 23:30 in New York is already the next day in UTC; a local-time formatter would say the 1st.
    const device = makeDevice(1, { addedToOrgDateTime: '2026-03-01T23:30:00-05:00' });
    assert.deepEqual(columnValue(device, field({ field: 'addedToOrgDateTime', type: 'date' })), {
      ok: true,
      value: '2026-03-02',
    });
  });

  it('writes a date column from a timestamp just after UTC midnight as that UTC day', () => {
    const device = makeDevice(1, { addedToOrgDateTime: '2026-03-02T00:00:01Z' });
    assert.deepEqual(columnValue(device, field({ field: 'addedToOrgDateTime', type: 'date' })), {
      ok: true,
      value: '2026-03-02',
    });
  });

  it('writes a datetime column as the same instant in ISO 8601 UTC', () => {
    const device = makeDevice(1, { orderDateTime: '2026-03-01T23:30:00+02:00' });
    assert.deepEqual(columnValue(device, field({ field: 'orderDateTime', type: 'datetime' })), {
      ok: true,
      value: '2026-03-01T21:30:00.000Z',
    });
  });

  it('writes a date and time into a text column as ABM sends it', () => {
    const device = makeDevice(1, { orderDateTime: '2026-03-01T23:30:00+02:00' });
    assert.deepEqual(columnValue(device, field({ field: 'orderDateTime', type: 'text' })), {
      ok: true,
      value: '2026-03-01T23:30:00+02:00',
    });
  });

  it('writes a list column value that is one of its options', () => {
    const f = field({ field: 'status', type: 'list', options: ['ASSIGNED', 'UNASSIGNED'] });
    assert.deepEqual(columnValue(makeDevice(1, { status: 'UNASSIGNED' }), f), {
      ok: true,
      value: 'UNASSIGNED',
    });
  });

  it('writes the option’s own spelling when the ABM value differs only in case', () => {
    const f = field({ field: 'status', type: 'list', options: ['Assigned', 'Unassigned'] });
    assert.deepEqual(columnValue(makeDevice(1, { status: 'ASSIGNED' }), f), { ok: true, value: 'Assigned' });
  });

  it('fails a list value that is not an option with INVALID_VALUE naming the column and options', () => {
    const f = field({ field: 'status', columnName: 'ABM Status', type: 'list', options: ['ASSIGNED'] });
    assert.deepEqual(columnValue(makeDevice(1, { status: 'UNASSIGNED' }), f), {
      ok: false,
      reason: "INVALID_VALUE: column 'ABM Status' has no option 'UNASSIGNED' (options: ASSIGNED)",
    });
  });

  it('leaves a column empty when ABM leaves the attribute out, sends null, an empty string or an empty list', () => {
    const f = field({ field: 'color' });
    assert.deepEqual(columnValue(makeDevice(1, { color: undefined }), f), { ok: true, value: null });
    assert.deepEqual(columnValue({ id: 'x', color: null } as never, f), { ok: true, value: null });
    assert.deepEqual(columnValue(makeDevice(1, { color: '' }), f), { ok: true, value: null });
    assert.deepEqual(columnValue(makeDevice(1, { imei: [] }), field({ field: 'imei' })), {
      ok: true,
      value: null,
    });
  });

  it('has no identifier for a device without a serial', () => {
    assert.equal(identifierValue(makeDevice(1, { serialNumber: '  ' }), mapping), null);
  });

  it('collects every value error of a device into one reason', () => {
    const bad = deviceValues(makeDevice(1, { status: 'UNASSIGNED' }), mapping);
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /^INVALID_VALUE: column 'Status' has no option 'UNASSIGNED'/);
  });

  it('treats two spellings of one instant as the same datetime', () => {
    const f = field({ field: 'updatedDateTime', type: 'datetime' });
    assert.equal(sameValue(f, '2026-03-01T21:30:00Z', '2026-03-01T21:30:00.000Z'), true);
    assert.equal(sameValue(f, '2026-03-01T21:30:01Z', '2026-03-01T21:30:00.000Z'), false);
  });

  it('treats an absent, null or empty stored value as equal to an empty wanted value only', () => {
    const f = field({ field: 'color' });
    assert.equal(sameValue(f, undefined, null), true);
    assert.equal(sameValue(f, '', null), true);
    assert.equal(sameValue(f, 'Red', null), false);
    assert.equal(sameValue(f, undefined, 'Red'), false);
  });
});
