import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  FailureTypes,
  pauseSignal,
  resumeSignal,
  resyncSignal,
  statusQuery,
  syncWorkflowId,
} from '../shared/messages';
import { MappingIdAttribute, PhaseAttribute } from '../shared/search-attributes';
import type { AbmDevice, Phase, RunReport, SyncState, SyncWorkflowInput } from '../shared/types';
import { fetchDevicePage, findManualSync, testConnection, upsertBatch } from './proxies';
import {
  addBatch,
  addRejected,
  currentDetails,
  DEFAULT_SETTINGS,
  newState,
  reportOf,
  restartScan,
  statusOf,
} from './state';

/**
 * One sync of one mapping: test the connection, walk ABM's device pages with the cursor held here,
 * upsert each page in batches, and finish with a report. Pause, resume and resync arrive as signals;
 * history stays bounded by continuing as new with the state carried across.
 */
export async function abmSyncWorkflow(input: SyncWorkflowInput): Promise<RunReport> {
  const { mappingId } = input;
  const info = workflowInfo();
  const now = (): string => new Date(Date.now()).toISOString();
  let phase: Phase = 'testing-connection';
  let pagesThisRun = 0;
  const state: SyncState = input.state
    ? { ...input.state, runs: input.state.runs + 1 }
    : newState(now(), { ...DEFAULT_SETTINGS, ...input.settings });

  const status = () => statusOf(state, phase, { mappingId, workflowId: info.workflowId }, now());
  // Each upsert is a history event, so the phase attribute is written only when it changes.
  let indexedPhase: Phase | undefined;
  const show = (next: Phase): void => {
    phase = next;
    const s = status();
    setCurrentDetails(currentDetails(s));
    if (s.phase !== indexedPhase) {
      indexedPhase = s.phase;
      upsertSearchAttributes([
        { key: MappingIdAttribute, value: mappingId },
        { key: PhaseAttribute, value: s.phase },
      ]);
    }
  };

  setHandler(pauseSignal, () => {
    state.paused = true;
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
  });
  setHandler(resyncSignal, () => {
    state.resyncRequested = true;
  });
  setHandler(statusQuery, status);

  if (!input.state && info.workflowId !== syncWorkflowId(mappingId)) {
    // Started by the schedule: a sync started by hand may be running already (the schedule's own
    // overlap policy only sees its own runs). It does the work; this run steps aside.
    const { runningWorkflowId } = await findManualSync({ mappingId });
    if (runningWorkflowId) {
      const report = {
        ...reportOf(state, mappingId, now()),
        skipped: `sync ${runningWorkflowId} was already running`,
      };
      show('completed');
      return report;
    }
  }

  let outcome: 'done' | 'continue';
  try {
    if (!input.state) {
      show('testing-connection');
      const connection = await testConnection({ mappingId });
      state.fleetSize = connection.fleetSize;
      state.throttledWaits += connection.throttledWaits;
      state.settings = { ...state.settings, ...connection.settings, ...input.settings };
    }
    outcome = await scan();
  } catch (err) {
    // A bug in this code (a TypeError, say) must fail the workflow task, not the run: Temporal then
    // retries the task, and the sync resumes once fixed code is deployed.
    if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
    const message = failureMessage(err);
    state.lastError = message;
    show('failed');
    throw ApplicationFailure.create({
      message: `Sync of mapping "${mappingId}" failed: ${message}`,
      type: 'SyncFailed',
      nonRetryable: true,
      details: [reportOf(state, mappingId, now(), message)],
    });
  }

  if (outcome === 'continue') {
    await condition(allHandlersFinished);
    return await continueAsNew<typeof abmSyncWorkflow>({ mappingId, state, settings: input.settings });
  }

  const report = reportOf(state, mappingId, now());
  show(report.status);
  await condition(allHandlersFinished);
  return report;

  // ---- the steps, in the order the story above uses them ----

  /** Walks the pages from the cursor; 'continue' when this run's history is long enough. */
  async function scan(): Promise<'done' | 'continue'> {
    for (;;) {
      await holdWhilePaused();
      if (takeResync()) continue;

      show('fetching');
      const page = await fetchPageOrRestart();
      if (!page) continue;

      addRejected(state, page.rejected);
      show('upserting');
      const completedPage = await upsertPage(page.devices);
      if (!completedPage) continue; // a resync arrived mid-page: the scan starts over

      state.counts.pages += 1;
      pagesThisRun += 1;
      state.cursor = page.nextCursor;
      if (state.cursor === null) return 'done';
      if (workflowInfo().continueAsNewSuggested || pagesThisRun >= state.settings.continueAsNewEveryPages) {
        return 'continue';
      }
    }
  }

  async function holdWhilePaused(): Promise<void> {
    if (!state.paused) return;
    show('paused');
    await condition(() => !state.paused || state.resyncRequested);
  }

  function takeResync(): boolean {
    if (!state.resyncRequested) return false;
    restartScan(state);
    return true;
  }

  async function fetchPageOrRestart() {
    try {
      const page = await fetchDevicePage({ mappingId, cursor: state.cursor, limit: state.settings.pageSize });
      state.throttledWaits += page.throttledWaits;
      if (page.total !== null) state.fleetSize = page.total;
      return page;
    } catch (err) {
      if (isFailureOfType(err, FailureTypes.cursorExpired)) {
        state.lastError = `ABM rejected the page cursor (${failureMessage(err)}); the scan restarts from the first page`;
        restartScan(state);
        return undefined;
      }
      throw err;
    }
  }

  /** Upserts one page batch by batch; false when a resync cut it short. */
  async function upsertPage(devices: AbmDevice[]): Promise<boolean> {
    const { batchSize, parallelism } = state.settings;
    const batches: AbmDevice[][] = [];
    for (let i = 0; i < devices.length; i += batchSize) batches.push(devices.slice(i, i + batchSize));
    for (let i = 0; i < batches.length; i += parallelism) {
      await holdWhilePaused();
      if (takeResync()) return false;
      show('upserting');
      const results = await Promise.all(
        batches.slice(i, i + parallelism).map((batch) => upsertBatch({ mappingId, devices: batch })),
      );
      for (const r of results) addBatch(state, r);
    }
    return true;
  }
}

function isFailureOfType(err: unknown, type: string): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
