import assert from 'node:assert/strict';
import { abmSyncWorkflow } from '../../src/workflows';
import { syncWorkflowId } from '../../src/shared/messages';
import { fakeActivities } from '../support/fake-activities';
import { startPrivateDevServer, uniqueTaskQueue, withWorker } from '../support/temporal';

describe('bounded history', function () {
  this.timeout(120_000);

  it('continues as new when the server suggests it, and every run stays under the suggestion', async () => {
    const suggestAt = 60;
    const priv = await startPrivateDevServer({
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': suggestAt },
    });
    try {
      const fake = fakeActivities({ devices: 200 });
      const taskQueue = uniqueTaskQueue('bounded');
      const mappingId = `bounded-${Date.now()}`;
      const workflowId = syncWorkflowId(mappingId);
      const report = await withWorker(priv.t, { taskQueue, activities: fake.activities }, () =>
        priv.t.client.workflow.execute(abmSyncWorkflow, {
          taskQueue,
          workflowId,
          // continueAsNewEveryPages is far away: only the server's suggestion can end a run
          args: [
            {
              mappingId,
              settings: { pageSize: 10, batchSize: 5, parallelism: 2, continueAsNewEveryPages: 1000 },
            },
          ],
        }),
      );
      assert.equal(report.devicesSeen, 200);
      assert.ok(report.runs > 1, `runs: ${report.runs}`);
      let runs = 0;
      for await (const w of priv.t.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
        const history = await priv.t.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
        // at most one page of events (fetch, four batches, their workflow tasks) lands after the
        // suggestion; a run that ignored it would hold all 20 pages, about 500 events
        assert.ok(
          (history.events?.length ?? 0) < suggestAt + 45,
          `run ${w.runId} has ${history.events?.length} events`,
        );
        runs += 1;
      }
      assert.equal(runs, report.runs);
      assert.deepEqual(fake.fetches.length, 20, 'each page fetched once across runs');
    } finally {
      await priv.close();
    }
  });
});
