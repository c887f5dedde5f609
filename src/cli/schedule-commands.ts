import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import { ConfigError, pickMapping, type LoadedConfig } from '../config/load';
import { scheduleId, SYNC_WORKFLOW_TYPE, syncWorkflowId } from '../shared/messages';
import { printJson } from './output';
import { workflowStartOptions } from './syncs';
import { connectTemporal } from './temporal-client';

export interface ScheduleOptionsCli {
  mapping?: string;
  json?: boolean;
  every?: string;
  cron?: string;
}

function specOf(opts: ScheduleOptionsCli): ScheduleOptions['spec'] {
  if (!!opts.every === !!opts.cron)
    throw new ConfigError(['give exactly one of --every DURATION or --cron EXPR'], 'Arguments');
  if (opts.every) {
    let ms: number;
    try {
      ms = msToNumber(opts.every as Parameters<typeof msToNumber>[0]);
    } catch {
      throw new ConfigError(
        [`--every "${opts.every}" is not a duration (examples: 30m, 6h, 1d)`],
        'Arguments',
      );
    }
    if (!(ms >= 60_000))
      throw new ConfigError([`--every "${opts.every}" is shorter than a minute`], 'Arguments');
    return { intervals: [{ every: ms }] };
  }
  const fields = opts.cron!.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 7) {
    throw new ConfigError(
      [`--cron "${opts.cron}" needs 5 fields: minute hour day-of-month month day-of-week`],
      'Arguments',
    );
  }
  return { cronExpressions: [opts.cron!.trim()] };
}

async function withSchedule<T>(
  loaded: LoadedConfig,
  opts: ScheduleOptionsCli,
  fn: (c: Client, id: string, mappingId: string) => Promise<T>,
): Promise<T> {
  const mapping = pickMapping(loaded.config, opts.mapping);
  const t = await connectTemporal(loaded);
  try {
    return await fn(t.client, scheduleId(mapping.id), mapping.id);
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new ConfigError(
        [`mapping ${mapping.id} has no schedule: create one with \`abm-sync schedule set --every 6h\``],
        'Schedule',
      );
    }
    throw err;
  } finally {
    await t.close();
  }
}

export async function scheduleCommand(
  action: string,
  loaded: LoadedConfig,
  opts: ScheduleOptionsCli,
): Promise<number> {
  const out = (human: string, json: unknown) =>
    opts.json ? printJson(json) : process.stdout.write(`${human}\n`);
  switch (action) {
    case 'set': {
      const spec = specOf(opts);
      const mapping = pickMapping(loaded.config, opts.mapping);
      return withSchedule(loaded, opts, async (client, id) => {
        const { args, taskQueue, staticSummary, staticDetails, typedSearchAttributes } = workflowStartOptions(
          loaded.config,
          mapping,
        );
        const action = {
          type: 'startWorkflow' as const,
          workflowType: SYNC_WORKFLOW_TYPE,
          workflowId: syncWorkflowId(mapping.id),
          args,
          taskQueue,
          staticSummary,
          staticDetails,
          typedSearchAttributes,
        };
        // A sync still running when the next one is due is not doubled: the due run is skipped.
        const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' as const };
        let created = true;
        try {
          await client.schedule.create({ scheduleId: id, spec, action, policies });
        } catch (err) {
          if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
          created = false;
          await client.schedule.getHandle(id).update((prev) => ({ ...prev, spec, action, policies }));
        }
        out(
          `${created ? 'Created' : 'Updated'} schedule ${id}: ${opts.every ? `every ${opts.every}` : `cron "${opts.cron}"`}`,
          {
            scheduleId: id,
            created,
          },
        );
        return 0;
      });
    }
    case 'show':
      return withSchedule(loaded, opts, async (client, id) => {
        const d = await client.schedule.getHandle(id).describe();
        const summary = {
          scheduleId: id,
          paused: d.state.paused,
          note: d.state.note ?? null,
          intervals: d.spec.intervals?.map((i) => i.every) ?? [],
          cron: d.spec.calendars?.length ? d.spec.calendars : [],
          nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
          recentRuns: d.info.recentActions
            .slice(-5)
            .map((a) => ({ at: a.takenAt.toISOString(), workflowId: a.action.workflow.workflowId })),
          running: d.info.runningActions.map((a) => a.workflow.workflowId),
          skippedOverlapping: d.info.numActionsSkippedOverlap,
        };
        out(
          [
            `Schedule ${id}${summary.paused ? ' (paused)' : ''}`,
            `  next runs: ${summary.nextRuns.join(', ') || 'none'}`,
            `  running: ${summary.running.join(', ') || 'none'}`,
            `  recent: ${summary.recentRuns.map((r) => `${r.at} ${r.workflowId}`).join('; ') || 'none'}`,
            `  skipped because a sync was still running: ${summary.skippedOverlapping}`,
          ].join('\n'),
          summary,
        );
        return 0;
      });
    case 'pause':
    case 'unpause':
    case 'trigger':
    case 'remove':
      return withSchedule(loaded, opts, async (client, id) => {
        const h = client.schedule.getHandle(id);
        if (action === 'pause') await h.pause('paused with abm-sync schedule pause');
        else if (action === 'unpause') await h.unpause('unpaused with abm-sync schedule unpause');
        else if (action === 'trigger') await h.trigger(ScheduleOverlapPolicy.SKIP);
        else await h.delete();
        const past = { pause: 'paused', unpause: 'unpaused', trigger: 'triggered', remove: 'removed' }[
          action
        ];
        out(`Schedule ${id} ${past}.`, { scheduleId: id, action });
        return 0;
      });
    default:
      throw new ConfigError(
        [`unknown schedule action "${action}" (use set, show, pause, unpause, trigger or remove)`],
        'Arguments',
      );
  }
}
