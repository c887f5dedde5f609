import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { abmSyncWorkflow } from '../../src/workflows';
import {
  pauseSignal,
  resumeSignal,
  resyncSignal,
  statusQuery,
  syncWorkflowId,
} from '../../src/shared/messages';
import type { RunReport, SyncStatus } from '../../src/shared/types';
import { fakeActivities, serialOf, type FakeActivities } from '../support/fake-activities';
import { getTimeSkipping, uniqueTaskQueue, withWorker, type TestTemporal } from '../support/temporal';
import { until } from '../support/wait';

describe('abmSyncWorkflow (time-skipping server)', function () {
  this.timeout(120_000);
  let t: TestTemporal;

  before(async function () {
    this.timeout(120_000);
    t = await getTimeSkipping();
  });

  function run(
    fake: FakeActivities,
    settings: Record<string, number> = {},
    mappingId = `m-${Math.random().toString(36).slice(2, 8)}`,
  ) {
    const taskQueue = uniqueTaskQueue('wf');
    return {
      mappingId,
      taskQueue,
      within: <R>(fn: () => Promise<R>) => withWorker(t, { taskQueue, activities: fake.activities }, fn),
      start: () =>
        t.client.workflow.start(abmSyncWorkflow, {
          taskQueue,
          workflowId: syncWorkflowId(mappingId),
          args: [{ mappingId, settings: { pageSize: 10, batchSize: 5, parallelism: 2, ...settings } }],
        }),
    };
  }

  it('pages through the whole fleet and reports every device once', async () => {
    const fake = fakeActivities({ devices: 35 });
    const r = run(fake);
    const report = await r.within(async () => (await r.start()).result());
    assert.equal(report.status, 'completed');
    assert.equal(report.devicesSeen, 35);
    assert.equal(report.created, 35);
    assert.equal(report.pages, 4);
    assert.deepEqual(fake.fetches, [null, '10', '20', '30']);
    assert.equal(new Set(fake.upserted).size, 35);
    assert.equal(fake.upserted.length, 35);
  });

  it('runs no activity while paused, even across hours, and resumes from the held cursor', async () => {
    const fake = fakeActivities({ devices: 40, holdAtPage: 1 });
    const r = run(fake);
    const report = await r.within(async () => {
      const h = await r.start();
      await fake.hold.reached;
      await h.signal(pauseSignal);
      fake.hold.release();
      const paused = await until(
        'phase paused',
        () => h.query(statusQuery),
        (s: SyncStatus) => s.phase === 'paused',
      );
      const fetchesAtPause = fake.fetches.length;
      const upsertsAtPause = fake.upserted.length;
      await t.env!.sleep('6 hours');
      assert.equal(fake.fetches.length, fetchesAtPause, 'no page fetched while paused');
      assert.equal(fake.upserted.length, upsertsAtPause, 'no batch upserted while paused');
      const still = await h.query(statusQuery);
      assert.equal(still.phase, 'paused');
      assert.equal(still.devicesSeen, paused.devicesSeen);
      await h.signal(resumeSignal);
      return h.result();
    });
    assert.equal(report.status, 'completed');
    assert.equal(report.devicesSeen, 40);
    assert.deepEqual(fake.fetches, [null, '10', '20', '30'], 'each page fetched once: the cursor held');
  });

  it('restarts the scan from the first page after the batch in flight when asked to resync', async () => {
    const fake = fakeActivities({ devices: 30, holdAtPage: 1 });
    const r = run(fake);
    const report = await r.within(async () => {
      const h = await r.start();
      await fake.hold.reached;
      await h.signal(resyncSignal);
      fake.hold.release();
      return h.result();
    });
    assert.deepEqual(fake.fetches, [null, '10', null, '10', '20']);
    assert.equal(report.scanRestarts, 1);
    assert.equal(report.devicesSeen, 30, 'the report describes the complete pass');
    assert.equal(report.status, 'completed');
  });

  it('answers the status query with phase and counts', async () => {
    const fake = fakeActivities({ devices: 30, holdAtPage: 2 });
    const r = run(fake);
    await r.within(async () => {
      const h = await r.start();
      await fake.hold.reached;
      const s = await h.query(statusQuery);
      assert.equal(s.phase, 'fetching');
      assert.equal(s.pages, 2);
      assert.equal(s.devicesSeen, 20);
      assert.equal(s.created, 20);
      assert.equal(s.mappingId, r.mappingId);
      assert.equal(s.workflowId, syncWorkflowId(r.mappingId));
      assert.equal(s.paused, false);
      fake.hold.release();
      await h.result();
      const done = await h.query(statusQuery);
      assert.equal(done.phase, 'completed');
    });
  });

  it('produces the same report when it continues as new after every page', async () => {
    const plain = fakeActivities({ devices: 45, invalidSerials: [serialOf(7)] });
    const a = run(plain);
    const withoutCan = await a.within(async () => (await a.start()).result());
    const can = fakeActivities({ devices: 45, invalidSerials: [serialOf(7)] });
    const b = run(can, { continueAsNewEveryPages: 1 });
    const withCan = await b.within(async () => (await b.start()).result());
    const strip = (x: RunReport) => ({ ...x, mappingId: '', startedAt: '', finishedAt: '', runs: 0 });
    assert.deepEqual(strip(withCan), strip(withoutCan));
    assert.equal(withCan.runs, 5, 'one run per page');
    assert.deepEqual(can.fetches, plain.fetches);
  });

  it('waits out a 429 with a 30-minute Retry-After and completes', async () => {
    const fake = fakeActivities({ devices: 20, throttlePage: { page: 1, retryAfterMs: 30 * 60_000 } });
    const r = run(fake);
    const report = await r.within(async () => (await r.start()).result());
    assert.equal(report.status, 'completed');
    assert.equal(report.devicesSeen, 20);
    assert.equal(report.throttledWaits, 1);
  });

  it('fails the run within seconds, with the message, when credentials are refused', async () => {
    const fake = fakeActivities({ devices: 20, badCredentials: true });
    const r = run(fake);
    const started = Date.now();
    const err = await r.within(async () =>
      (await r.start()).result().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
    assert.match(String(err.cause?.message), /invalid_client\): check the Client ID, Key ID and key file/);
    assert.ok(Date.now() - started < 15_000);
    assert.equal(fake.fetches.length, 0);
  });

  it('restarts the scan when ABM rejects an expired cursor', async () => {
    const fake = fakeActivities({ devices: 30, expireCursorAtPage: 2 });
    const r = run(fake);
    const report = await r.within(async () => (await r.start()).result());
    assert.deepEqual(fake.fetches, [null, '10', null, '10', '20']);
    assert.equal(report.scanRestarts, 1);
    assert.equal(report.devicesSeen, 30);
    assert.equal(report.status, 'completed');
  });

  it('ends completed_with_errors, naming the serial, when one device is invalid', async () => {
    const fake = fakeActivities({ devices: 25, invalidSerials: [serialOf(13)] });
    const r = run(fake);
    const report = await r.within(async () => (await r.start()).result());
    assert.equal(report.status, 'completed_with_errors');
    assert.equal(report.failed, 1);
    assert.equal(report.created, 24);
    assert.deepEqual(
      report.failures.map((f) => f.serialNumber),
      [serialOf(13)],
    );
    assert.equal(report.devicesSeen, report.created + report.updated + report.unchanged + report.failed);
  });
});
