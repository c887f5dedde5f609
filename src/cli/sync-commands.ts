import type { Client, WorkflowHandle } from '@temporalio/client';
import { TargetCache } from '../activities/targets';
import { checkConnection } from '../activities/test-connection';
import { buildClients } from '../clients';
import { pickMapping, type LoadedConfig } from '../config/load';
import { loadSecrets } from '../config/secrets';
import { pauseSignal, resumeSignal, resyncSignal, statusQuery } from '../shared/messages';
import { syncStatusSchema } from '../shared/report';
import type { RunReport, SyncStatus } from '../shared/types';
import type { abmSyncWorkflow } from '../workflows';
import { exitCodeOf, formatChecks, formatReport, formatStatus, printJson, ProgressView } from './output';
import { findRunningSync, latestStatus, reportOf, startOrAttach, withRunFacts } from './syncs';
import { connectTemporal } from './temporal-client';

export interface CommonOptions {
  mapping?: string;
  json?: boolean;
}

const say = (msg: string): void => void process.stderr.write(`${msg}\n`);

export async function testConnectionCommand(loaded: LoadedConfig, opts: CommonOptions): Promise<number> {
  const mapping = pickMapping(loaded.config, opts.mapping);
  const clients = buildClients(loaded.config, loadSecrets(loaded));
  try {
    const targets = new TargetCache(
      clients.assetPanda,
      loaded.config.assetPanda.account,
      loaded.config.assetPanda.module,
    );
    const result = await checkConnection({
      abm: clients.abm,
      targets,
      mapping,
      fresh: true,
      retryable: 'report',
    });
    if (opts.json) printJson(result);
    else process.stdout.write(`${formatChecks(result.checks, result.warnings)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await clients.close();
  }
}

/** Polls the status query until the run (and any runs it continued into) ends. */
export async function waitForReport(
  client: Client,
  handle: WorkflowHandle<typeof abmSyncWorkflow>,
  progress: ProgressView,
): Promise<RunReport> {
  const result = reportOf(handle);
  let done = false;
  void result.finally(() => (done = true)).catch(() => undefined);
  const latest = client.workflow.getHandle<typeof abmSyncWorkflow>(handle.workflowId);
  while (!done) {
    try {
      progress.update(syncStatusSchema.parse(await latest.query(statusQuery)));
    } catch {
      // between runs (continue-as-new) or before the worker picked the run up: try again
    }
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  progress.stop();
  return result;
}

export async function syncCommand(
  loaded: LoadedConfig,
  opts: CommonOptions & { wait?: boolean },
): Promise<number> {
  const mapping = pickMapping(loaded.config, opts.mapping);
  const t = await connectTemporal(loaded);
  try {
    const { handle, attached } = await startOrAttach(t.client, loaded.config, mapping);
    if (!opts.json)
      say(
        `${attached ? 'Attached to the running sync' : 'Started sync'} ${handle.workflowId} of mapping ${mapping.id}`,
      );
    if (!opts.wait) {
      if (opts.json) printJson({ mappingId: mapping.id, workflowId: handle.workflowId, attached });
      return 0;
    }
    const report = await waitForReport(
      t.client,
      handle,
      new ProgressView(!opts.json && process.stderr.isTTY === true),
    );
    const full = withRunFacts(report, mapping.id, await handle.describe());
    if (opts.json) printJson(full);
    else process.stdout.write(`${formatReport(full)}\n`);
    return exitCodeOf(full);
  } finally {
    await t.close();
  }
}

export async function statusCommand(
  loaded: LoadedConfig,
  opts: CommonOptions & { watch?: boolean },
): Promise<number> {
  const mapping = pickMapping(loaded.config, opts.mapping);
  const t = await connectTemporal(loaded);
  try {
    const show = (s: SyncStatus) => (opts.json ? printJson(s) : process.stdout.write(`${formatStatus(s)}\n`));
    const status = await latestStatus(t.client, mapping.id);
    if (!status) {
      say(
        `No sync of mapping ${mapping.id} has run yet: start one with \`abm-sync sync --mapping ${mapping.id}\`.`,
      );
      return 1;
    }
    if (!opts.watch || !['testing-connection', 'fetching', 'upserting', 'paused'].includes(status.phase)) {
      show(status);
      return 0;
    }
    const running = await findRunningSync(t.client, mapping.id);
    if (!running) {
      show(status);
      return 0;
    }
    const report = await waitForReport(
      t.client,
      running,
      new ProgressView(!opts.json && process.stderr.isTTY === true),
    );
    const final = await latestStatus(t.client, mapping.id);
    if (final) show(final);
    else process.stdout.write(`${formatReport(report)}\n`);
    return 0;
  } finally {
    await t.close();
  }
}

const SIGNALS = { pause: pauseSignal, resume: resumeSignal, resync: resyncSignal } as const;

export async function signalCommand(
  loaded: LoadedConfig,
  which: keyof typeof SIGNALS,
  opts: CommonOptions,
): Promise<number> {
  const mapping = pickMapping(loaded.config, opts.mapping);
  const t = await connectTemporal(loaded);
  try {
    const running = await findRunningSync(t.client, mapping.id);
    if (!running) {
      say(`No sync of mapping ${mapping.id} is running: nothing to ${which}.`);
      return 1;
    }
    await running.signal(SIGNALS[which]);
    const msg = {
      pause: 'will pause after the batch in flight; the cursor is kept',
      resume: 'resumes from where it paused',
      resync: 'restarts from the first page after the batch in flight',
    }[which];
    if (opts.json) printJson({ mappingId: mapping.id, workflowId: running.workflowId, signal: which });
    else process.stdout.write(`Sync ${running.workflowId} ${msg}.\n`);
    return 0;
  } finally {
    await t.close();
  }
}
