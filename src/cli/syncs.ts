import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AbmSyncConfig, MappingConfig } from '../config/schema';
import { statusQuery, SYNC_WORKFLOW_TYPE, syncWorkflowId } from '../shared/messages';
import { phaseSchema, runReportSchema, syncStatusSchema } from '../shared/report';
import { MappingIdAttribute, PhaseAttribute } from '../shared/search-attributes';
import type { PendingRetry, RunReport, SyncStatus } from '../shared/types';
import type { abmSyncWorkflow } from '../workflows';

export function workflowStartOptions(config: AbmSyncConfig, mapping: MappingConfig) {
  const fields = Object.entries(mapping.fields)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join('\n');
  return {
    taskQueue: config.temporal.taskQueue,
    args: [{ mappingId: mapping.id }] as Parameters<typeof abmSyncWorkflow>,
    staticSummary: `ABM → Asset Panda: ${mapping.name ?? mapping.id} → "${mapping.collection}"`.slice(0, 190),
    staticDetails:
      `Mapping \`${mapping.id}\`, identifier \`${mapping.uniqueIdentifier}\`, collection "${mapping.collection}".\n\n` +
      `| ABM field | column |\n|---|---|\n${fields}`,
    typedSearchAttributes: [{ key: MappingIdAttribute, value: mapping.id }],
  };
}

/** Starts the mapping's sync, or attaches to the one already running (one sync per mapping). */
export async function startOrAttach(
  client: Client,
  config: AbmSyncConfig,
  mapping: MappingConfig,
): Promise<{ handle: WorkflowHandle<typeof abmSyncWorkflow>; attached: boolean }> {
  const running = await findRunningSync(client, mapping.id);
  if (running) return { handle: running, attached: true };
  const handle = await client.workflow.start<typeof abmSyncWorkflow>(SYNC_WORKFLOW_TYPE, {
    ...workflowStartOptions(config, mapping),
    workflowId: syncWorkflowId(mapping.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { handle: client.workflow.getHandle(handle.workflowId), attached: false };
}

/** What both a description and a listing say of a run: all that finding and reporting need. */
type RunFacts = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'startTime' | 'closeTime'>;

async function describeOrUndefined(h: WorkflowHandle): Promise<RunFacts | undefined> {
  try {
    return await h.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Syncs of this mapping, newest first: the one started by hand and those its schedule started. */
async function recentSyncs(client: Client, mappingId: string): Promise<RunFacts[]> {
  const found: RunFacts[] = [];
  const manual = await describeOrUndefined(client.workflow.getHandle(syncWorkflowId(mappingId)));
  if (manual) found.push(manual);
  const query = `WorkflowType = "${SYNC_WORKFLOW_TYPE}" AND ${MappingIdAttribute.name} = "${mappingId}"`;
  let n = 0;
  for await (const w of client.workflow.list({ query })) {
    if (!found.some((f) => f.workflowId === w.workflowId && f.runId === w.runId)) {
      found.push(w);
    }
    if (++n >= 50) break;
  }
  return found
    .filter((w) => w.status.name !== 'CONTINUED_AS_NEW')
    .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
}

export async function findRunningSync(
  client: Client,
  mappingId: string,
): Promise<WorkflowHandle<typeof abmSyncWorkflow> | undefined> {
  const running = (await recentSyncs(client, mappingId)).find((w) => w.status.name === 'RUNNING');
  return running ? client.workflow.getHandle(running.workflowId) : undefined;
}

/** The running sync's live status, else the last one's final status; undefined when none ever ran. */
export async function latestStatus(client: Client, mappingId: string): Promise<SyncStatus | undefined> {
  const syncs = await recentSyncs(client, mappingId);
  const running = syncs.find((w) => w.status.name === 'RUNNING');
  if (running) return liveStatus(client, running.workflowId, mappingId);
  for (const run of syncs) {
    const report = await reportOf(
      client.workflow.getHandle<typeof abmSyncWorkflow>(run.workflowId, run.runId),
    );
    // A scheduled run that stepped aside for a sync started by hand is not the sync people ask about.
    if (report.skipped) continue;
    return statusFromReport(withRunFacts(report, mappingId, run), run.workflowId);
  }
  return undefined;
}

const QUERY_DEADLINE_MS = 5_000;

/**
 * The workflow's own status, plus what only Temporal knows: an activity being retried (a long
 * Retry-After, an outage). Without a worker the query cannot be answered; the status then says so.
 */
async function liveStatus(client: Client, workflowId: string, mappingId: string): Promise<SyncStatus> {
  const handle = client.workflow.getHandle<typeof abmSyncWorkflow>(workflowId);
  const description = await handle.describe();
  const retrying = pendingRetry(description);
  let status: SyncStatus;
  try {
    status = await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      handle.query(statusQuery).then((v) => syncStatusSchema.parse(v)),
    );
  } catch {
    const phase = phaseSchema.safeParse(description.typedSearchAttributes.get(PhaseAttribute)).data;
    const silent = emptyReport(
      `no worker answered within ${QUERY_DEADLINE_MS / 1000} s: is \`abm-sync worker\` running on task queue ${description.taskQueue}?`,
    );
    status = {
      ...statusFromReport(withRunFacts(silent, mappingId, description), workflowId),
      phase: phase ?? 'fetching',
      workerAnswered: false,
    };
  }
  if (!retrying) return status;
  return { ...status, retrying, lastError: retrying.lastFailure ?? status.lastError };
}

function pendingRetry(d: WorkflowExecutionDescription): PendingRetry | undefined {
  const retried = (d.raw.pendingActivities ?? []).find((a) => (a.attempt ?? 1) > 1 || a.lastFailure);
  if (!retried) return undefined;
  const next = retried.nextAttemptScheduleTime;
  return {
    activity: retried.activityType?.name ?? 'activity',
    attempt: retried.attempt ?? 1,
    lastFailure: retried.lastFailure?.message ?? null,
    nextAttemptAt: next?.seconds ? new Date(Number(next.seconds) * 1000).toISOString() : null,
  };
}

/**
 * A run that ended without a report of its own (terminated, timed out) still belongs to this
 * mapping, and started and ended when Temporal says it did.
 */
export function withRunFacts(
  report: RunReport,
  mappingId: string,
  run: { startTime: Date; closeTime?: Date },
): RunReport {
  if (report.mappingId !== '') return report;
  return {
    ...report,
    mappingId,
    startedAt: run.startTime.toISOString(),
    finishedAt: run.closeTime?.toISOString() ?? report.finishedAt,
  };
}

/** The run's report: its result, or the report carried by its failure. */
export async function reportOf(handle: WorkflowHandle<typeof abmSyncWorkflow>): Promise<RunReport> {
  try {
    return runReportSchema.parse(await handle.result());
  } catch (err) {
    const report = reportFromFailure(err);
    if (report) return report;
    throw err;
  }
}

export function reportFromFailure(err: unknown): RunReport | undefined {
  if (!(err instanceof WorkflowFailedError)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === 'SyncFailed') {
    const carried = runReportSchema.safeParse(cause.details?.[0]);
    if (carried.success) return carried.data;
  }
  return emptyReport(cause?.message ?? err.message);
}

/** A failed report with no counts: for runs that ended without one of their own. */
function emptyReport(error: string): RunReport {
  return {
    mappingId: '',
    status: 'failed',
    devicesSeen: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    failures: [],
    pages: 0,
    startedAt: '',
    finishedAt: new Date().toISOString(),
    throttledWaits: 0,
    scanRestarts: 0,
    runs: 0,
    error,
  };
}

function statusFromReport(r: RunReport, workflowId: string): SyncStatus {
  return {
    mappingId: r.mappingId,
    workflowId,
    phase: r.status,
    paused: false,
    pages: r.pages,
    devicesSeen: r.devicesSeen,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    failed: r.failed,
    throttledWaits: r.throttledWaits,
    lastError: r.error ?? null,
    startedAt: r.startedAt,
    updatedAt: r.finishedAt,
    scanRestarts: r.scanRestarts,
    runs: r.runs,
    fleetSize: null,
  };
}
