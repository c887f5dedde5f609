/**
 * The shapes that cross the workflow boundary: workflow input and state, activity inputs and
 * results, the status query and the run report. Plain JSON only (they live in workflow history and
 * survive continue-as-new), and never a secret: mappings are referred to by id.
 */
import type { AbmDevice } from '../abm/device';

export type { AbmDevice };

export type Phase =
  | 'testing-connection'
  | 'fetching'
  | 'upserting'
  | 'paused'
  | 'completed'
  | 'completed_with_errors'
  | 'failed';

export interface DeviceFailure {
  serialNumber: string;
  reason: string;
}

/** Tunables of one sync; the mapping's config gives them, workflow input may override (tests). */
export interface SyncSettings {
  pageSize: number;
  batchSize: number;
  parallelism: number;
  /** Continue-as-new after this many pages even if Temporal has not suggested it yet. */
  continueAsNewEveryPages: number;
}

/** What happened to devices; they add up: devicesSeen = created + updated + unchanged + failed. */
export interface DeviceCounts {
  devicesSeen: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface SyncCounts extends DeviceCounts {
  pages: number;
}

/** Everything a sync carries across continue-as-new. */
export interface SyncState {
  settings: SyncSettings;
  cursor: string | null;
  counts: SyncCounts;
  failures: DeviceFailure[];
  throttledWaits: number;
  lastError: string | null;
  paused: boolean;
  resyncRequested: boolean;
  /** Times the scan went back to the first page (resync signal or an expired cursor). */
  scanRestarts: number;
  /** Runs of this sync so far (1 + continue-as-new count). */
  runs: number;
  startedAt: string;
  fleetSize: number | null;
}

export interface SyncWorkflowInput {
  mappingId: string;
  /** Set only by continue-as-new. */
  state?: SyncState;
  /** Overrides of the mapping's tunables (tests, one-off runs). */
  settings?: Partial<SyncSettings>;
}

/** An activity that is being retried right now: what the workflow itself cannot see until it ends. */
export interface PendingRetry {
  activity: string;
  attempt: number;
  lastFailure: string | null;
  nextAttemptAt: string | null;
}

export interface SyncStatus extends SyncCounts {
  mappingId: string;
  workflowId: string;
  phase: Phase;
  paused: boolean;
  throttledWaits: number;
  lastError: string | null;
  startedAt: string;
  updatedAt: string;
  scanRestarts: number;
  runs: number;
  fleetSize: number | null;
  /** Set by the CLI when an activity is being retried (a 429 waited out, an outage). */
  retrying?: PendingRetry;
  /** False when no worker answered the status query: counts are then unknown (zero). */
  workerAnswered?: boolean;
}

export type ReportStatus = 'completed' | 'completed_with_errors' | 'failed';

export interface RunReport extends SyncCounts {
  mappingId: string;
  status: ReportStatus;
  failures: DeviceFailure[];
  startedAt: string;
  finishedAt: string;
  throttledWaits: number;
  scanRestarts: number;
  runs: number;
  error?: string;
  /** Set when a scheduled run found a sync of the same mapping running and left the work to it. */
  skipped?: string;
}

export const MAX_REPORTED_FAILURES = 1000;

// ---- activities ----

export interface OtherSyncInput {
  mappingId: string;
}

export interface OtherSyncResult {
  /** The workflow id of a sync of the mapping started by hand and still running, if any. */
  runningWorkflowId: string | null;
}

export interface TestConnectionInput {
  mappingId: string;
}

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface TestConnectionResult {
  ok: boolean;
  checks: ConnectionCheck[];
  warnings: string[];
  /** Total devices when ABM reports it (it often does not). */
  fleetSize: number | null;
  settings: Omit<SyncSettings, 'continueAsNewEveryPages'>;
}

/** The activity's answer: the checks, plus the 429s waited out before they all passed. */
export interface TestConnectionOutcome extends TestConnectionResult {
  throttledWaits: number;
}

export interface FetchDevicePageInput {
  mappingId: string;
  cursor: string | null;
  limit: number;
}

export interface FetchDevicePageResult {
  devices: AbmDevice[];
  /** Devices ABM listed that break the schema: failures of their own, the rest of the page goes on. */
  rejected: DeviceFailure[];
  nextCursor: string | null;
  total: number | null;
  /** 429 answers waited out before this page arrived. */
  throttledWaits: number;
}

export interface UpsertBatchInput {
  mappingId: string;
  devices: AbmDevice[];
}

export interface UpsertBatchResult extends DeviceCounts {
  failures: DeviceFailure[];
  throttledWaits: number;
}
