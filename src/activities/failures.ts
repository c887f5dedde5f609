import { activityInfo, ApplicationFailure, heartbeat } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { isApiError } from '../http/errors';
import { FailureTypes } from '../shared/messages';

/** An error whose fix is in the config or the mapping: retrying cannot help. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Credentials that the API refused, or a key that cannot be loaded: retrying cannot help. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

interface AttemptDetails {
  throttledWaits: number;
}

/** 429s waited out by earlier attempts of this activity (kept in heartbeat details between attempts). */
function priorThrottledWaits(): number {
  const d = activityInfo().heartbeatDetails as Partial<AttemptDetails> | undefined;
  return typeof d?.throttledWaits === 'number' ? d.throttledWaits : 0;
}

/**
 * The one place client errors become Temporal failures:
 * - throttled: retry after the server's Retry-After (benign: it never fails a run or pages anyone);
 * - transient: retry with the policy's backoff;
 * - an expired cursor: a typed failure the workflow answers by restarting the scan;
 * - credentials, configuration and other fatal errors: non-retryable, with the message a user needs.
 */
export interface FailureOptions {
  /**
   * Give up on transient errors at this attempt. For the connection test only: an unreachable or
   * mistyped host must end the run with a message, while a page or a batch waits out any outage.
   */
  transientAttempts?: number;
}

export function toTemporalFailure(err: unknown, waitsSoFar: number, opts: FailureOptions = {}): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ConfigurationError) {
    return ApplicationFailure.create({ message: err.message, type: FailureTypes.config, nonRetryable: true });
  }
  if (err instanceof CredentialsError) {
    return ApplicationFailure.create({
      message: err.message,
      type: FailureTypes.credentials,
      nonRetryable: true,
    });
  }
  if (isApiError(err)) {
    switch (err.kind) {
      case 'throttled':
        // Heartbeat details survive into the next attempt, so the count of waits is not lost.
        heartbeat({ throttledWaits: waitsSoFar + 1 } satisfies AttemptDetails);
        return ApplicationFailure.create({
          message: err.message,
          type: FailureTypes.throttled,
          nextRetryDelay: err.retryAfterMs ?? 30_000,
          category: ApplicationFailureCategory.BENIGN,
        });
      case 'transient': {
        const attempt = activityInfo().attempt;
        if (opts.transientAttempts !== undefined && attempt >= opts.transientAttempts) {
          return ApplicationFailure.create({
            message: `${err.message}; still failing after ${attempt} attempts: check the address in the config and that the service is reachable from the worker`,
            type: FailureTypes.fatal,
            nonRetryable: true,
          });
        }
        return ApplicationFailure.create({ message: err.message, type: FailureTypes.transient });
      }
      case 'cursor_expired':
        return ApplicationFailure.create({
          message: err.message,
          type: FailureTypes.cursorExpired,
          nonRetryable: true,
        });
      case 'auth':
        return ApplicationFailure.create({
          message: err.message,
          type: FailureTypes.credentials,
          nonRetryable: true,
        });
      case 'fatal': {
        const credentials =
          err.status === 401 ||
          /invalid_client|invalid_scope|invalid_grant|unauthorized/i.test(err.code ?? '');
        return ApplicationFailure.create({
          message: err.message,
          type: credentials ? FailureTypes.credentials : FailureTypes.fatal,
          nonRetryable: true,
        });
      }
    }
  }
  // Unknown errors may be passing (a bug in a dependency, a full disk): retry with backoff, and the
  // last error is visible in the UI meanwhile.
  return err instanceof Error ? err : new Error(String(err));
}

/** How often a running activity tells the server it is alive; see heartbeatTimeout in the proxies. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Runs an activity body, mapping its failures, and reports the 429s waited out on the way. It
 * heartbeats while it runs so that a worker killed mid-activity is noticed within the heartbeat
 * timeout rather than the much longer start-to-close timeout.
 */
export async function runMapped<T extends object>(
  body: () => Promise<T>,
  opts: FailureOptions = {},
): Promise<T & { throttledWaits: number }> {
  const waits = priorThrottledWaits();
  const alive = setInterval(
    () => heartbeat({ throttledWaits: waits } satisfies AttemptDetails),
    HEARTBEAT_INTERVAL_MS,
  );
  try {
    return { ...(await body()), throttledWaits: waits };
  } catch (err) {
    throw toTemporalFailure(err, waits, opts);
  } finally {
    clearInterval(alive);
  }
}
