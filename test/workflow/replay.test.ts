import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '../../src/temporal/data-converter';
import { getWorkflowBundle } from '../support/temporal';

const HISTORIES = path.join(__dirname, '..', 'histories');

/**
 * Histories recorded from real runs (test/support/record-histories.ts: pause, resync, a 429, a bad
 * device, continue-as-new) must replay on today's workflow code. A failure here means syncs running
 * during a deploy would break: guard the change with `patched()` instead of re-recording.
 */
describe('replaying recorded sync histories', function () {
  this.timeout(120_000);
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

  it('has recorded histories to replay', () => {
    assert.ok(files.length >= 2, `found ${files.length}`);
  });

  for (const file of files) {
    it(`replays ${file} without nondeterminism`, async () => {
      const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
      await Worker.runReplayHistory(
        { workflowBundle: await getWorkflowBundle(), dataConverter },
        history,
        'abm-sync-recorded',
      );
    });
  }
});
