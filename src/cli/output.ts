import { SingleBar } from 'cli-progress';
import type { ConnectionCheck, RunReport, SyncStatus } from '../shared/types';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatChecks(checks: ConnectionCheck[], warnings: string[]): string {
  const lines = checks.map((c) => `${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`);
  for (const w of warnings) lines.push(`! ${w}`);
  return lines.join('\n');
}

export function formatStatus(s: SyncStatus): string {
  return [
    `Sync ${s.workflowId} (mapping ${s.mappingId}): ${s.phase}${s.paused && s.phase !== 'paused' ? ' (pause requested)' : ''}`,
    `  pages ${s.pages}, devices ${s.devicesSeen}${s.fleetSize ? ` of ${s.fleetSize}` : ''}`,
    `  created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, failed ${s.failed}`,
    `  throttle waits ${s.throttledWaits}, scan restarts ${s.scanRestarts}`,
    `  started ${s.startedAt}, updated ${s.updatedAt}`,
    ...(s.lastError ? [`  last error: ${s.lastError}`] : []),
  ].join('\n');
}

export function formatReport(r: RunReport): string {
  const lines = [
    `Sync of mapping ${r.mappingId}: ${r.status}`,
    `  devices ${r.devicesSeen}: created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, failed ${r.failed}`,
    `  pages ${r.pages}, throttle waits ${r.throttledWaits}, scan restarts ${r.scanRestarts}`,
    `  ${r.startedAt} → ${r.finishedAt}`,
  ];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (r.failures.length > 0) {
    lines.push(
      `  failures${r.failed > r.failures.length ? ` (first ${r.failures.length} of ${r.failed})` : ''}:`,
    );
    for (const f of r.failures.slice(0, 20)) lines.push(`    ${f.serialNumber}: ${f.reason}`);
    if (r.failures.length > 20) lines.push(`    … ${r.failures.length - 20} more (use --json for all)`);
  }
  return lines.join('\n');
}

export function exitCodeOf(r: RunReport): number {
  return r.status === 'completed' ? 0 : r.status === 'completed_with_errors' ? 2 : 1;
}

const COUNTS = '{phase} | +{created} ~{updated} ={unchanged} ✘{failed} | 429s {throttled}';

/**
 * A live bar on a terminal; nothing when output is piped or JSON is asked for. ABM often does not
 * say how big the fleet is: then it counts devices without pretending to know how far along it is.
 */
export class ProgressView {
  private bar?: SingleBar;

  constructor(private readonly enabled: boolean) {}

  update(s: SyncStatus): void {
    // The fleet size, when ABM gives it, arrives with the connection test: wait for it.
    if (!this.enabled || s.phase === 'testing-connection') return;
    const known = s.fleetSize !== null && s.fleetSize > 0;
    this.bar ??= new SingleBar({
      format: known ? ` {bar} {value}/{total} devices | ${COUNTS}` : ` {value} devices | ${COUNTS}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    });
    const total = Math.max(s.fleetSize ?? 0, s.devicesSeen, 1);
    const payload = {
      phase: s.phase,
      created: s.created,
      updated: s.updated,
      unchanged: s.unchanged,
      failed: s.failed,
      throttled: s.throttledWaits,
    };
    if (!this.bar.isActive) this.bar.start(total, s.devicesSeen, payload);
    this.bar.setTotal(total);
    this.bar.update(s.devicesSeen, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}
