import assert from 'node:assert/strict';
import { addBatch, addRejected, newState, reportOf, statusOf } from '../../src/workflows/state';

const ids = { mappingId: 'm', workflowId: 'abm-sync-m' };
const settings = { pageSize: 10, batchSize: 5, parallelism: 2, continueAsNewEveryPages: 100 };

describe('sync state', () => {
  it('shows a pause while the sync is under way', () => {
    const s = newState('2026-12-04T10:00:00.000Z', settings);
    s.paused = true;
    assert.equal(statusOf(s, 'upserting', ids, 'now').phase, 'paused');
  });

  it('shows how a finished run finished even when a pause arrived at the end', () => {
    const s = newState('2026-12-04T10:00:00.000Z', settings);
    s.paused = true;
    for (const phase of ['completed', 'completed_with_errors', 'failed'] as const) {
      assert.equal(statusOf(s, phase, ids, 'now').phase, phase);
    }
  });

  it('counts rejected devices as seen and failed, so the report adds up', () => {
    const s = newState('2026-12-04T10:00:00.000Z', settings);
    addBatch(s, {
      devicesSeen: 3,
      created: 2,
      updated: 0,
      unchanged: 1,
      failed: 0,
      failures: [],
      throttledWaits: 0,
    });
    addRejected(s, [{ serialNumber: 'X', reason: 'INVALID_DEVICE: …' }]);
    const r = reportOf(s, 'm', 'later');
    assert.equal(r.devicesSeen, 4);
    assert.equal(r.devicesSeen, r.created + r.updated + r.unchanged + r.failed);
    assert.equal(r.status, 'completed_with_errors');
  });

  it('keeps the first 1,000 failures in the report and counts them all', () => {
    const s = newState('2026-12-04T10:00:00.000Z', settings);
    const failures = Array.from({ length: 1200 }, (_, i) => ({ serialNumber: `S${i}`, reason: 'REQUIRED' }));
    addBatch(s, {
      devicesSeen: 1200,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 1200,
      failures,
      throttledWaits: 0,
    });
    const r = reportOf(s, 'm', 'later');
    assert.equal(r.failed, 1200);
    assert.equal(r.failures.length, 1000);
    assert.equal(r.failures[0].serialNumber, 'S0');
  });
});
