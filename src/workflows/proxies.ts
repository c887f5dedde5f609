import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import { FailureTypes } from '../shared/messages';

// Timeouts and retry policy, declared once. Throttling does not count against anything here: the
// activity asks for its own next-retry delay (Retry-After), and attempts are unlimited so a day of
// 429s is waited out rather than failing the run. Wrong credentials and bad mappings are
// non-retryable and fail at once.
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [
    FailureTypes.credentials,
    FailureTypes.config,
    FailureTypes.fatal,
    FailureTypes.cursorExpired,
  ],
};

export const { testConnection, findManualSync } = proxyActivities<SyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry,
});

// A page or a batch takes seconds; the heartbeat timeout notices a crashed worker within 20 s, while
// start-to-close bounds an attempt that hangs without crashing.
export const { fetchDevicePage, upsertBatch } = proxyActivities<SyncActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry,
});
