import { Runtime } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../config/load';
import { jsonLogger, logLevelFromEnv } from '../logging';
import { startSandbox } from '../sandbox';
import { resolveTemporalBinary } from '../temporal/binaries';
import { startCodecServer } from '../temporal/codec-server';
import { startDevServer, type DevServerOptions, type RunningDevServer } from '../temporal/dev-server';
import { freePort, isPortFree } from '../temporal/free-port';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { startWorker } from '../worker';
import { exitCodeOf, formatReport, printJson, ProgressView } from './output';
import { startOrAttach } from './syncs';
import { connectTemporal } from './temporal-client';
import { waitForReport } from './sync-commands';

const say = (msg: string): void => void process.stderr.write(`${msg}\n`);

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
function stopRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function temporalExecutable(): string {
  const bin = resolveTemporalBinary('cli', { log: say });
  if (bin.source === 'sdk-download') {
    throw new Error(
      `No Temporal CLI binary found (tried ${bin.tried.join('; ')}). ` +
        'Set TEMPORAL_CLI_PATH to a `temporal` binary or install it on PATH.',
    );
  }
  return bin.path;
}

export async function workerCommand(loaded: LoadedConfig): Promise<number> {
  // The SDK drains the worker on these signals: in-flight batches get the grace time to finish.
  Runtime.install({ logger: jsonLogger(logLevelFromEnv()), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  // The SDK stops listening after the first signal, and a second one (Ctrl-C reaches both this
  // process and bin/abm-sync.js, which passes it on) would then kill the drain: absorb repeats.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => undefined);
  // Started by bin/abm-sync.js with an IPC channel: if that process dies, drain and stop as on SIGTERM.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  const { config } = loaded;
  const session = await connectTemporal(loaded);
  const missing = await ensureSearchAttributes(session.connection, config.temporal.namespace).finally(() =>
    session.close(),
  );
  if (missing.length > 0) {
    throw new Error(
      `Search attributes ${missing.join(', ')} are not registered in namespace ${config.temporal.namespace} and could not be added: ` +
        `run \`temporal operator search-attribute create --name AbmSyncMappingId --type Keyword\` (and AbmSyncPhase) first`,
    );
  }
  const started = await startWorker({ loaded });
  Runtime.instance().logger.info('abm-sync worker polling', {
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    address: config.temporal.address,
    mappings: config.mappings.map((m) => m.id),
  });
  await started.finished;
  Runtime.instance().logger.info('abm-sync worker stopped');
  return 0;
}

export async function devServerCommand(opts: {
  port?: number;
  uiPort?: number;
  dbFilename?: string;
}): Promise<number> {
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  const server = await startLocalTemporal({ port, uiPort, dbFilename: opts.dbFilename, stdio: 'inherit' });
  say(`Temporal dev server at ${server.address} (namespace default), Web UI at ${server.uiUrl}`);
  say(
    opts.dbFilename
      ? `State persists in ${path.resolve(opts.dbFilename)}.`
      : 'State is in memory: pass --db-filename FILE to keep it.',
  );
  say('Ctrl-C stops it.');
  const code = await Promise.race([server.exited, stopRequested().then(() => 'stop' as const)]);
  await server.stop();
  // Stopped by us: 0. Exited on its own: its own exit code (a signal name counts as 1).
  return code === 'stop' ? 0 : typeof code === 'number' ? code : 1;
}

/**
 * The dev server with its Web UI and the codec server that UI needs to show compressed payloads;
 * stopping the server stops both.
 */
async function startLocalTemporal(
  opts: Omit<DevServerOptions, 'executable' | 'uiCodecEndpoint'> & { uiPort: number },
): Promise<RunningDevServer> {
  const codec = await startCodecServer({ allowedOrigins: uiOrigins(opts.uiPort) });
  try {
    const server = await startDevServer({
      ...opts,
      executable: temporalExecutable(),
      uiCodecEndpoint: codec.url,
    });
    return {
      ...server,
      async stop() {
        await server.stop();
        await codec.close();
      },
    };
  } catch (err) {
    await codec.close();
    throw err;
  }
}

/** The origins a browser shows the local Web UI under. */
function uiOrigins(uiPort: number): string[] {
  return [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
}

export async function codecServerCommand(opts: {
  port?: number;
  host?: string;
  uiOrigin?: string[];
}): Promise<number> {
  const origins = opts.uiOrigin?.length ? opts.uiOrigin : uiOrigins(8233);
  const codec = await startCodecServer({
    port: opts.port ?? 8888,
    host: opts.host ?? '127.0.0.1',
    allowedOrigins: origins,
  });
  say(`Codec server at ${codec.url}, answering the Web UI at ${origins.join(', ')}.`);
  say(
    `Point the UI at it: temporal server start-dev --ui-codec-endpoint ${codec.url}, or TEMPORAL_CODEC_ENDPOINT for the UI container.`,
  );
  say('Ctrl-C stops it.');
  await stopRequested();
  await codec.close();
  return 0;
}

export async function simCommand(opts: {
  abmPort?: number;
  apPort?: number;
  devices?: number;
  seed?: number;
}): Promise<number> {
  const sandbox = await startSandbox({
    abmPort: opts.abmPort ?? 8801,
    apPort: opts.apPort ?? 8802,
    devices: opts.devices,
    seed: opts.seed,
  });
  const dir = path.resolve('.abm-sync', 'sim');
  const { configPath, keyPath } = sandbox.writeFiles(dir);
  say(`ABM simulator:        ${sandbox.abm.url} (${sandbox.abm.fleet.size} devices)`);
  say(
    `Asset Panda simulator: ${sandbox.assetPanda.url} (account "Acme Corp", module "IT Assets", collection "Apple Devices")`,
  );
  say(`Config: ${configPath} (ABM key: ${keyPath})`);
  say('Use them from another shell:');
  process.stdout.write(
    [
      `export ABM_SYNC_CONFIG=${configPath}`,
      `export ASSETPANDA_API_KEY=${sandbox.env.ASSETPANDA_API_KEY}`,
      `export ASSETPANDA_API_SECRET=${sandbox.env.ASSETPANDA_API_SECRET}`,
      '',
    ].join('\n'),
  );
  say('Ctrl-C stops them.');
  await stopRequested();
  await sandbox.close();
  return 0;
}

/**
 * The whole product on one machine without credentials: dev server with the Web UI, both simulators,
 * a worker, and one full sync with live progress. Everything stops at the end (or on Ctrl-C) unless
 * --keep is given.
 */
export async function demoCommand(opts: {
  devices?: number;
  keep?: boolean;
  json?: boolean;
}): Promise<number> {
  Runtime.install({ logger: jsonLogger('WARN'), shutdownSignals: [] });
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  const interrupted = stopRequested().then(async (sig) => {
    say(`\n${sig}: stopping the demo …`);
    await cleanup();
    process.exit(130);
  });
  void interrupted;

  try {
    const uiPort = (await isPortFree(8233)) ? 8233 : await freePort();
    say('Starting the Temporal dev server with the Web UI …');
    const server = await startLocalTemporal({ uiPort });
    cleanups.push(() => server.stop());

    const devices = opts.devices ?? 2000;
    say(`Starting the ABM simulator (${devices} devices) and the Asset Panda simulator …`);
    const taskQueue = 'abm-sync-demo';
    // The simulated ABM reports its fleet size (the real one often does not), so the bar can show how far along it is.
    const sandbox = await startSandbox({
      devices,
      temporal: { address: server.address, taskQueue },
      abm: { includeTotal: true },
    });
    cleanups.push(() => sandbox.close());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-demo-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { configPath } = sandbox.writeFiles(dir);
    const loaded: LoadedConfig = { config: sandbox.config, path: configPath, dir };

    const started = await startWorker({ loaded, env: sandbox.env });
    cleanups.push(async () => {
      started.worker.shutdown();
      await started.finished;
    });

    const session = await connectTemporal(loaded);
    cleanups.push(() => session.close());
    const temporal = session.client;
    const mapping = sandbox.config.mappings[0];
    const { handle } = await startOrAttach(temporal, sandbox.config, mapping);
    const workflowUrl = `${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}`;
    say(`Syncing ${devices} devices into "Apple Devices" (watch it live: ${workflowUrl})`);
    const report = await waitForReport(
      temporal,
      handle,
      new ProgressView(!opts.json && process.stderr.isTTY === true),
    );
    if (opts.json) printJson(report);
    else process.stdout.write(`${formatReport(report)}\n`);
    say(
      opts.keep
        ? `Temporal Web UI: ${server.uiUrl} (this run: ${workflowUrl})`
        : 'Run `npm run demo -- --keep` (or `abm-sync demo --keep`) to keep the Web UI up and explore the run there.',
    );
    const records = sandbox.assetPanda.records(sandbox.collection.collectionId).length;
    say(
      `Asset Panda simulator now holds ${records} records in "Apple Devices"; duplicates: ${sandbox.assetPanda.duplicates().length}.`,
    );

    if (opts.keep) {
      say(
        `--keep: everything stays up. Temporal at ${server.address}, ABM simulator ${sandbox.abm.url}, Asset Panda simulator ${sandbox.assetPanda.url}.`,
      );
      say('Try the CLI against it from another shell (simulator credentials):');
      say(
        `  export ABM_SYNC_CONFIG=${configPath} ASSETPANDA_API_KEY=${sandbox.env.ASSETPANDA_API_KEY} ASSETPANDA_API_SECRET=${sandbox.env.ASSETPANDA_API_SECRET}`,
      );
      say('  npx abm-sync status; npx abm-sync sync --wait');
      say('Ctrl-C stops everything.');
      await interrupted;
    }
    return exitCodeOf(report);
  } finally {
    await cleanup();
  }
}
