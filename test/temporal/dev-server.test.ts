import assert from 'node:assert/strict';
import { abmSyncWorkflow } from '../../src/workflows';
import { syncWorkflowId } from '../../src/shared/messages';
import { fakeActivities } from '../support/fake-activities';
import { getDevServer, startPrivateDevServer, uniqueTaskQueue, withWorker } from '../support/temporal';

describe('Temporal dev server harness', function () {
  this.timeout(120_000);

  it('runs the sync workflow and its activities on the real dev server', async () => {
    const t = await getDevServer();
    const fake = fakeActivities({ devices: 12 });
    const taskQueue = uniqueTaskQueue('dev');
    const mappingId = `dev-${Date.now()}`;
    const report = await withWorker(t, { taskQueue, activities: fake.activities }, () =>
      t.client.workflow.execute(abmSyncWorkflow, {
        taskQueue,
        workflowId: syncWorkflowId(mappingId),
        args: [{ mappingId, settings: { pageSize: 5, batchSize: 5, parallelism: 1 } }],
      }),
    );
    assert.equal(report.status, 'completed');
    assert.equal(report.devicesSeen, 12);
    assert.deepEqual(fake.fetches, [null, '5', '10']);
  });

  it('fails the test quickly instead of hanging when the server dies mid-test', async () => {
    const priv = await startPrivateDevServer();
    try {
      let reached!: () => void;
      const atPage = new Promise<void>((r) => (reached = r));
      const fake = fakeActivities({
        devices: 20,
        onFetch: async (page) => {
          if (page === 1) {
            reached();
            await new Promise(() => undefined); // hold the activity: the server dies meanwhile
          }
        },
      });
      const taskQueue = uniqueTaskQueue('dying');
      const mappingId = `dying-${Date.now()}`;
      const outcome = withWorker(
        priv.t,
        { taskQueue, activities: fake.activities, shutdownGraceTime: '1s' },
        async () => {
          await priv.t.client.workflow.start(abmSyncWorkflow, {
            taskQueue,
            workflowId: syncWorkflowId(mappingId),
            args: [{ mappingId, settings: { pageSize: 5, batchSize: 5, parallelism: 1 } }],
          });
          // Stands for a test awaiting something that only a live server would ever deliver.
          await new Promise(() => undefined);
        },
      );
      await atPage;
      const killedAt = Date.now();
      priv.server.process.kill('SIGKILL');
      await assert.rejects(outcome, /Temporal dev server .* exited/);
      assert.ok(Date.now() - killedAt < 10_000, 'the failure arrives within seconds');
    } finally {
      await priv.close();
    }
  });
});
