import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from './activities';
import { buildClients } from './clients';
import type { LoadedConfig } from './config/load';
import { loadSecrets } from './config/secrets';
import { temporalConnectionOptions } from './temporal/connection-options';
import { dataConverter } from './temporal/data-converter';

const PREBUILT_BUNDLE = path.join(__dirname, 'workflow-bundle.js');

/**
 * The workflow code: the bundle `npm run build` wrote next to the compiled worker, or, when running
 * from the TypeScript sources, a bundle made now (quietly: webpack's summary stays out of the logs).
 */
async function workflowBundle(): Promise<WorkflowBundleOption> {
  if (existsSync(PREBUILT_BUNDLE)) return { codePath: PREBUILT_BUNDLE };
  return bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: new DefaultLogger('WARN'),
  });
}

export interface StartedWorker {
  worker: Worker;
  /** Settles when the worker has drained and every connection is closed. */
  finished: Promise<void>;
}

/**
 * Builds the API clients once from the config and the environment, and starts a worker on the
 * config's task queue. Runtime.install (logging, shutdown signals) is the caller's: once per process.
 */
export async function startWorker(opts: {
  loaded: LoadedConfig;
  env?: NodeJS.ProcessEnv;
  /** Defaults to a new connection to `temporal.address`. */
  connection?: NativeConnection;
  maxConcurrentActivityTaskExecutions?: number;
}): Promise<StartedWorker> {
  const { config } = opts.loaded;
  const secrets = loadSecrets(opts.loaded, opts.env);
  const clients = buildClients(config, secrets);
  const ownConnection = !opts.connection;
  const connection =
    opts.connection ?? (await NativeConnection.connect(temporalConnectionOptions(opts.loaded, opts.env)));
  try {
    const worker = await Worker.create({
      dataConverter,
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ config, abm: clients.abm, assetPanda: clients.assetPanda }),
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 16,
      // In-flight batches get time to finish on SIGTERM; an unfinished one is retried elsewhere, which
      // is safe because batches are idempotent.
      shutdownGraceTime: '20s',
    });
    const finished = worker.run().finally(async () => {
      await clients.close();
      if (ownConnection) await connection.close();
    });
    return { worker, finished };
  } catch (err) {
    await clients.close();
    if (ownConnection) await connection.close();
    throw err;
  }
}
