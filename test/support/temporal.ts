import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundle,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { resolveTemporalBinary } from '../../src/temporal/binaries';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { dataConverter } from '../../src/temporal/data-converter';

/** A Temporal server a test can use, with a guard that fails fast if the server dies. */
export interface TestTemporal {
  kind: 'dev-server' | 'time-skipping';
  address: string;
  namespace: string;
  client: Client;
  nativeConnection: NativeConnection;
  /** Rejects as soon as the server process is gone. */
  serverGone: Promise<never>;
  /** Present for the time-skipping server (and a dev server the SDK downloaded). */
  env?: TestWorkflowEnvironment;
}

let devServer: Promise<{ t: TestTemporal; stop(): Promise<void> }> | undefined;
let timeSkipping: Promise<TestTemporal> | undefined;
let bundle: Promise<WorkflowBundle> | undefined;

function log(msg: string): void {
  if (process.env.ABM_SYNC_TEST_VERBOSE) console.log(`[temporal-harness] ${msg}`);
}

/**
 * One dev server per test run (started on first use), with search attributes registered: the
 * project's binary, started directly; on a machine with internet and no binary, the SDK's download.
 */
export async function getDevServer(): Promise<TestTemporal> {
  devServer ??= (async () => {
    const bin = resolveTemporalBinary('cli', { log });
    if (bin.source === 'sdk-download') {
      log(`no Temporal CLI binary (${bin.tried.join('; ')}): letting the SDK download one`);
      const env = await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'cached-download' }, searchAttributes: [...SEARCH_ATTRIBUTES] },
        client: { dataConverter },
      });
      return { t: fromEnvironment('dev-server', env), stop: () => env.teardown() };
    }
    log(`dev server from ${bin.path} (${bin.source})`);
    const server = await startDevServer({ executable: bin.path });
    const { t, connection } = await connectTo(server);
    return {
      t,
      async stop() {
        await t.nativeConnection.close().catch(() => undefined);
        await connection.close().catch(() => undefined);
        await server.stop();
      },
    };
  })();
  return (await devServer).t;
}

/** Starts a separate dev server the caller owns (for tests that kill it). */
export async function startPrivateDevServer(
  opts: { dynamicConfig?: Record<string, string | number | boolean> } = {},
): Promise<{
  t: TestTemporal;
  server: RunningDevServer;
  close(): Promise<void>;
}> {
  const bin = resolveTemporalBinary('cli', { log });
  if (bin.source === 'sdk-download') throw new Error('No Temporal CLI binary');
  const server = await startDevServer({ executable: bin.path, dynamicConfig: opts.dynamicConfig });
  const { t, connection } = await connectTo(server);
  return {
    t,
    server,
    async close() {
      await t.nativeConnection.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await server.stop();
    },
  };
}

async function connectTo(server: RunningDevServer): Promise<{ t: TestTemporal; connection: Connection }> {
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const serverGone = server.exited.then((code) => {
    throw new Error(`Temporal dev server at ${server.address} exited (${code}) while a test was using it`);
  });
  serverGone.catch(() => undefined);
  const t: TestTemporal = {
    kind: 'dev-server',
    address: server.address,
    namespace: server.namespace,
    client: new Client({ connection, namespace: server.namespace, dataConverter }),
    nativeConnection,
    serverGone,
  };
  return { t, connection };
}

/** One time-skipping test server per test run (time is global to it, so tests using it run serially). */
export async function getTimeSkipping(): Promise<TestTemporal> {
  timeSkipping ??= (async () => {
    const bin = resolveTemporalBinary('testServer', { log });
    const executable =
      bin.source === 'sdk-download'
        ? ({ type: 'cached-download' } as const)
        : ({ type: 'existing-path', path: bin.path } as const);
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable },
      client: { dataConverter },
    });
    await env.connection.operatorService
      .addSearchAttributes({
        namespace: env.namespace ?? 'default',
        searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, 2 /* KEYWORD */])),
      })
      .catch(() => undefined);
    return fromEnvironment('time-skipping', env);
  })();
  return timeSkipping;
}

/** A server the SDK runs for us; its process is the SDK's to watch, so `serverGone` never fires. */
function fromEnvironment(kind: TestTemporal['kind'], env: TestWorkflowEnvironment): TestTemporal {
  return {
    kind,
    address: env.address,
    namespace: env.namespace ?? 'default',
    client: env.client,
    nativeConnection: env.nativeConnection,
    serverGone: new Promise<never>(() => undefined),
    env,
  };
}

/** The workflow code, bundled once per test run. */
export function getWorkflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Runs `fn` while a fresh worker polls `taskQueue`; fails at once if the server dies instead of
 * letting the test hang until its timeout.
 */
export async function withWorker<R>(
  t: TestTemporal,
  options: Omit<WorkerOptions, 'connection' | 'namespace' | 'workflowBundle' | 'workflowsPath'>,
  fn: () => Promise<R>,
): Promise<R> {
  const worker = await Worker.create({
    dataConverter,
    connection: t.nativeConnection,
    namespace: t.namespace,
    workflowBundle: await getWorkflowBundle(),
    ...options,
  });
  const running = worker.runUntil(fn);
  try {
    return await Promise.race([running, t.serverGone]);
  } catch (err) {
    // Stop polling a dead server; the worker's own failure is expected and already reported.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    running.catch(() => undefined);
    throw err;
  }
}

export async function stopSharedServers(): Promise<void> {
  if (devServer) await (await devServer.catch(() => undefined))?.stop();
  if (timeSkipping) {
    const ts = await timeSkipping.catch(() => undefined);
    await ts?.env?.teardown();
  }
}
