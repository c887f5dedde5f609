/**
 * Records workflow histories for the replay tests: `npx tsx test/support/record-histories.ts`.
 * Re-record only on purpose: a history that no longer replays means running syncs would break on
 * deploy, so a workflow change that fails replay needs `patched()` rather than a new recording.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pauseSignal, resumeSignal, resyncSignal, syncWorkflowId } from '../../src/shared/messages';
import { abmSyncWorkflow } from '../../src/workflows';
import { fakeActivities } from './fake-activities';
import { getDevServer, stopSharedServers, uniqueTaskQueue, withWorker } from './temporal';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const t = await getDevServer();
  try {
    const fake = fakeActivities({
      devices: 23,
      invalidSerials: ['FAKE00000004'],
      throttlePage: { page: 2, retryAfterMs: 1000 },
      holdAtPage: 1,
    });
    const taskQueue = uniqueTaskQueue('record');
    const mappingId = 'recorded';
    const workflowId = syncWorkflowId(mappingId);
    await withWorker(t, { taskQueue, activities: fake.activities }, async () => {
      const h = await t.client.workflow.start(abmSyncWorkflow, {
        taskQueue,
        workflowId,
        args: [
          { mappingId, settings: { pageSize: 5, batchSize: 2, parallelism: 2, continueAsNewEveryPages: 3 } },
        ],
      });
      await fake.hold.reached;
      await h.signal(pauseSignal);
      await h.signal(resyncSignal);
      fake.hold.release();
      await h.signal(resumeSignal);
      await h.result();
    });
    let n = 0;
    for await (const w of t.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      const history = await t.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
      const file = path.join(
        __dirname,
        '..',
        'histories',
        `sync-run-${w.startTime.toISOString().replace(/[:.]/g, '-')}.json`,
      );
      writeFileSync(file, historyToJSON(history));
      n += 1;
    }
    console.log(`recorded ${n} runs`);
  } finally {
    await stopSharedServers();
  }
}

void main();
