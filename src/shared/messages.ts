import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SyncStatus } from './types';

/** Signals, queries and ids shared by the workflow, the CLI and the tests. */
export const pauseSignal = defineSignal<[]>('pause');
export const resumeSignal = defineSignal<[]>('resume');
export const resyncSignal = defineSignal<[]>('resync');
export const statusQuery = defineQuery<SyncStatus>('status');

export const SYNC_WORKFLOW_TYPE = 'abmSyncWorkflow';

/** A sync started by hand; schedule-started runs carry this id plus the time Temporal appends. */
export function syncWorkflowId(mappingId: string): string {
  return `abm-sync-${mappingId}`;
}

export function scheduleId(mappingId: string): string {
  return `abm-sync-schedule-${mappingId}`;
}

/** Failure types the activities raise and the workflow or retry policy reacts to. */
export const FailureTypes = {
  throttled: 'Throttled',
  transient: 'Transient',
  cursorExpired: 'CursorExpired',
  credentials: 'CredentialsRejected',
  config: 'ConfigurationError',
  fatal: 'FatalApiError',
} as const;
