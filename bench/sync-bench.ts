/**
 * Speed and memory benchmark (issue 5, "Speed and memory"): the dev server, both simulators without
 * latency or limits, and a worker as its own OS process; a fresh sync then an unchanged one, with
 * devices per second, the worker's peak resident memory, requests per 1,000 devices to each API,
 * and the workflow's runs and history events. It prints verdicts against the targets and exits 0
 * unless something crashed: it is a measurement, not a test.
 *
 *   npm run bench -- --devices 20000 [--page-size N] [--batch-size N] [--parallelism N] [--json]
 */
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startOrAttach } from '../src/cli/syncs';
import type { AbmSyncConfig, MappingConfig } from '../src/config/schema';
import { loadConfig } from '../src/config/load';
import { startSandbox, type Sandbox } from '../src/sandbox';
import { resolveTemporalBinary } from '../src/temporal/binaries';
import { startDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { DEFAULT_SETTINGS } from '../src/workflows/state';
import { parseBenchArgs, USAGE, type BenchOptions } from './args';
import { syncRuns } from './history';
import { ownCpuSeconds, readCpuSeconds, readMemory, readProbe, RssSampler } from './proc';
import {
  formatFigures,
  machineInfo,
  verdicts,
  type BenchFigures,
  type PhaseFigures,
  type RequestFigures,
} from './report';
import { dataConverter } from '../src/temporal/data-converter';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'abm-sync.js');
const WORKER_READY_TIMEOUT_MS = 180_000;

const say = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

/** Cleanup steps run once, last registered first, on success, error or a signal. */
class Cleanups {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        const t0 = performance.now();
        await step.run().catch((err: unknown) => say(`cleanup "${step.name}" failed: ${String(err)}`));
        const ms = performance.now() - t0;
        if (ms > 1000) say(`stopping the ${step.name} took ${(ms / 1000).toFixed(1)} s`);
      }
    })();
    return this.running;
  }
}

function temporalExecutable(): string {
  const bin = resolveTemporalBinary('cli', { log: say });
  if (bin.source === 'sdk-download') {
    throw new Error(`No Temporal CLI binary (tried ${bin.tried.join('; ')}); set TEMPORAL_CLI_PATH`);
  }
  return bin.path;
}

/** Writes the sandbox's config with the bench's task queue, server and tunables; loads it back validated. */
function writeConfig(
  sandbox: Sandbox,
  dir: string,
  opts: BenchOptions,
): { config: AbmSyncConfig; path: string } {
  const { configPath } = sandbox.writeFiles(dir);
  const json = JSON.parse(readFileSync(configPath, 'utf8')) as { mappings: MappingConfig[] };
  json.mappings = json.mappings.map((m) => ({
    ...m,
    ...(opts.pageSize !== undefined && { pageSize: opts.pageSize }),
    ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }),
    ...(opts.parallelism !== undefined && { parallelism: opts.parallelism }),
  }));
  writeFileSync(configPath, `${JSON.stringify(json, null, 2)}\n`);
  return { config: loadConfig(configPath).config, path: configPath };
}

interface RunningWorker {
  child: ChildProcess;
  pid: number;
  /** Rejects when the worker process exits (it should only exit when the bench stops it). */
  gone: Promise<never>;
  stop(): Promise<void>;
}

function spawnWorker(
  configPath: string,
  sandbox: Sandbox,
  logPath: string,
  opts: BenchOptions,
  probePath: string | undefined,
): RunningWorker {
  const log = openSync(logPath, 'w');
  const nodeFlags = [
    ...(opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(opts.profileDir)] : []),
    ...opts.workerNodeFlags,
    ...(probePath ? ['--require', 'tsx/cjs', '--require', path.join(__dirname, 'worker-probe.ts')] : []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASSETPANDA_API_KEY: sandbox.env.ASSETPANDA_API_KEY,
    ASSETPANDA_API_SECRET: sandbox.env.ASSETPANDA_API_SECRET,
    ...(probePath && { ABM_SYNC_BENCH_PROBE: probePath }),
  };
  // The key comes from the config's privateKeyFile, as a deployed worker would read it.
  delete env.ABM_PRIVATE_KEY;
  const child = spawn(process.execPath, [...nodeFlags, CLI, '--config', configPath, 'worker'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not spawn the worker');
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve((exitedWith = String(code ?? signal))));
    child.once('error', (err) => resolve((exitedWith = `spawn error: ${err.message}`)));
  });
  let stopping = false;
  const gone = exited.then((code): never => {
    throw new Error(
      `the worker exited (${code})${stopping ? '' : ' while the bench was using it'}; log: ${logPath}`,
    );
  });
  gone.catch(() => undefined);
  return {
    child,
    pid: child.pid,
    gone,
    async stop() {
      stopping = true;
      if (exitedWith !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the worker polls both the workflow and the activity task queue. */
async function waitForPollers(client: Client, namespace: string, taskQueue: string, worker: RunningWorker) {
  const deadline = Date.now() + WORKER_READY_TIMEOUT_MS;
  for (;;) {
    const [wf, act] = await Promise.race([
      Promise.all(
        ([1, 2] as const).map((taskQueueType) =>
          client.workflowService.describeTaskQueue({
            namespace,
            taskQueue: { name: taskQueue },
            taskQueueType,
          }),
        ),
      ),
      worker.gone,
    ]);
    if ((wf.pollers?.length ?? 0) > 0 && (act.pollers?.length ?? 0) > 0) return;
    if (Date.now() > deadline)
      throw new Error(`the worker did not poll ${taskQueue} within ${WORKER_READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function requestFigures(counts: Record<string, Record<string, number>>, devices: number): RequestFigures {
  const byRoute: Record<string, number> = {};
  let total = 0;
  for (const [route, byStatus] of Object.entries(counts)) {
    for (const [status, n] of Object.entries(byStatus)) {
      const key = /^2\d\d$/.test(status) ? route : `${route} ${status}`;
      byRoute[key] = (byRoute[key] ?? 0) + n;
      total += n;
    }
  }
  return { total, per1000: (total * 1000) / devices, byRoute };
}

async function runPhase(
  name: PhaseFigures['name'],
  ctx: {
    client: Client;
    config: AbmSyncConfig;
    sandbox: Sandbox;
    worker: RunningWorker;
    serverPid: number;
    devices: number;
    probePath: string | undefined;
  },
): Promise<PhaseFigures> {
  const { client, config, sandbox, worker, devices } = ctx;
  const mapping = config.mappings[0];
  sandbox.assetPanda.resetCounters();
  sandbox.abm.resetCounters();
  const sampler = new RssSampler(worker.pid, 100);
  const cpu0 = {
    worker: readCpuSeconds(worker.pid) ?? 0,
    server: readCpuSeconds(ctx.serverPid) ?? 0,
    own: ownCpuSeconds(),
  };
  say(`${name} sync of ${devices} devices …`);
  sampler.start();
  const startedAt = Date.now();
  const t0 = performance.now();
  const { handle, attached } = await startOrAttach(client, config, mapping);
  if (attached) throw new Error(`a sync of ${mapping.id} was already running`);
  const report = await Promise.race([handle.result(), worker.gone]);
  const seconds = (performance.now() - t0) / 1000;
  const { peakRssBytes } = sampler.stop();
  const probe = ctx.probePath ? readProbe(ctx.probePath, startedAt, Date.now()) : undefined;
  const cpu = {
    worker: (readCpuSeconds(worker.pid) ?? 0) - cpu0.worker,
    server: (readCpuSeconds(ctx.serverPid) ?? 0) - cpu0.server,
    own: ownCpuSeconds() - cpu0.own,
  };
  const hwmBytes = readMemory(worker.pid)?.hwmBytes ?? 0;
  const assetPandaCounts = sandbox.assetPanda.requestCounts();
  const abmCounts = sandbox.abm.counters().requests;
  say(`${name} sync: ${report.status} in ${seconds.toFixed(2)} s; reading its history …`);

  const last = await handle.describe();
  const workflow = await syncRuns(client, handle.workflowId, last.runId);

  const checks: string[] = [];
  if (report.status !== 'completed') checks.push(`report status ${report.status}: ${report.error ?? ''}`);
  if (report.devicesSeen !== devices) checks.push(`devicesSeen ${report.devicesSeen} ≠ ${devices}`);
  if (name === 'fresh') {
    if (report.created !== devices) checks.push(`created ${report.created} ≠ ${devices}`);
    const records = sandbox.assetPanda.records(sandbox.collection.collectionId).length;
    if (records !== devices) checks.push(`collection holds ${records} records, not ${devices}`);
  } else {
    if (report.unchanged !== devices) checks.push(`unchanged ${report.unchanged} ≠ ${devices}`);
    if (report.created + report.updated > 0) checks.push(`wrote ${report.created + report.updated} records`);
  }
  const dupes = sandbox.assetPanda.duplicates().length;
  if (dupes > 0) checks.push(`${dupes} duplicate identifiers in the collection`);
  if (workflow.runs.length !== report.runs)
    checks.push(`${workflow.runs.length} runs in history, report says ${report.runs}`);

  return {
    name,
    devices,
    seconds,
    devicesPerSecond: devices / seconds,
    report: {
      status: report.status,
      devicesSeen: report.devicesSeen,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      failed: report.failed,
      pages: report.pages,
      runs: report.runs,
    },
    worker: { peakRssBytes, hwmBytes, cpuSeconds: cpu.worker },
    serverCpuSeconds: cpu.server,
    simulatorsCpuSeconds: cpu.own,
    assetPanda: requestFigures(assetPandaCounts, devices),
    abm: requestFigures(abmCounts, devices),
    workflow,
    probe,
    checks,
  };
}

async function bench(opts: BenchOptions, cleanups: Cleanups): Promise<BenchFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-bench-'));
  cleanups.add('temp dir', async () => rmSync(dir, { recursive: true, force: true }));

  say('starting the Temporal dev server (in memory) …');
  const server: RunningDevServer = await startDevServer({ executable: temporalExecutable() });
  cleanups.add('dev server', () => server.stop());
  const serverPid = server.process.pid ?? 0;

  say(`starting both simulators with ${opts.devices} devices (no latency, no rate limits) …`);
  const taskQueue = `abm-sync-bench-${process.pid}-${Date.now().toString(36)}`;
  const sandbox = await startSandbox({
    devices: opts.devices,
    seed: opts.seed,
    temporal: { address: server.address, namespace: server.namespace, taskQueue },
  });
  cleanups.add('simulators', () => sandbox.close());
  const { config, path: configPath } = writeConfig(sandbox, dir, opts);

  const connection = await Connection.connect({ address: server.address });
  cleanups.add('client connection', () => connection.close());
  const client = new Client({ connection, namespace: server.namespace, dataConverter });

  const logPath = opts.workerLog ? path.resolve(opts.workerLog) : path.join(dir, 'worker.log');
  say(`starting the worker (separate process; log ${logPath}) …`);
  const t0 = performance.now();
  const probePath = opts.probe ? path.join(dir, 'worker-memory.jsonl') : undefined;
  const worker = spawnWorker(configPath, sandbox, logPath, opts, probePath);
  const killOnExit = () => void worker.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  cleanups.add('worker', async () => {
    await worker.stop();
    process.off('exit', killOnExit);
  });
  try {
    await waitForPollers(client, server.namespace, taskQueue, worker);
  } catch (err) {
    say(`worker log tail:\n${tail(logPath)}`);
    throw err;
  }
  const workerStartSeconds = (performance.now() - t0) / 1000;
  const ready = readMemory(worker.pid) ?? { rssBytes: 0, hwmBytes: 0 };
  say(`worker polling after ${workerStartSeconds.toFixed(1)} s`);

  const ctx = { client, config, sandbox, worker, serverPid, devices: opts.devices, probePath };
  const phases: PhaseFigures[] = [];
  try {
    phases.push(await runPhase('fresh', ctx));
    phases.push(await runPhase('unchanged', ctx));
  } catch (err) {
    say(`worker log tail:\n${tail(logPath)}`);
    throw err;
  }

  const mapping = config.mappings[0];
  const figures: Omit<BenchFigures, 'verdicts'> = {
    machine: machineInfo(),
    devices: opts.devices,
    settings: {
      pageSize: mapping.pageSize ?? `default (${DEFAULT_SETTINGS.pageSize})`,
      batchSize: mapping.batchSize ?? `default (${DEFAULT_SETTINGS.batchSize})`,
      parallelism: mapping.parallelism ?? `default (${DEFAULT_SETTINGS.parallelism})`,
    },
    workerNodeFlags: opts.workerNodeFlags,
    workerStartSeconds,
    workerReady: ready,
    phases,
  };
  return { ...figures, verdicts: verdicts(figures) };
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function main(): Promise<number> {
  let opts: BenchOptions | undefined;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cleanups = new Cleanups();
  const onSignal = (sig: NodeJS.Signals): void => {
    say(`${sig}: stopping the worker, the simulators and the dev server …`);
    void cleanups.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const figures = await bench(opts, cleanups);
    const text = formatFigures(figures);
    if (opts.json) {
      process.stderr.write(`${text}\n`);
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    } else {
      process.stdout.write(`${text}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await cleanups.runAll();
  }
}

void main().then((code) => process.exit(code));
