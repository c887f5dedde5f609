import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { buildClients, type ApiClients } from '../../src/clients';
import type { AbmSyncConfig } from '../../src/config/schema';
import { loadSecrets } from '../../src/config/secrets';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { syncWorkflowId } from '../../src/shared/messages';
import { abmSyncWorkflow } from '../../src/workflows';
import { getTimeSkipping, uniqueTaskQueue, withWorker, type TestTemporal } from '../support/temporal';

/** The workflow with the production activities and clients, against both simulators, in skipped time. */
describe('abmSyncWorkflow with the real activities (time-skipping server)', function () {
  this.timeout(120_000);
  let t: TestTemporal;
  let sandbox: Sandbox;

  before(async function () {
    this.timeout(120_000);
    t = await getTimeSkipping();
    sandbox = await startSandbox({ devices: 300, seed: 3 });
  });
  after(async () => sandbox?.close());

  async function runSync(
    config: AbmSyncConfig,
  ): Promise<{ report?: Awaited<ReturnType<typeof abmSyncWorkflow>>; error?: unknown; ms: number }> {
    const taskQueue = uniqueTaskQueue('real');
    const clients: ApiClients = buildClients(
      config,
      loadSecrets({ config, path: '/dev/null', dir: '/tmp' }, sandbox.env),
    );
    const mappingId = config.mappings[0].id;
    const started = Date.now();
    try {
      const report = await withWorker(
        t,
        {
          taskQueue,
          activities: createActivities({ config, abm: clients.abm, assetPanda: clients.assetPanda }),
        },
        () =>
          t.client.workflow.execute(abmSyncWorkflow, {
            taskQueue,
            workflowId: `${syncWorkflowId(mappingId)}-${Math.random().toString(36).slice(2)}`,
            args: [{ mappingId, settings: { pageSize: 100 } }],
          }),
      );
      return { report, ms: Date.now() - started };
    } catch (error) {
      return { error, ms: Date.now() - started };
    } finally {
      await clients.close();
    }
  }

  it('waits out an ABM 429 whose Retry-After is 30 minutes and completes the sync', async () => {
    sandbox.abm.faults.set({ throttle: { count: 1, retryAfterSec: 1800 } });
    try {
      const { report, error } = await runSync(sandbox.config);
      assert.equal(error, undefined);
      assert.equal(report?.status, 'completed');
      assert.equal(report?.devicesSeen, 300);
      assert.equal(report?.throttledWaits, 1);
      assert.equal(sandbox.abm.counters().requests.orgDevices['429'], 1);
    } finally {
      sandbox.abm.faults.reset();
    }
  });

  it('fails within seconds, naming what to check, when ABM refuses the credentials', async () => {
    const config = { ...sandbox.config, abm: { ...sandbox.config.abm, keyId: 'not-the-registered-key-id' } };
    const { error, ms } = await runSync(config);
    assert.ok(error instanceof WorkflowFailedError, String(error));
    assert.match(String(error.cause?.message), /invalid_client/);
    assert.match(String(error.cause?.message), /Key ID/);
    assert.ok(ms < 15_000, `took ${ms} ms`);
  });

  it('fails within seconds, naming the variables, when Asset Panda refuses the API key', async () => {
    const saved = sandbox.env.ASSETPANDA_API_SECRET;
    sandbox.env.ASSETPANDA_API_SECRET = 'wrong-secret';
    try {
      const { error, ms } = await runSync(sandbox.config);
      assert.ok(error instanceof WorkflowFailedError, String(error));
      assert.match(String(error.cause?.message), /ASSETPANDA_API_KEY and ASSETPANDA_API_SECRET/);
      assert.ok(!String(error.cause?.message).includes('wrong-secret'));
      assert.ok(ms < 15_000, `took ${ms} ms`);
    } finally {
      sandbox.env.ASSETPANDA_API_SECRET = saved;
    }
  });

  it('ends completed_with_errors, naming the serial, when ABM sends one device that breaks the schema', async () => {
    const broken = sandbox.abm.fleet.all()[42].serialNumber;
    sandbox.abm.faults.set({
      mutateOrgDevicesPage: (body) => {
        for (const d of body.data) if (d.attributes.serialNumber === broken) d.attributes.imei = 12345;
      },
    });
    try {
      const { report, error } = await runSync(sandbox.config);
      assert.equal(error, undefined);
      assert.equal(report?.status, 'completed_with_errors');
      assert.equal(report?.failed, 1);
      assert.equal(report?.devicesSeen, 300);
      assert.deepEqual(
        report?.failures.map((f) => f.serialNumber),
        [broken.toUpperCase()],
      );
      assert.match(String(report?.failures[0].reason), /INVALID_DEVICE: .*attributes\.imei/);
    } finally {
      sandbox.abm.faults.reset();
    }
  });

  it('lands and counts once a device ABM lists twice on one page, in batches that run in parallel', async () => {
    const before = sandbox.assetPanda.records(sandbox.collection.collectionId).length;
    sandbox.abm.faults.set({
      // the first device of each page again at the end: another batch of the same page
      mutateOrgDevicesPage: (body) => {
        if (body.data.length > 1) body.data.push(structuredClone(body.data[0]));
      },
    });
    try {
      const { report, error } = await runSync(sandbox.config);
      assert.equal(error, undefined);
      const r = report!;
      assert.equal(r.devicesSeen, 300);
      assert.equal(r.created + r.updated + r.unchanged + r.failed, 300);
      assert.deepEqual(sandbox.assetPanda.duplicates(), []);
      assert.ok(before <= 300);
      assert.equal(sandbox.assetPanda.records(sandbox.collection.collectionId).length, 300);
    } finally {
      sandbox.abm.faults.reset();
    }
  });

  it('fails with a message naming the host, after a few attempts, when the Asset Panda address is wrong', async () => {
    const config = {
      ...sandbox.config,
      assetPanda: { ...sandbox.config.assetPanda, baseUrl: 'http://127.0.0.1:9' },
    };
    const { error } = await runSync(config);
    assert.ok(error instanceof WorkflowFailedError, String(error));
    const message = String(error.cause?.message);
    assert.match(message, /127\.0\.0\.1:9/);
    assert.match(message, /still failing after 5 attempts: check the address/);
  });
});
