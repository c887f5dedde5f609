/**
 * The shapes that cross the workflow boundary: workflow input and state, activity inputs and
 * results, the status query and the run report. Plain JSON only (they live in workflow history and
 * survive continue-as-new), and never a secret: mappings are referred to by id.
 */
import type { z } from 'zod';
import type { AbmDevice } from '../abm/device';
import type {
  deviceCountsSchema,
  deviceFailureSchema,
  pendingRetrySchema,
  phaseSchema,
  reportStatusSchema,
  runReportSchema,
  syncCountsSchema,
  syncStatusSchema,
} from './report';

export type { AbmDevice };

// The shapes the outside world reads come from the zod schemas in ./report (one source of truth);
// the rest is what only our own workflow and activities exchange.
export type Phase = z.infer<typeof phaseSchema>;
export type DeviceFailure = z.infer<typeof deviceFailureSchema>;
export type DeviceCounts = z.infer<typeof deviceCountsSchema>;
export type SyncCounts = z.infer<typeof syncCountsSchema>;
export type PendingRetry = z.infer<typeof pendingRetrySchema>;
export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type ReportStatus = z.infer<typeof reportStatusSchema>;
export type RunReport = z.infer<typeof runReportSchema>;

/** Tunables of one sync; the mapping's config gives them, workflow input may override (tests). */
export interface SyncSettings {
  pageSize: number;
  batchSize: number;
  parallelism: number;
  /** Continue-as-new after this many pages even if Temporal has not suggested it yet. */
  continueAsNewEveryPages: number;
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
