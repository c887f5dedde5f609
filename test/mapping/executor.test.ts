import assert from 'node:assert/strict';
import type { RecordStore } from '../../src/assetpanda';
import { ApiError } from '../../src/http';
import { upsertDevices, type BatchResult } from '../../src/mapping';
import { WRITE_ROUTES } from '../../src/sim/assetpanda';
import { startHarness, type Harness } from '../assetpanda/harness';
import { makeCellularDevice, makeDevice, makeDevices } from './devices';
import type { AbmDevice } from '../../src/abm/device';

describe('upsertDevices over HTTP against the simulator', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  function upsert(devices: AbmDevice[], client: RecordStore = h.client): Promise<BatchResult> {
    return upsertDevices({ client, target: h.target, mapping: h.mapping, devices });
  }

  function writes(): number {
    return h.sim.requestTotal(WRITE_ROUTES);
  }

  function recordsBySerial(): Map<string, Record<string, unknown>> {
    const serialColumn = h.seeded.columnIds['Serial Number'];
    return new Map(h.sim.records(h.target.collectionId).map((r) => [String(r[serialColumn]), r]));
  }

  it('creates new devices with every mapped field as interface.md says values land', async () => {
    h = await startHarness();
    const result = await upsert([makeCellularDevice(1, { serialNumber: ' dmpx1 ' })]);
    assert.deepEqual(result, {
      devicesSeen: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      failed: 0,
      failures: [],
      notices: [],
    });
    const stored = recordsBySerial().get('DMPX1');
    const ids = h.seeded.columnIds;
    assert.equal(stored?.[ids['IMEI']], '350000000000001, 360000000000001');
    assert.equal(stored?.[ids['Status']], 'ASSIGNED');
    assert.equal(stored?.[ids['Added to Org Date Time']], '2025-01-02T03:04:05.000Z');
    assert.equal(ids['Ethernet MAC Address'] in (stored ?? {}), false, 'an absent attribute stays unset');
  });

  it('writes nothing the second time the same batch runs', async () => {
    h = await startHarness();
    const devices = makeDevices(150);
    await upsert(devices);
    h.sim.resetCounters();
    const again = await upsert(devices);
    assert.equal(writes(), 0);
    assert.deepEqual([again.created, again.updated, again.unchanged, again.failed], [0, 0, 150, 0]);
  });

  it('updates only the changed columns and keeps columns the mapping does not name', async () => {
    h = await startHarness();
    await upsert([makeDevice(1)]);
    const [recordId] = h.sim.records(h.target.collectionId).map((r) => r.id);
    const notes = h.seeded.columnIds['Notes'];
    // A person typed a note into the record between syncs.
    await h.client.updateRecords(h.target, [{ recordId, values: { [notes]: 'desk 4' } }]);
    const result = await upsert([
      makeDevice(1, { color: 'STARLIGHT', updatedDateTime: '2025-03-01T00:00:00Z' }),
    ]);
    assert.equal(result.updated, 1);
    const stored = recordsBySerial().get('C02T00000001');
    assert.equal(stored?.[h.seeded.columnIds['Color']], 'STARLIGHT');
    assert.equal(stored?.[notes], 'desk 4');
  });

  it('clears a column on update when ABM now leaves the attribute empty', async () => {
    h = await startHarness();
    await upsert([makeDevice(1)]);
    await upsert([makeDevice(1, { orderNumber: '' })]);
    const stored = recordsBySerial().get('C02T00000001');
    assert.equal(h.seeded.columnIds['Order Number'] in (stored ?? {}), false);
  });

  it('never touches a record whose identifier is not in the batch', async () => {
    h = await startHarness();
    const serial = h.seeded.columnIds['Serial Number'];
    h.sim.addRecords(h.target.collectionId, [
      { [serial]: 'NOTINABM1', [h.seeded.columnIds['Color']]: 'RED' },
    ]);
    const before = h.sim.records(h.target.collectionId);
    await upsert(makeDevices(5));
    assert.deepEqual(
      h.sim.records(h.target.collectionId).find((r) => r[serial] === 'NOTINABM1'),
      before[0],
    );
  });

  it('leaves no duplicate when a create’s answer is lost and the batch is retried', async () => {
    h = await startHarness();
    const devices = makeDevices(120);
    h.sim.faults.set({ loseAnswers: 1 }, 'create');
    await assert.rejects(
      upsert(devices),
      (err: unknown) => err instanceof ApiError && err.kind === 'transient',
    );
    h.sim.resetCounters();
    const retry = await upsert(devices);
    assert.equal(h.sim.records(h.target.collectionId).length, 120);
    assert.deepEqual(h.sim.duplicates(), []);
    assert.equal(retry.devicesSeen, 120);
    assert.equal(retry.created + retry.unchanged, 120);
    assert.equal(retry.unchanged >= 100, true, 'the 100 created before the answer was lost are not re-sent');
  });

  it('turns a UNIQUE_VIOLATION on create into a lookup and an update', async () => {
    h = await startHarness();
    const serial = h.seeded.columnIds['Serial Number'];
    // Another writer creates the record after our lookup and before our create.
    const racing: RecordStore = {
      findByUnique: async (target, columnId, values) => {
        racing.findByUnique = h.client.findByUnique.bind(h.client);
        const found = await h.client.findByUnique(target, columnId, values);
        h.sim.addRecords(h.target.collectionId, [
          { [serial]: 'C02T00000001', [h.seeded.columnIds['Color']]: 'RED' },
        ]);
        return found;
      },
      createRecords: (t, r) => h.client.createRecords(t, r),
      updateRecords: (t, r) => h.client.updateRecords(t, r),
    };
    const result = await upsert([makeDevice(1), makeDevice(2)], racing);
    assert.deepEqual([result.created, result.updated, result.failed], [1, 1, 0]);
    assert.equal(recordsBySerial().get('C02T00000001')?.[h.seeded.columnIds['Color']], 'MIDNIGHT');
    assert.deepEqual(h.sim.duplicates(), []);
  });

  it('fails only the device that leaves a required column empty, with the column named', async () => {
    h = await startHarness({ seed: { required: ['Color'] } });
    const result = await upsert([makeDevice(1), makeDevice(2, { color: undefined }), makeDevice(3)]);
    assert.deepEqual([result.created, result.failed], [2, 1]);
    assert.deepEqual(result.failures, [
      { serialNumber: 'C02T00000002', reason: "REQUIRED: column 'Color' has no value" },
    ]);
    assert.equal(h.sim.records(h.target.collectionId).length, 2);
  });

  it('fails only the device whose list value is not an option', async () => {
    h = await startHarness();
    const result = await upsert([makeDevice(1), makeDevice(2, { status: 'LOST' }), makeDevice(3)]);
    assert.deepEqual([result.created, result.failed], [2, 1]);
    assert.equal(result.failures[0]?.serialNumber, 'C02T00000002');
    assert.match(result.failures[0]?.reason ?? '', /^INVALID_VALUE: column 'Status' has no option 'LOST'/);
  });

  it('counts a serial listed twice once and creates one record', async () => {
    h = await startHarness();
    const result = await upsert([
      makeDevice(1),
      makeDevice(2),
      makeDevice(1, { updatedDateTime: '2025-05-01T00:00:00Z' }),
    ]);
    assert.deepEqual([result.devicesSeen, result.created], [2, 2]);
    assert.equal(result.notices.length, 1);
    assert.equal(h.sim.records(h.target.collectionId).length, 2);
  });

  it('skips and reports a device two existing records claim, writing neither', async () => {
    h = await startHarness();
    const serial = h.seeded.columnIds['Serial Number'];
    h.sim.addRecords(h.target.collectionId, [{ [serial]: 'C02T00000001' }, { [serial]: 'C02T00000001' }], {
      enforce: false,
    });
    h.sim.resetCounters();
    const result = await upsert([makeDevice(1)]);
    assert.equal(result.failed, 1);
    assert.match(result.failures[0]?.reason ?? '', /^DUPLICATE_RECORDS/);
    assert.equal(writes(), 0);
  });

  it('reports a device without a serial and creates nothing for it', async () => {
    h = await startHarness();
    const result = await upsert([makeDevice(1, { serialNumber: undefined })]);
    assert.deepEqual([result.devicesSeen, result.failed, result.created], [1, 1, 0]);
    assert.equal(h.sim.records(h.target.collectionId).length, 0);
  });

  it('throws a 429 as a throttled ApiError carrying Retry-After so the caller retries the batch', async () => {
    h = await startHarness();
    h.sim.faults.set({ burst429: 1, retryAfterSeconds: 7 }, 'search');
    await assert.rejects(
      upsert(makeDevices(3)),
      (err: unknown) => err instanceof ApiError && err.kind === 'throttled' && err.retryAfterMs === 7000,
    );
    assert.equal((await upsert(makeDevices(3))).created, 3);
  });

  it('throws a 5xx as a transient ApiError and a retry completes the batch', async () => {
    h = await startHarness();
    h.sim.faults.set({ burst5xx: 1, status5xx: 502, body5xx: 'html' }, 'create');
    await assert.rejects(
      upsert(makeDevices(3)),
      (err: unknown) => err instanceof ApiError && err.kind === 'transient',
    );
    assert.equal((await upsert(makeDevices(3))).created, 3);
  });

  it('fails clearly and fatally with a read-only key', async () => {
    h = await startHarness();
    const readOnly = h.clientWith(h.sim.readOnlyCredentials);
    await assert.rejects(upsert(makeDevices(2), readOnly), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.kind, 'fatal');
      assert.equal(err.status, 403);
      assert.match(err.message, /lacks write permission or the tenant is not accessible/);
      return true;
    });
  });

  it('costs at most 30 requests for 1,000 new devices and at most 10 for 1,000 unchanged', async () => {
    h = await startHarness();
    const devices = makeDevices(1000);
    const created = await upsert(devices);
    const newCost = h.sim.requestTotal();
    h.sim.resetCounters();
    const unchanged = await upsert(devices);
    const unchangedCost = h.sim.requestTotal();
    assert.deepEqual([created.created, unchanged.unchanged], [1000, 1000]);
    assert.ok(newCost <= 30, `1,000 new devices cost ${newCost} requests`);
    assert.ok(unchangedCost <= 10, `1,000 unchanged devices cost ${unchangedCost} requests`);
  });
});
