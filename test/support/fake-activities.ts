import { ApiError, type ApiErrorDetails } from '../../src/http/errors';
import { runMapped, CredentialsError } from '../../src/activities/failures';
import type {
  AbmDevice,
  FetchDevicePageInput,
  FetchDevicePageResult,
  TestConnectionOutcome,
  UpsertBatchInput,
  UpsertBatchResult,
} from '../../src/shared/types';

/**
 * In-memory stand-ins for the sync's activities, for workflow tests that are about the workflow's
 * story (pause, resync, continue-as-new, failures) rather than the APIs. Failures go through the
 * production error mapping (runMapped), so retry behaviour is the real one.
 */
export interface FakeOptions {
  devices: number;
  /** Serial numbers that fail upsert with a per-device error. */
  invalidSerials?: string[];
  /** Throw a 429 with this Retry-After (ms) the first time this page (0-based) is fetched. */
  throttlePage?: { page: number; retryAfterMs: number };
  /** Answer "cursor expired" the first time this page (0-based) is fetched with a cursor. */
  expireCursorAtPage?: number;
  badCredentials?: boolean;
  /** Workflow id the fake reports as a sync started by hand and still running. */
  manualSyncRunning?: string;
  /** Called when a page is fetched, before answering; may wait to hold the activity. */
  onFetch?: (page: number) => Promise<void> | void;
  /** Hold the first fetch of this page (0-based) until the test calls `hold.release()`. */
  holdAtPage?: number;
}

export interface FakeActivities {
  activities: {
    testConnection(input: { mappingId: string }): Promise<TestConnectionOutcome>;
    findManualSync(input: { mappingId: string }): Promise<{ runningWorkflowId: string | null }>;
    fetchDevicePage(input: FetchDevicePageInput): Promise<FetchDevicePageResult>;
    upsertBatch(input: UpsertBatchInput): Promise<UpsertBatchResult>;
  };
  /** Cursors fetched, in order (null = first page). */
  fetches: (string | null)[];
  /** Serials upserted, in order, counting repeats. */
  upserted: string[];
  fleet: AbmDevice[];
  /** With `holdAtPage`: settles when the held fetch has started; `release` lets it answer. */
  hold: { reached: Promise<void>; release(): void };
}

export function serialOf(i: number): string {
  return `FAKE${String(i).padStart(8, '0')}`;
}

export function fakeActivities(opts: FakeOptions): FakeActivities {
  const fleet: AbmDevice[] = Array.from({ length: opts.devices }, (_, i) => ({
    id: serialOf(i),
    serialNumber: serialOf(i),
    updatedDateTime: '2026-01-01T00:00:00Z',
  }));
  const fetches: (string | null)[] = [];
  const upserted: string[] = [];
  const known = new Set<string>();
  const failed = new Set<string>();
  /** Throws this ABM failure the first time `what` happens, through the production error mapping. */
  const failOnce = (
    what: string,
    d: Pick<ApiErrorDetails, 'kind' | 'status' | 'code' | 'retryAfterMs'>,
  ): void => {
    if (failed.has(what)) return;
    failed.add(what);
    throw new ApiError({ ...d, service: 'ABM', method: 'GET', path: '/v1/orgDevices' });
  };
  const invalid = new Set(opts.invalidSerials ?? []);
  let release!: () => void;
  let arrive!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (arrive = r));
  let held = false;

  return {
    fleet,
    hold: { reached, release },
    fetches,
    upserted,
    activities: {
      async testConnection() {
        return runMapped(async () => {
          if (opts.badCredentials) {
            throw new CredentialsError(
              'ABM refused the client assertion (invalid_client): check the Client ID, Key ID and key file',
            );
          }
          return {
            ok: true,
            checks: [],
            warnings: [],
            fleetSize: opts.devices,
            settings: { pageSize: 10, batchSize: 5, parallelism: 2 },
          };
        });
      },
      async findManualSync() {
        return { runningWorkflowId: opts.manualSyncRunning ?? null };
      },
      async fetchDevicePage({ cursor, limit }) {
        return runMapped(async () => {
          const start = cursor === null ? 0 : Number(cursor);
          const page = Math.floor(start / limit);
          if (opts.throttlePage?.page === page) {
            failOnce('throttle', {
              kind: 'throttled',
              status: 429,
              retryAfterMs: opts.throttlePage.retryAfterMs,
            });
          }
          if (opts.expireCursorAtPage === page && cursor !== null) {
            failOnce('cursor', { kind: 'cursor_expired', status: 400, code: 'PARAMETER_ERROR.INVALID' });
          }
          fetches.push(cursor);
          if (page === opts.holdAtPage && !held) {
            held = true;
            arrive();
            await released;
          }
          await opts.onFetch?.(page);
          const devices = fleet.slice(start, start + limit);
          const next = start + limit < fleet.length ? String(start + limit) : null;
          return { devices, rejected: [], nextCursor: next, total: fleet.length };
        });
      },
      async upsertBatch({ devices }) {
        return runMapped(async () => {
          const r = {
            devicesSeen: devices.length,
            created: 0,
            updated: 0,
            unchanged: 0,
            failed: 0,
            failures: [] as UpsertBatchResult['failures'],
          };
          for (const d of devices) {
            const serial = d.serialNumber ?? d.id;
            upserted.push(serial);
            if (invalid.has(serial)) {
              r.failed += 1;
              r.failures.push({
                serialNumber: serial,
                reason: "INVALID_VALUE: 'Status' has no option 'BROKEN'",
              });
            } else if (known.has(serial)) r.unchanged += 1;
            else {
              known.add(serial);
              r.created += 1;
            }
          }
          return r;
        });
      },
    },
  };
}
