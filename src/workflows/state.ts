import type {
  DeviceFailure,
  Phase,
  RunReport,
  SyncCounts,
  SyncSettings,
  SyncState,
  SyncStatus,
  UpsertBatchResult,
} from '../shared/types';
import { MAX_REPORTED_FAILURES } from '../shared/defaults';
export { DEFAULT_SETTINGS } from '../shared/defaults';

export function zeroCounts(): SyncCounts {
  return { pages: 0, devicesSeen: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
}

export function newState(startedAt: string, settings: SyncSettings): SyncState {
  return {
    settings,
    cursor: null,
    counts: zeroCounts(),
    failures: [],
    throttledWaits: 0,
    lastError: null,
    paused: false,
    resyncRequested: false,
    scanRestarts: 0,
    runs: 1,
    startedAt,
    fleetSize: null,
  };
}

/** Folds one batch's result into the running totals; the report keeps the first 1,000 failures. */
export function addBatch(state: SyncState, r: UpsertBatchResult): void {
  const c = state.counts;
  c.devicesSeen += r.devicesSeen;
  c.created += r.created;
  c.updated += r.updated;
  c.unchanged += r.unchanged;
  c.failed += r.failed;
  state.throttledWaits += r.throttledWaits;
  addFailures(state.failures, r.failures);
}

/** Devices ABM sent that break the schema count as seen and failed, like any failed device. */
export function addRejected(state: SyncState, rejected: DeviceFailure[]): void {
  if (rejected.length === 0) return;
  addBatch(state, {
    devicesSeen: rejected.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: rejected.length,
    failures: rejected,
    throttledWaits: 0,
  });
}

function addFailures(into: DeviceFailure[], more: DeviceFailure[]): void {
  for (const f of more) {
    if (into.length >= MAX_REPORTED_FAILURES) return;
    into.push(f);
  }
}

/** Back to the first page: counts describe one complete pass, so they start again too. */
export function restartScan(state: SyncState): void {
  state.cursor = null;
  state.counts = zeroCounts();
  state.failures = [];
  state.resyncRequested = false;
  state.scanRestarts += 1;
}

const RUNNING_PHASES: readonly Phase[] = ['testing-connection', 'fetching', 'upserting', 'paused'];

export function statusOf(
  state: SyncState,
  phase: Phase,
  ids: { mappingId: string; workflowId: string },
  now: string,
): SyncStatus {
  return {
    mappingId: ids.mappingId,
    workflowId: ids.workflowId,
    // A pause shows while the sync is under way; a finished run shows how it finished.
    phase: state.paused && RUNNING_PHASES.includes(phase) ? 'paused' : phase,
    paused: state.paused,
    ...state.counts,
    throttledWaits: state.throttledWaits,
    lastError: state.lastError,
    startedAt: state.startedAt,
    updatedAt: now,
    scanRestarts: state.scanRestarts,
    runs: state.runs,
    fleetSize: state.fleetSize,
  };
}

export function reportOf(state: SyncState, mappingId: string, finishedAt: string, error?: string): RunReport {
  const status = error ? 'failed' : state.counts.failed > 0 ? 'completed_with_errors' : 'completed';
  return {
    mappingId,
    status,
    ...state.counts,
    failures: state.failures,
    startedAt: state.startedAt,
    finishedAt,
    throttledWaits: state.throttledWaits,
    scanRestarts: state.scanRestarts,
    runs: state.runs,
    ...(error ? { error } : {}),
  };
}

/** Markdown for the Web UI's "Current Details". */
export function currentDetails(s: SyncStatus): string {
  const c = s;
  return [
    `**${s.phase}** · mapping \`${s.mappingId}\``,
    '',
    `| pages | devices | created | updated | unchanged | failed | throttle waits |`,
    `|---|---|---|---|---|---|---|`,
    `| ${c.pages} | ${c.devicesSeen}${s.fleetSize ? ` / ${s.fleetSize}` : ''} | ${c.created} | ${c.updated} | ${c.unchanged} | ${c.failed} | ${s.throttledWaits} |`,
    '',
    s.lastError ? `Last error: ${s.lastError}` : 'No errors.',
  ].join('\n');
}
