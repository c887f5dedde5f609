import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { buildClients } from '../../src/clients';
import { loadSecrets } from '../../src/config/secrets';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { syncWorkflowId } from '../../src/shared/messages';
import { abmSyncWorkflow } from '../../src/workflows';
import { getDevServer, getWorkflowBundle, uniqueTaskQueue, type TestTemporal } from '../support/temporal';

describe('sync between the simulators (worker in-process)', function () {
  this.timeout(180_000);
  let t: TestTemporal;
  let sandbox: Sandbox;

  before(async function () {
    this.timeout(120_000);
    t = await getDevServer();
    sandbox = await startSandbox({ devices: 1200, seed: 7 });
  });
  after(async () => sandbox?.close());

  it('creates every device once, then writes nothing on an unchanged second sync', async () => {
    const taskQueue = uniqueTaskQueue('inproc');
    const config = { ...sandbox.config, temporal: { ...sandbox.config.temporal, taskQueue } };
    const loaded = { config, path: '/dev/null', dir: '/tmp' };
    const clients = buildClients(config, loadSecrets(loaded, sandbox.env));
    const worker = await Worker.create({
      connection: t.nativeConnection,
      taskQueue,
      workflowBundle: await getWorkflowBundle(),
      activities: createActivities({ config, abm: clients.abm, assetPanda: clients.assetPanda }),
    });
    const mappingId = config.mappings[0].id;
    try {
      const [first, second] = await worker.runUntil(async () => {
        const run = () =>
          t.client.workflow.execute(abmSyncWorkflow, {
            taskQueue,
            workflowId: `${syncWorkflowId(mappingId)}-${Math.random().toString(36).slice(2)}`,
            args: [{ mappingId }],
          });
        const a = await run();
        sandbox.assetPanda.resetCounters();
        const b = await run();
        return [a, b];
      });
      assert.equal(first.status, 'completed', JSON.stringify(first.failures.slice(0, 3)));
      assert.equal(first.created, 1200);
      assert.equal(sandbox.assetPanda.records(sandbox.collection.collectionId).length, 1200);
      assert.deepEqual(sandbox.assetPanda.duplicates(), []);
      assert.equal(second.unchanged, 1200);
      assert.equal(second.created + second.updated, 0);
      const writes = sandbox.assetPanda.requestCounts();
      assert.deepEqual(Object.keys(writes.create ?? {}), []);
    } finally {
      await clients.close();
    }
  });
});
