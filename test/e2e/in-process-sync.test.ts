import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { buildClients } from '../../src/clients';
import { loadSecrets } from '../../src/config/secrets';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { syncWorkflowId } from '../../src/shared/messages';
import { abmSyncWorkflow } from '../../src/workflows';
import { getDevServer, getWorkflowBundle, uniqueTaskQueue, type TestTemporal } from '../support/temporal';
import { until } from '../support/wait';
import { reportOf, startOrAttach } from '../../src/cli/syncs';
import { MappingIdAttribute, PhaseAttribute } from '../../src/shared/search-attributes';
import { dataConverter } from '../../src/temporal/data-converter';

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

  async function productionWorker() {
    const taskQueue = uniqueTaskQueue('inproc');
    const config = { ...sandbox.config, temporal: { ...sandbox.config.temporal, taskQueue } };
    const loaded = { config, path: '/dev/null', dir: '/tmp' };
    const clients = buildClients(config, loadSecrets(loaded, sandbox.env));
    const worker = await Worker.create({
      dataConverter,
      connection: t.nativeConnection,
      taskQueue,
      workflowBundle: await getWorkflowBundle(),
      activities: createActivities({ config, abm: clients.abm, assetPanda: clients.assetPanda }),
    });
    return { worker, clients, taskQueue, mappingId: config.mappings[0].id };
  }

  it('creates every device once, then writes nothing on an unchanged second sync', async () => {
    const { worker, clients, taskQueue, mappingId } = await productionWorker();
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

  it('lets a schedule-started run step aside while a sync started by hand is running', async () => {
    const { worker, clients, taskQueue, mappingId } = await productionWorker();
    sandbox.abm.faults.set({ latencyMs: 300 });
    try {
      const [manual, scheduled] = await worker.runUntil(async () => {
        const byHand = await t.client.workflow.start(abmSyncWorkflow, {
          taskQueue,
          workflowId: syncWorkflowId(mappingId),
          args: [{ mappingId }],
        });
        // the id a schedule gives its runs: the sync's id plus the time Temporal appends
        const bySchedule = await t.client.workflow.execute(abmSyncWorkflow, {
          taskQueue,
          workflowId: `${syncWorkflowId(mappingId)}-2026-12-04T10:00:00Z`,
          args: [{ mappingId }],
        });
        return [await byHand.result(), bySchedule];
      });
      assert.match(String(scheduled.skipped), new RegExp(`${syncWorkflowId(mappingId)} was already running`));
      assert.equal(scheduled.devicesSeen, 0);
      assert.equal(manual.status, 'completed');
      assert.equal(manual.devicesSeen, 1200);
    } finally {
      sandbox.abm.faults.reset();
      await clients.close();
    }
  });

  it('shows operators a summary, live current details and search attributes they can filter on', async () => {
    const { worker, clients, taskQueue } = await productionWorker();
    const config = { ...sandbox.config, temporal: { ...sandbox.config.temporal, taskQueue } };
    const mapping = config.mappings[0];
    sandbox.abm.faults.set({ latencyMs: 300 });
    try {
      await worker.runUntil(async () => {
        const { handle } = await startOrAttach(t.client, config, mapping);
        const details = await until(
          'current details with progress',
          async () =>
            (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata'))
              .currentDetails ?? '',
          (d) => /\| pages \| devices \|/.test(d) && !/testing-connection/.test(d),
        );
        assert.match(details, new RegExp(`mapping \`${mapping.id}\``));
        sandbox.abm.faults.reset();
        const report = await reportOf(handle);
        assert.equal(report.status, 'completed');
        const d = await handle.describe();
        assert.match(String(await d.staticSummary()), /ABM → Asset Panda: Apple Devices → "Apple Devices"/);
        assert.equal(d.typedSearchAttributes.get(MappingIdAttribute), mapping.id);
        assert.equal(d.typedSearchAttributes.get(PhaseAttribute), 'completed');
        const listed = await until(
          'the run to be listed by its search attributes',
          async () => {
            const ids: string[] = [];
            const query = `${MappingIdAttribute.name} = "${mapping.id}" AND ${PhaseAttribute.name} = "completed"`;
            for await (const w of t.client.workflow.list({ query })) ids.push(w.workflowId);
            return ids;
          },
          (ids) => ids.includes(handle.workflowId),
        );
        assert.ok(listed.includes(handle.workflowId));
      });
    } finally {
      sandbox.abm.faults.reset();
      await clients.close();
    }
  });
});
