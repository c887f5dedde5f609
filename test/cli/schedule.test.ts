import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { reportOf } from '../../src/cli/syncs';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { scheduleId, syncWorkflowId } from '../../src/shared/messages';
import type { SyncStatus } from '../../src/shared/types';
import type { abmSyncWorkflow } from '../../src/workflows';
import { startWorker, type StartedWorker } from '../../src/worker';
import { getDevServer, uniqueTaskQueue, type TestTemporal } from '../support/temporal';
import { jsonOf, mappingAs, printed, runCli, secretsEnv, until, writeConfig } from './support';

interface ScheduleSummary {
  scheduleId: string;
  paused: boolean;
  intervals: unknown[];
  cron: unknown[];
  nextRuns: string[];
  recentRuns: { at: string; workflowId: string }[];
  running: string[];
  skippedOverlapping: number;
}

describe('abm-sync schedule (CLI process, dev server, worker in the test)', function () {
  this.timeout(90_000);
  let t: TestTemporal;
  let sandbox: Sandbox;
  let dir: string;
  let configPath: string;
  let worker: StartedWorker | undefined;
  const mappingId = `scheduled-${randomBytes(3).toString('hex')}`;

  before(async function () {
    this.timeout(120_000);
    t = await getDevServer();
    sandbox = await startSandbox({ devices: 150, seed: 13 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-cli-schedule-'));
    const temporal = {
      address: t.address,
      namespace: t.namespace,
      taskQueue: uniqueTaskQueue('cli-schedule'),
    };
    const mappings = [mappingAs(sandbox, mappingId)];
    configPath = writeConfig(sandbox, dir, 'scheduled', { temporal, mappings });
    worker = await startWorker({
      loaded: { config: { ...sandbox.config, temporal, mappings }, path: configPath, dir },
      env: sandbox.env,
      connection: t.nativeConnection,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.client.schedule
      .getHandle(scheduleId(mappingId))
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
    if (worker) {
      worker.worker.shutdown();
      await worker.finished;
    }
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli([...args, '--config', configPath], { env: secretsEnv(sandbox) });
  const show = async (): Promise<ScheduleSummary> => {
    const r = await cli('schedule', 'show', '--json');
    assert.equal(r.code, 0, printed(r));
    return jsonOf<ScheduleSummary>(r);
  };

  describe('set --every / --cron arguments', () => {
    it('both --every and --cron exit 1, asking for exactly one', async () => {
      const r = await cli('schedule', 'set', '--every', '1h', '--cron', '0 2 * * *');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, /exactly one of --every DURATION or --cron EXPR/);
    });

    it('neither --every nor --cron exits 1, asking for exactly one', async () => {
      const r = await cli('schedule', 'set');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, /exactly one of --every DURATION or --cron EXPR/);
    });

    it('a duration that is not one exits 1, with examples of durations', async () => {
      const r = await cli('schedule', 'set', '--every', 'often');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, /--every "often" is not a duration \(examples: 30m, 6h, 1d\)/);
    });

    it('a duration under a minute exits 1', async () => {
      const r = await cli('schedule', 'set', '--every', '10s');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, /--every "10s" is shorter than a minute/);
    });

    it('an unknown schedule action exits 1, listing the actions', async () => {
      const r = await cli('schedule', 'start');
      assert.equal(r.code, 1, printed(r));
      assert.match(
        r.stderr,
        /unknown schedule action "start" \(use set, show, pause, unpause, trigger or remove\)/,
      );
    });
  });

  // The life of one schedule, step by step: each test starts where the one before left it.
  describe('the life of a schedule', () => {
    it('`set --every 1h` creates the schedule and exits 0', async () => {
      const r = await cli('schedule', 'set', '--every', '1h', '--json');
      assert.equal(r.code, 0, printed(r));
      assert.deepEqual(jsonOf(r), { scheduleId: scheduleId(mappingId), created: true });
    });

    it('`show --json` shows it: every hour, not paused, with the next runs', async () => {
      const s = await show();
      assert.equal(s.scheduleId, scheduleId(mappingId));
      assert.equal(s.paused, false);
      assert.deepEqual(s.intervals, [3_600_000]);
      assert.deepEqual(s.cron, []);
      assert.ok(s.nextRuns.length > 0, 'next runs are listed');
      for (const at of s.nextRuns) assert.ok(Date.parse(at) > Date.now() - 1000, `next run ${at} is ahead`);
    });

    it('`trigger` starts a run named after the mapping, which completes and which `status` reports', async () => {
      const r = await cli('schedule', 'trigger');
      assert.equal(r.code, 0, printed(r));
      const described = await until(
        'the triggered run to be recorded by the schedule',
        () => t.client.schedule.getHandle(scheduleId(mappingId)).describe(),
        (d) => d.info.recentActions.length > 0,
      );
      const workflowId = described.info.recentActions[0].action.workflow.workflowId;
      assert.ok(
        workflowId.startsWith(syncWorkflowId(mappingId)),
        `${workflowId} starts with ${syncWorkflowId(mappingId)}`,
      );
      const report = await reportOf(t.client.workflow.getHandle<typeof abmSyncWorkflow>(workflowId));
      assert.equal(report.status, 'completed');
      assert.equal(report.devicesSeen, 150);

      const status = await cli('status', '--json');
      assert.equal(status.code, 0, printed(status));
      const s = jsonOf<SyncStatus>(status);
      assert.equal(s.workflowId, workflowId);
      assert.equal(s.phase, 'completed');
      assert.equal(s.devicesSeen, 150);
    });

    it('`pause` exits 0 and `show` says paused', async () => {
      const r = await cli('schedule', 'pause');
      assert.equal(r.code, 0, printed(r));
      assert.match(r.stdout, /paused/);
      assert.equal((await show()).paused, true);
    });

    it('`unpause` exits 0 and `show` says not paused', async () => {
      const r = await cli('schedule', 'unpause');
      assert.equal(r.code, 0, printed(r));
      assert.equal((await show()).paused, false);
    });

    it('`set` again updates the schedule in place (here to a cron expression)', async () => {
      const r = await cli('schedule', 'set', '--cron', '0 2 * * *', '--json');
      assert.equal(r.code, 0, printed(r));
      assert.deepEqual(jsonOf(r), { scheduleId: scheduleId(mappingId), created: false });
      const s = await show();
      assert.deepEqual(s.intervals, []);
      assert.equal(s.cron.length, 1, JSON.stringify(s.cron));
    });

    it('`remove` exits 0, after which `show` exits 1 saying there is no schedule and how to make one', async () => {
      const removed = await cli('schedule', 'remove');
      assert.equal(removed.code, 0, printed(removed));
      const r = await cli('schedule', 'show', '--json');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, new RegExp(`mapping ${mappingId} has no schedule`));
      assert.match(r.stderr, /abm-sync schedule set --every/);
      assert.equal(r.stdout, '');
    });
  });
});
