import type { SyncSettings } from './types';

/** A sync's tunables when neither the mapping nor the workflow input sets them. */
export const DEFAULT_SETTINGS: SyncSettings = {
  pageSize: 1000,
  batchSize: 100,
  parallelism: 4,
  continueAsNewEveryPages: 200,
};

/** The run report lists at most this many failed devices; it counts them all. */
export const MAX_REPORTED_FAILURES = 1000;
