import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startOrAttach, reportOf } from '../../src/cli/syncs';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { statusQuery } from '../../src/shared/messages';
import type { RunReport, SyncStatus } from '../../src/shared/types';
import type { SimDevice } from '../../src/sim/abm';
import { getDevServer, uniqueTaskQueue, type TestTemporal } from '../support/temporal';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { until } from '../support/wait';
import { historyText } from '../support/history-text';

const FLEET = 5000;

/** What interface.md says each field of the seeded collection must hold for a device. */
function expectedValue(device: SimDevice, field: string, type: string): string | null {
  const v = (device as unknown as Record<string, unknown>)[field];
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return null;
  if (Array.isArray(v)) return v.join(', ');
  if (field === 'serialNumber') return String(v).trim().toUpperCase();
  if (type === 'datetime') return new Date(String(v)).toISOString();
  return String(v);
}

describe('end to end: worker as its own process, both simulators, dev server', function () {
  this.timeout(600_000);
  let t: TestTemporal;
  let sandbox: Sandbox;
  let dir: string;
  let configPath: string;
  let worker: WorkerProcess | undefined;
  const mappingId = 'apple-devices';

  before(async function () {
    this.timeout(120_000);
    t = await getDevServer();
    sandbox = await startSandbox({
      devices: FLEET,
      seed: 42,
      temporal: { address: t.address, taskQueue: uniqueTaskQueue('e2e') },
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-e2e-'));
    // 20 pages of 250, so both kills land mid-sync with pages still to come.
    sandbox.config.mappings[0] = { ...sandbox.config.mappings[0], pageSize: 250 };
    ({ configPath } = sandbox.writeFiles(dir));
  });

  after(async () => {
    await worker?.kill('SIGTERM');
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const startWorker = () =>
    (worker = spawnWorker(configPath, {
      ASSETPANDA_API_KEY: sandbox.env.ASSETPANDA_API_KEY,
      ASSETPANDA_API_SECRET: sandbox.env.ASSETPANDA_API_SECRET,
    }));
  const sync = async (client: Client): Promise<{ report: RunReport; workflowId: string }> => {
    const { handle } = await startOrAttach(client, sandbox.config, sandbox.config.mappings[0]);
    return { report: await reportOf(handle), workflowId: handle.workflowId };
  };
  const records = () => sandbox.assetPanda.records(sandbox.collection.collectionId);
  const pagesFetched = () => sandbox.abm.counters().requests.orgDevices['200'] ?? 0;

  function assertCollectionEqualsFleet(): void {
    const fleet = sandbox.abm.fleet.all();
    const byColumn = new Map(sandbox.collection.columns.map((c) => [c.id, c]));
    const recs = records();
    assert.equal(recs.length, fleet.length, 'one record per device');
    assert.deepEqual(sandbox.assetPanda.duplicates(), [], 'no duplicate identifiers');
    const serialColumn = sandbox.collection.fieldColumnIds.serialNumber;
    const bySerial = new Map(recs.map((r) => [String(r[serialColumn]), r]));
    for (const d of fleet) {
      const rec = bySerial.get(d.serialNumber.toUpperCase());
      assert.ok(rec, `device ${d.serialNumber} is in the collection`);
      for (const [field, columnId] of Object.entries(sandbox.collection.fieldColumnIds)) {
        const col = byColumn.get(columnId)!;
        const want = expectedValue(d, field, col.type);
        const got: unknown = rec[columnId] ?? null;
        if (want === null) assert.equal(got, null, `${d.serialNumber}.${field} is empty`);
        else if (col.type === 'datetime')
          assert.equal(new Date(String(got)).toISOString(), want, `${d.serialNumber}.${field}`);
        else assert.equal(got, want, `${d.serialNumber}.${field}`);
      }
    }
  }

  it('completes a 5,000-device sync through two SIGKILLs of the worker with no duplicate and at most two extra page fetches per kill', async () => {
    // Slow ABM a little so the sync is still running when the worker is killed.
    sandbox.abm.faults.set({ latencyMs: 150 });
    startWorker();
    const { handle } = await startOrAttach(t.client, sandbox.config, sandbox.config.mappings[0]);
    const status = () => t.client.workflow.getHandle(handle.workflowId).query(statusQuery);
    for (const atPages of [4, 10]) {
      await until(`${atPages} pages`, status, (s: SyncStatus) => s.pages >= atPages, 120_000);
      await worker!.kill('SIGKILL');
      startWorker();
    }
    const report = await reportOf(handle);
    sandbox.abm.faults.reset();
    assert.equal(report.status, 'completed', JSON.stringify(report.failures.slice(0, 3)));
    assert.equal(report.devicesSeen, FLEET);
    assertCollectionEqualsFleet();
    const extraFetches = pagesFetched() - 1 /* connection test */ - report.pages;
    assert.ok(extraFetches <= 4, `extra page fetches: ${extraFetches}`);
  });

  it('leaves the collection exactly equal to the fleet: count, identifiers and every mapped value', () => {
    assertCollectionEqualsFleet();
  });

  it('makes no write on a second, unchanged sync', async () => {
    sandbox.assetPanda.resetCounters();
    const { report } = await sync(t.client);
    assert.equal(report.unchanged, FLEET);
    const counts = sandbox.assetPanda.requestCounts();
    assert.deepEqual(counts.create, {});
    assert.deepEqual(counts.update, {});
  });

  it('turns 10 edited and 5 added devices into exactly 10 updates and 5 creates', async () => {
    const fleet = sandbox.abm.fleet.all();
    for (const d of fleet.slice(100, 110))
      sandbox.abm.fleet.edit(d.serialNumber, { color: d.color === 'SILVER' ? 'MIDNIGHT' : 'SILVER' });
    sandbox.abm.fleet.add(5);
    const { report } = await sync(t.client);
    assert.equal(report.updated, 10);
    assert.equal(report.created, 5);
    assert.equal(report.unchanged, FLEET - 10);
    assertCollectionEqualsFleet();
  });

  it('keeps every private key, access token and API secret out of the exported history', async () => {
    const secrets = [
      sandbox.env.ASSETPANDA_API_SECRET,
      sandbox.env.ASSETPANDA_API_KEY,
      'PRIVATE KEY',
      // the body of the PEM, in chunks long enough to be unmistakable
      ...sandbox.abm.credentials.pkcs8UnderEcLabelPem
        .split('\n')
        .filter((l) => l.length >= 40 && !l.startsWith('-----'))
        .map((l) => l.slice(0, 40)),
      ...sandbox.abm.issuedTokens(),
    ];
    assert.ok(sandbox.abm.issuedTokens().length > 0, 'the worker obtained ABM tokens');
    // A run's history holds whole device pages: allow answers above gRPC's default 4 MiB.
    const connection = await Connection.connect({
      address: t.address,
      channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
    });
    const client = new Client({ connection });
    let histories = '';
    try {
      for await (const w of client.workflow.list({ query: `WorkflowId = "abm-sync-${mappingId}"` })) {
        const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
        histories += await historyText(history);
      }
    } finally {
      await connection.close();
    }
    assert.ok(histories.length > 10_000, 'histories were exported');
    assert.ok(
      histories.includes(sandbox.abm.fleet.all()[0].serialNumber),
      'compressed device pages were decoded',
    );
    for (const s of secrets)
      assert.ok(!histories.includes(s), `history contains a secret (${s.slice(0, 6)}…)`);
    const logs = worker!.logs();
    for (const s of secrets) assert.ok(!logs.includes(s), `worker logs contain a secret (${s.slice(0, 6)}…)`);
  });

  it('stops the worker the launcher started when the launcher itself is killed, leaving no orphan', async () => {
    const launcher = spawnWorker(
      configPath,
      {
        ASSETPANDA_API_KEY: sandbox.env.ASSETPANDA_API_KEY,
        ASSETPANDA_API_SECRET: sandbox.env.ASSETPANDA_API_SECRET,
      },
      { viaLauncher: true },
    );
    const childrenFile = `/proc/${launcher.child.pid}/task/${launcher.child.pid}/children`;
    const [workerPid] = await until(
      'the launcher to start the worker',
      async () => readFileSync(childrenFile, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      (pids) => pids.length > 0,
    );
    await until(
      'the worker to poll',
      async () => launcher.logs(),
      (l) => l.includes('abm-sync worker polling'),
    );
    await launcher.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(workerPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(
      'the orphaned worker to stop',
      async () => alive(),
      (a) => !a,
    );
  });
});
