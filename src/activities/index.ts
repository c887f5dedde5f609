import { getClient } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AbmClient } from '../abm';
import type { AssetPandaClient } from '../assetpanda';
import type { AbmSyncConfig, MappingConfig } from '../config/schema';
import { dedupeByIdentifier, fieldsToFetch, upsertDevices } from '../mapping';
import type {
  FetchDevicePageInput,
  FetchDevicePageResult,
  OtherSyncInput,
  OtherSyncResult,
  TestConnectionInput,
  TestConnectionOutcome,
  UpsertBatchInput,
  UpsertBatchResult,
} from '../shared/types';
import { syncWorkflowId } from '../shared/messages';
import { ConfigurationError, runMapped } from './failures';
import { checkConnection } from './test-connection';
import { TargetCache } from './targets';

/** About 15 s of retries (1, 2, 4, 8 s apart) before an unreachable service ends the run. */
const CONNECTION_TEST_FAILURES = { transientAttempts: 5 };

export interface ActivityDeps {
  config: AbmSyncConfig;
  abm: AbmClient;
  assetPanda: AssetPandaClient;
}

/**
 * The sync's activities, built once per worker around clients that hold the credentials: no secret
 * is ever an activity argument, so none reaches workflow history.
 */
export function createActivities(deps: ActivityDeps) {
  const targets = new TargetCache(
    deps.assetPanda,
    deps.config.assetPanda.account,
    deps.config.assetPanda.module,
  );
  const mapping = (mappingId: string): MappingConfig => findMapping(deps.config, mappingId);

  return {
    async testConnection({ mappingId }: TestConnectionInput): Promise<TestConnectionOutcome> {
      return runMapped(async () => {
        const m = mapping(mappingId);
        const result = await checkConnection({ abm: deps.abm, targets, mapping: m, fresh: true });
        if (!result.ok) {
          const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
          throw new ConfigurationError(
            `Connection test failed for mapping "${mappingId}": ${failed.join('; ')}`,
          );
        }
        return result;
      }, CONNECTION_TEST_FAILURES);
    },

    /** Schedule-started runs ask this first: one sync per mapping, also across hand and schedule. */
    async findManualSync({ mappingId }: OtherSyncInput): Promise<OtherSyncResult> {
      const workflowId = syncWorkflowId(mappingId);
      try {
        const d = await getClient().workflow.getHandle(workflowId).describe();
        return { runningWorkflowId: d.status.name === 'RUNNING' ? workflowId : null };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { runningWorkflowId: null };
        throw err;
      }
    },

    async fetchDevicePage({
      mappingId,
      cursor,
      limit,
    }: FetchDevicePageInput): Promise<FetchDevicePageResult> {
      return runMapped(async () => {
        const m = mapping(mappingId);
        const page = await deps.abm.listDevices({ cursor, limit, fields: fieldsToFetch(m) });
        return {
          devices: dedupeByIdentifier(page.devices, m.uniqueIdentifier).devices,
          rejected: page.rejected,
          nextCursor: page.nextCursor,
          total: page.total ?? null,
        };
      });
    },

    async upsertBatch({ mappingId, devices }: UpsertBatchInput): Promise<UpsertBatchResult> {
      return runMapped(async () => {
        const { target, resolved } = await targets.get(mapping(mappingId));
        // Only what the report needs goes back into workflow history.
        const { devicesSeen, created, updated, unchanged, failed, failures } = await upsertDevices({
          client: deps.assetPanda,
          target,
          mapping: resolved,
          devices,
        });
        return { devicesSeen, created, updated, unchanged, failed, failures };
      });
    },
  };
}

export type SyncActivities = ReturnType<typeof createActivities>;

export function findMapping(config: AbmSyncConfig, mappingId: string): MappingConfig {
  const m = config.mappings.find((x) => x.id === mappingId);
  if (!m) {
    throw new ConfigurationError(
      `No mapping "${mappingId}" in the worker's config (it has: ${config.mappings.map((x) => x.id).join(', ')}). ` +
        'Start the worker with the same config file as the CLI.',
    );
  }
  return m;
}
