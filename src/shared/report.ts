import { z } from 'zod';

/**
 * What a sync tells the outside world: the status query and the run report (interface.md). The CLI
 * parses what it reads back from Temporal with these schemas, and every type below comes from them.
 */
export const phaseSchema = z.enum([
  'testing-connection',
  'fetching',
  'upserting',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
]);

/** A device the report names, by serial (or by ABM id when it has none), and why it failed. */
export const deviceFailureSchema = z.object({ serialNumber: z.string(), reason: z.string() });

/** What happened to devices; they add up: devicesSeen = created + updated + unchanged + failed. */
export const deviceCountsSchema = z.object({
  devicesSeen: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

export const syncCountsSchema = deviceCountsSchema.extend({ pages: z.number().int().nonnegative() });

/** An activity that is being retried right now: what the workflow itself cannot see until it ends. */
export const pendingRetrySchema = z.object({
  activity: z.string(),
  attempt: z.number().int(),
  lastFailure: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

export const syncStatusSchema = syncCountsSchema.extend({
  mappingId: z.string(),
  workflowId: z.string(),
  phase: phaseSchema,
  paused: z.boolean(),
  throttledWaits: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  scanRestarts: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  fleetSize: z.number().int().nonnegative().nullable(),
  /** Set by the CLI when an activity is being retried (a 429 waited out, an outage). */
  retrying: pendingRetrySchema.optional(),
  /** False when no worker answered the status query: counts are then unknown (zero). */
  workerAnswered: z.boolean().optional(),
});

export const reportStatusSchema = z.enum(['completed', 'completed_with_errors', 'failed']);

export const runReportSchema = syncCountsSchema.extend({
  mappingId: z.string(),
  status: reportStatusSchema,
  failures: z.array(deviceFailureSchema),
  startedAt: z.string(),
  finishedAt: z.string(),
  throttledWaits: z.number().int().nonnegative(),
  scanRestarts: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  error: z.string().optional(),
  /** Set when a scheduled run found a sync of the same mapping running and left the work to it. */
  skipped: z.string().optional(),
});
