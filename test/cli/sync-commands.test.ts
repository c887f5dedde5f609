import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportOf, startOrAttach } from '../../src/cli/syncs';
import type { AbmSyncConfig, MappingConfig } from '../../src/config/schema';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { statusQuery, syncWorkflowId } from '../../src/shared/messages';
import type { RunReport, SyncStatus } from '../../src/shared/types';
import type { SimDevice } from '../../src/sim/abm';
import type { abmSyncWorkflow } from '../../src/workflows';
import { startWorker, type StartedWorker } from '../../src/worker';
import { getDevServer, uniqueTaskQueue, type TestTemporal } from '../support/temporal';
import { jsonOf, mappingAs, printed, runCli, secretsEnv, until, writeConfig } from './support';

const FLEET = 200;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** Small pages and one batch at a time, so a sync against a slowed ABM runs for several seconds. */
const SLOW = { pageSize: 20, batchSize: 20, parallelism: 1 } as const;

describe('abm-sync sync, status, pause, resume, resync (CLI process, worker in the test)', function () {
  this.timeout(90_000);
  let t: TestTemporal;
  let sandbox: Sandbox;
  let dir: string;
  let worker: StartedWorker | undefined;
  const taskQueue = uniqueTaskQueue('cli-sync');
  const run = randomBytes(3).toString('hex');
  // One mapping per test, so each test owns its workflow id; all of them write "Apple Devices".
  const ids = {
    sync: `sync-${run}`,
    failing: `failing-${run}`,
    attach: `attach-${run}`,
    never: `never-${run}`,
    status: `status-${run}`,
    pause: `pause-${run}`,
    resync: `resync-${run}`,
    missing: `missing-${run}`,
    terminated: `terminated-${run}`,
    throttled: `throttled-${run}`,
    watch: `watch-${run}`,
  };
  const mappings: Record<keyof typeof ids, MappingConfig> = {} as Record<keyof typeof ids, MappingConfig>;
  /** A config file per mapping, each with that mapping alone, as a user with one mapping has. */
  const configOf: Record<string, string> = {};
  /** The worker's config: every mapping above, on this test's task queue. */
  let workerConfig: AbmSyncConfig;

  before(async function () {
    this.timeout(120_000);
    t = await getDevServer();
    sandbox = await startSandbox({ devices: FLEET, seed: 11 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-cli-sync-'));
    const temporal = { address: t.address, namespace: t.namespace, taskQueue };
    for (const [k, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
      mappings[k] = mappingAs(sandbox, id, {
        ...(['attach', 'pause', 'resync', 'terminated', 'watch'].includes(k) ? SLOW : {}),
        ...(k === 'missing' ? { collection: 'Retired Devices' } : {}),
      });
      configOf[k] = writeConfig(sandbox, dir, k, { temporal, mappings: [mappings[k]] });
    }
    workerConfig = { ...sandbox.config, temporal, mappings: Object.values(mappings) };
    worker = await startWorker({
      loaded: { config: workerConfig, path: path.join(dir, 'worker.config.json'), dir },
      env: sandbox.env,
      connection: t.nativeConnection,
    });
  });

  after(async function () {
    this.timeout(60_000);
    sandbox?.abm.faults.reset();
    if (worker) {
      worker.worker.shutdown();
      await worker.finished;
    }
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cli = (key: keyof typeof ids, ...args: string[]) =>
    runCli([...args, '--config', configOf[key]], { env: secretsEnv(sandbox) });
  const handleOf = (key: keyof typeof ids) =>
    t.client.workflow.getHandle<typeof abmSyncWorkflow>(syncWorkflowId(ids[key]));
  const records = () => sandbox.assetPanda.records(sandbox.collection.collectionId);
  /**
   * Slows every ABM answer enough that a sync cannot end while the next CLI process starts (each
   * page takes 2 s); the test lifts it with `faults.reset()` once it has seen what it waits for.
   */
  const slowAbm = () => sandbox.abm.faults.set({ latencyMs: 2000 });

  describe('sync --wait --json', () => {
    it('exits 0 with a completed report whose counts add up', async () => {
      const r = await cli('sync', 'sync', '--wait', '--json');
      assert.equal(r.code, 0, printed(r));
      const report = jsonOf<RunReport>(r);
      assert.equal(report.mappingId, ids.sync);
      assert.equal(report.status, 'completed');
      assert.equal(report.devicesSeen, FLEET);
      assert.equal(report.devicesSeen, report.created + report.updated + report.unchanged + report.failed);
      assert.equal(report.failed, 0);
      assert.deepEqual(report.failures, []);
      assert.ok(report.pages >= 1, `pages: ${report.pages}`);
      assert.match(report.startedAt, ISO);
      assert.match(report.finishedAt, ISO);
      assert.ok(report.finishedAt >= report.startedAt, `${report.startedAt} → ${report.finishedAt}`);
    });

    it('leaves every ABM device in the collection exactly once', async () => {
      const r = await cli('sync', 'sync', '--wait', '--json');
      assert.equal(r.code, 0, printed(r));
      const serialColumn = sandbox.collection.fieldColumnIds.serialNumber;
      const serials = records().map((rec) => String(rec[serialColumn]));
      assert.equal(serials.length, FLEET);
      assert.deepEqual(sandbox.assetPanda.duplicates(), []);
      assert.deepEqual(
        [...serials].sort(),
        sandbox.abm.fleet
          .all()
          .map((d) => d.serialNumber.toUpperCase())
          .sort(),
      );
    });

    it('exits 2 with the serial of a device that cannot land listed in failures; the rest lands', async () => {
      const device = sandbox.abm.fleet.all()[7];
      const original = device.status;
      sandbox.abm.fleet.edit(device.serialNumber, { status: 'BROKEN' as string as SimDevice['status'] });
      try {
        const r = await cli('failing', 'sync', '--wait', '--json');
        assert.equal(r.code, 2, printed(r));
        const report = jsonOf<RunReport>(r);
        assert.equal(report.status, 'completed_with_errors');
        assert.equal(report.failed, 1);
        assert.equal(report.devicesSeen, report.created + report.updated + report.unchanged + report.failed);
        assert.equal(report.failures.length, 1, JSON.stringify(report.failures));
        assert.equal(report.failures[0].serialNumber, device.serialNumber.toUpperCase());
        assert.match(report.failures[0].reason, /INVALID_VALUE/);
        const serialColumn = sandbox.collection.fieldColumnIds.serialNumber;
        const landed = new Set(records().map((rec) => String(rec[serialColumn])));
        for (const d of sandbox.abm.fleet.all()) {
          if (d.serialNumber !== device.serialNumber)
            assert.ok(landed.has(d.serialNumber.toUpperCase()), `${d.serialNumber} landed`);
        }
      } finally {
        sandbox.abm.fleet.edit(device.serialNumber, { status: original });
      }
    });

    it('exits 1 with a failed report saying why when the sync cannot run', async () => {
      const r = await cli('missing', 'sync', '--wait', '--json');
      assert.equal(r.code, 1, printed(r));
      const report = jsonOf<RunReport & { error?: string }>(r);
      assert.equal(report.mappingId, ids.missing);
      assert.equal(report.status, 'failed');
      assert.match(report.error ?? '', /Retired Devices/);
      assert.equal(report.devicesSeen, report.created + report.updated + report.unchanged + report.failed);
    });
  });

  describe('sync without --wait', () => {
    it('while a sync runs, a second `sync` attaches to it: same workflow id, one running execution', async () => {
      slowAbm();
      try {
        const first = await cli('attach', 'sync', '--json');
        assert.equal(first.code, 0, printed(first));
        const started = jsonOf<{ workflowId: string; attached: boolean }>(first);
        assert.equal(started.workflowId, syncWorkflowId(ids.attach));
        assert.equal(started.attached, false);

        const second = await cli('attach', 'sync', '--json');
        assert.equal(second.code, 0, printed(second));
        const attached = jsonOf<{ workflowId: string; attached: boolean }>(second);
        assert.equal(attached.attached, true, 'the second sync attached (the first was still running)');
        assert.equal(attached.workflowId, started.workflowId);

        const executions = async () => {
          const found: string[] = [];
          for await (const w of t.client.workflow.list({ query: `WorkflowId = "${started.workflowId}"` })) {
            found.push(`${w.runId} ${w.status.name}`);
          }
          return found;
        };
        const listed = await until('the sync to be listed', executions, (l) => l.length > 0);
        assert.equal(listed.length, 1, `executions: ${listed.join(', ')}`);
        assert.match(listed[0], / RUNNING$/);
      } finally {
        sandbox.abm.faults.reset();
      }
      assert.equal((await reportOf(handleOf('attach'))).status, 'completed');
    });
  });

  describe('status', () => {
    it('--json before any sync of the mapping exits 1, saying how to start one', async () => {
      const r = await cli('never', 'status', '--json');
      assert.equal(r.code, 1, printed(r));
      assert.match(r.stderr, new RegExp(`No sync of mapping ${ids.never}`));
      assert.match(r.stderr, /abm-sync sync/);
    });

    it('--json after a sync exits 0 with phase completed and that run’s counts', async () => {
      const { handle } = await startOrAttach(t.client, workerConfig, mappings.status);
      const report = await reportOf(handle);
      assert.equal(report.status, 'completed');
      const r = await cli('status', 'status', '--json');
      assert.equal(r.code, 0, printed(r));
      const s = jsonOf<SyncStatus>(r);
      assert.equal(s.mappingId, ids.status);
      assert.equal(s.workflowId, syncWorkflowId(ids.status));
      assert.equal(s.phase, 'completed');
      assert.equal(s.paused, false);
      assert.deepEqual(
        [s.devicesSeen, s.created, s.updated, s.unchanged, s.failed, s.pages],
        [report.devicesSeen, report.created, report.updated, report.unchanged, report.failed, report.pages],
      );
      assert.equal(s.devicesSeen, FLEET);
      assert.equal(s.lastError, null);
      assert.equal(s.startedAt, report.startedAt);
      assert.equal(s.updatedAt, report.finishedAt);
    });

    it('--json of a sync that was terminated shows phase failed for its mapping, with its start time', async () => {
      slowAbm();
      try {
        const { handle } = await startOrAttach(t.client, workerConfig, mappings.terminated);
        await until(
          'the sync to start fetching',
          () => handle.query(statusQuery),
          (s) => s.phase === 'fetching' || s.phase === 'upserting',
        );
        await handle.terminate('stopped by an operator');
      } finally {
        sandbox.abm.faults.reset();
      }
      const r = await cli('terminated', 'status', '--json');
      assert.equal(r.code, 0, printed(r));
      const s = jsonOf<SyncStatus>(r);
      assert.equal(s.mappingId, ids.terminated);
      assert.equal(s.workflowId, syncWorkflowId(ids.terminated));
      assert.equal(s.phase, 'failed');
      assert.match(s.startedAt, ISO);
      assert.match(s.lastError ?? '', /stopped by an operator|terminated/i);
    });
  });

  describe('pause, resume, resync', () => {
    it('pause, resume and resync exit 1 when no sync of the mapping runs', async () => {
      for (const cmd of ['pause', 'resume', 'resync']) {
        const r = await cli('never', cmd);
        assert.equal(r.code, 1, `${cmd}: ${printed(r)}`);
        assert.match(r.stderr, new RegExp(`No sync of mapping ${ids.never} is running: nothing to ${cmd}`));
      }
    });

    it('status --watch follows a running sync to its end and prints its final status', async () => {
      sandbox.abm.faults.set({ latencyMs: 1000 });
      try {
        const started = await cli('watch', 'sync', '--json');
        assert.equal(started.code, 0, printed(started));
        const before = await handleOf('watch').query(statusQuery);
        assert.notEqual(before.phase, 'completed', 'the sync is still running when the watch starts');
        const watched = await cli('watch', 'status', '--watch', '--json');
        assert.equal(watched.code, 0, printed(watched));
        const s = jsonOf<SyncStatus>(watched);
        assert.equal(s.phase, 'completed');
        assert.equal(s.devicesSeen, FLEET);
      } finally {
        sandbox.abm.faults.reset();
      }
    });

    it('status shows the activity being retried, with its last failure, while a long Retry-After is waited out', async () => {
      sandbox.abm.faults.set({ throttle: { count: 1000, retryAfterSec: 3600 } });
      try {
        const started = await cli('throttled', 'sync', '--json');
        assert.equal(started.code, 0, printed(started));
        const s = await until(
          'status to show the retry',
          async () => jsonOf<SyncStatus>(await cli('throttled', 'status', '--json')),
          (x) => x.retrying !== undefined,
        );
        assert.equal(s.phase, 'testing-connection');
        assert.equal(s.retrying?.activity, 'testConnection');
        assert.ok((s.retrying?.attempt ?? 0) >= 2);
        assert.match(String(s.retrying?.lastFailure), /429/);
        assert.equal(s.lastError, s.retrying?.lastFailure);
        const wait = Date.parse(String(s.retrying?.nextAttemptAt)) - Date.now();
        assert.ok(wait > 50 * 60_000 && wait <= 3600_000, `next attempt in ${wait} ms`);
      } finally {
        sandbox.abm.faults.reset();
        await handleOf('throttled').terminate('test over');
      }
    });

    it('pause holds a running sync (status shows paused), resume lets it complete', async () => {
      slowAbm();
      try {
        const started = await cli('pause', 'sync', '--json');
        assert.equal(started.code, 0, printed(started));

        const paused = await cli('pause', 'pause', '--json');
        assert.equal(paused.code, 0, printed(paused));
        assert.deepEqual(jsonOf(paused), {
          mappingId: ids.pause,
          workflowId: syncWorkflowId(ids.pause),
          signal: 'pause',
        });
        await until(
          'the sync to pause',
          () => handleOf('pause').query(statusQuery),
          (s) => s.phase === 'paused',
        );
      } finally {
        sandbox.abm.faults.reset();
      }

      const status = await cli('pause', 'status', '--json');
      assert.equal(status.code, 0, printed(status));
      const s = jsonOf<SyncStatus>(status);
      assert.equal(s.paused, true);
      assert.equal(s.phase, 'paused');
      assert.ok(s.devicesSeen < FLEET, `paused before the end: ${s.devicesSeen} devices seen`);

      const resumed = await cli('pause', 'resume');
      assert.equal(resumed.code, 0, printed(resumed));
      assert.match(resumed.stdout, /resumes/);
      const report = await reportOf(handleOf('pause'));
      assert.equal(report.status, 'completed');
      assert.equal(report.devicesSeen, FLEET);

      const after = jsonOf<SyncStatus>(await cli('pause', 'status', '--json'));
      assert.equal(after.phase, 'completed');
      assert.equal(after.paused, false);
    });

    it('resync on a running sync restarts the scan from the first page; the run still counts each device once', async () => {
      const handle = handleOf('resync');
      slowAbm();
      try {
        await startOrAttach(t.client, workerConfig, mappings.resync);
        await until(
          'the sync to be past its first page',
          () => handle.query(statusQuery),
          (s) => s.pages >= 1,
        );
        const r = await cli('resync', 'resync');
        assert.equal(r.code, 0, printed(r));
        assert.match(r.stdout, /restarts from the first page/);
        await until(
          'the scan to restart',
          () => handle.query(statusQuery),
          (s) => s.scanRestarts === 1,
        );
      } finally {
        sandbox.abm.faults.reset();
      }
      const report = await reportOf(handle);
      assert.equal(report.status, 'completed');
      assert.equal(report.scanRestarts, 1);
      assert.equal(report.devicesSeen, FLEET);
      assert.equal(report.devicesSeen, report.created + report.updated + report.unchanged + report.failed);
      assert.deepEqual(sandbox.assetPanda.duplicates(), []);
    });
  });
});
