import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

export interface RunShape {
  runId: string;
  events: number;
  /** Bytes of history as the server accounts them (describe's historySize). */
  historyBytes: number;
  workflowTasks: number;
  activities: Record<string, number>;
}

export interface ChainShape {
  runs: RunShape[];
  totalEvents: number;
  totalHistoryBytes: number;
  workflowTasks: number;
  activities: Record<string, number>;
}

/**
 * Every run of one sync, first to last: starts from the run that ended it and walks back through
 * continue-as-new (each continued run's start event names the run before it). A new start of the
 * same workflow id has no predecessor, so an earlier sync is never counted.
 */
export async function syncRuns(client: Client, workflowId: string, lastRunId: string): Promise<ChainShape> {
  const runs: RunShape[] = [];
  let runId: string | undefined = lastRunId;
  while (runId) {
    const handle: WorkflowHandle = client.workflow.getHandle(workflowId, runId);
    const [events, description]: [HistoryEvent[], WorkflowExecutionDescription] = await Promise.all([
      historyEvents(client, workflowId, runId),
      handle.describe(),
    ]);
    const activities: Record<string, number> = {};
    let workflowTasks = 0;
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (scheduled) activities[scheduled] = (activities[scheduled] ?? 0) + 1;
      if (e.workflowTaskCompletedEventAttributes) workflowTasks++;
    }
    runs.unshift({
      runId,
      events: events.length,
      historyBytes: description.historySize ?? 0,
      workflowTasks,
      activities,
    });
    const previous: string | null | undefined =
      events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    runId = previous || undefined;
  }
  const activities: Record<string, number> = {};
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.activities)) activities[k] = (activities[k] ?? 0) + v;
  }
  return {
    runs,
    totalEvents: runs.reduce((s, r) => s + r.events, 0),
    totalHistoryBytes: runs.reduce((s, r) => s + r.historyBytes, 0),
    workflowTasks: runs.reduce((s, r) => s + r.workflowTasks, 0),
    activities,
  };
}

/**
 * A run's events, a few at a time: pages of the SDK's fetchHistory() can pass gRPC's 4 MB message
 * limit when activity inputs and results are large (a page of devices each).
 */
async function historyEvents(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 50,
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}
