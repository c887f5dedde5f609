import os from 'node:os';
import type { ChainShape } from './history';
import type { ProbeFigures } from './proc';

export interface RequestFigures {
  total: number;
  per1000: number;
  byRoute: Record<string, number>;
}

export interface PhaseFigures {
  name: 'fresh' | 'unchanged';
  devices: number;
  seconds: number;
  devicesPerSecond: number;
  report: {
    status: string;
    devicesSeen: number;
    created: number;
    updated: number;
    unchanged: number;
    failed: number;
    pages: number;
    runs: number;
  };
  worker: {
    /** Largest VmRSS sampled every 100 ms during this sync. */
    peakRssBytes: number;
    /** VmHWM when this sync ended (the worker's high-water mark since it started). */
    hwmBytes: number;
    cpuSeconds: number;
  };
  /** CPU seconds of the Temporal dev server and of this process (both simulators) during the sync. */
  serverCpuSeconds: number;
  simulatorsCpuSeconds: number;
  assetPanda: RequestFigures;
  abm: RequestFigures;
  workflow: ChainShape;
  /** With --probe: the worker's own view of its memory during this sync. */
  probe?: ProbeFigures;
  checks: string[];
}

export interface BenchFigures {
  machine: { cpus: number; cpuModel: string; node: string; memoryMiB: number };
  devices: number;
  settings: { pageSize: number | string; batchSize: number | string; parallelism: number | string };
  workerNodeFlags: string[];
  workerStartSeconds: number;
  /** The worker's VmRSS once it polls, and its VmHWM then (start-up includes bundling the workflows). */
  workerReady: { rssBytes: number; hwmBytes: number };
  phases: PhaseFigures[];
  verdicts: Verdict[];
}

export interface Verdict {
  target: string;
  figure: string;
  pass: boolean;
}

const MiB = 1024 * 1024;
export const mib = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
const fixed = (n: number, d = 1): string => n.toFixed(d);

export function machineInfo(): BenchFigures['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    memoryMiB: Math.round(os.totalmem() / MiB),
  };
}

export const TARGETS = {
  freshDevicesPerSecond: 1000,
  workerPeakBytes: 256 * MiB,
  assetPandaPer1000Fresh: 21,
  assetPandaPer1000Unchanged: 10.5,
} as const;

export function verdicts(f: Omit<BenchFigures, 'verdicts'>): Verdict[] {
  const fresh = f.phases.find((p) => p.name === 'fresh');
  const unchanged = f.phases.find((p) => p.name === 'unchanged');
  const out: Verdict[] = [];
  if (fresh) {
    out.push({
      target: `fresh sync ≥ ${TARGETS.freshDevicesPerSecond} devices/s`,
      figure: `${fixed(fresh.devicesPerSecond, 0)} devices/s`,
      pass: fresh.devicesPerSecond >= TARGETS.freshDevicesPerSecond,
    });
  }
  const hwm = Math.max(f.workerReady.hwmBytes, ...f.phases.map((p) => p.worker.hwmBytes));
  const syncPeak = Math.max(0, ...f.phases.map((p) => p.worker.peakRssBytes));
  out.push({
    target: `worker peak resident memory ≤ ${mib(TARGETS.workerPeakBytes)} (VmHWM, whole life)`,
    figure: `${mib(hwm)} (sampled peak during the syncs ${mib(syncPeak)})`,
    pass: hwm <= TARGETS.workerPeakBytes,
  });
  if (fresh) {
    out.push({
      target: `Asset Panda requests ≤ ${TARGETS.assetPandaPer1000Fresh} per 1,000 new devices`,
      figure: fixed(fresh.assetPanda.per1000, 2),
      pass: fresh.assetPanda.per1000 <= TARGETS.assetPandaPer1000Fresh,
    });
  }
  if (unchanged) {
    out.push({
      target: `Asset Panda requests ≤ ${TARGETS.assetPandaPer1000Unchanged} per 1,000 unchanged devices`,
      figure: fixed(unchanged.assetPanda.per1000, 2),
      pass: unchanged.assetPanda.per1000 <= TARGETS.assetPandaPer1000Unchanged,
    });
  }
  return out;
}

function routes(r: Record<string, number>): string {
  return (
    Object.entries(r)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '-'
  );
}

/** The figures as a table for people, then the verdicts. */
export function formatFigures(f: BenchFigures): string {
  const rows: [string, ...string[]][] = [
    ['', ...f.phases.map((p) => `${p.name} sync`)],
    ['report', ...f.phases.map((p) => p.report.status)],
    [
      'created / updated / unchanged / failed',
      ...f.phases.map(
        (p) => `${p.report.created} / ${p.report.updated} / ${p.report.unchanged} / ${p.report.failed}`,
      ),
    ],
    ['wall time', ...f.phases.map((p) => `${fixed(p.seconds, 2)} s`)],
    ['devices per second', ...f.phases.map((p) => fixed(p.devicesPerSecond, 0))],
    ['worker peak RSS (sampled, 100 ms)', ...f.phases.map((p) => mib(p.worker.peakRssBytes))],
    ['worker VmHWM at the end', ...f.phases.map((p) => mib(p.worker.hwmBytes))],
    ['CPU s: worker', ...f.phases.map((p) => fixed(p.worker.cpuSeconds, 1))],
    ['CPU s: Temporal dev server', ...f.phases.map((p) => fixed(p.serverCpuSeconds, 1))],
    ['CPU s: simulators (bench process)', ...f.phases.map((p) => fixed(p.simulatorsCpuSeconds, 1))],
    ['Asset Panda requests / 1,000 devices', ...f.phases.map((p) => fixed(p.assetPanda.per1000, 2))],
    ['Asset Panda requests', ...f.phases.map((p) => `${p.assetPanda.total}`)],
    ['ABM requests / 1,000 devices', ...f.phases.map((p) => fixed(p.abm.per1000, 2))],
    ['ABM requests', ...f.phases.map((p) => `${p.abm.total}`)],
    ['ABM pages', ...f.phases.map((p) => `${p.report.pages}`)],
    ['workflow runs', ...f.phases.map((p) => `${p.workflow.runs.length} (report: ${p.report.runs})`)],
    ['history events (all runs)', ...f.phases.map((p) => `${p.workflow.totalEvents}`)],
    ['history size (all runs)', ...f.phases.map((p) => mib(p.workflow.totalHistoryBytes))],
    ['workflow tasks', ...f.phases.map((p) => `${p.workflow.workflowTasks}`)],
  ];
  if (f.phases.some((p) => p.probe)) {
    const probe = (fn: (p: ProbeFigures) => string) => f.phases.map((p) => (p.probe ? fn(p.probe) : '-'));
    rows.push(
      ['probe: at peak RSS: rss', ...probe((p) => mib(p.atPeakRss.rss))],
      ['probe: at peak RSS: main V8 heap total', ...probe((p) => mib(p.atPeakRss.heapTotal))],
      ['probe: at peak RSS: external', ...probe((p) => mib(p.atPeakRss.external))],
      [
        'probe: at peak RSS: rest (native, threads)',
        ...probe((p) => mib(p.atPeakRss.rss - p.atPeakRss.heapTotal - p.atPeakRss.external)),
      ],
      [
        'probe: max main heap used / total',
        ...probe((p) => `${mib(p.maxHeapUsed)} / ${mib(p.maxHeapTotal)}`),
      ],
    );
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const s = f.settings;
  const out: string[] = [
    `abm-sync benchmark: ${f.devices} devices; pageSize ${s.pageSize}, batchSize ${s.batchSize}, parallelism ${s.parallelism}`,
    `worker node flags: ${f.workerNodeFlags.join(' ') || '(none)'}`,
    `machine: ${f.machine.cpus} × ${f.machine.cpuModel}, ${f.machine.memoryMiB} MiB, node ${f.machine.node}`,
    `worker ready after ${fixed(f.workerStartSeconds, 1)} s; RSS then ${mib(f.workerReady.rssBytes)}, VmHWM then ${mib(f.workerReady.hwmBytes)}`,
    '',
    line(rows[0]),
    ...rows.slice(1).map(line),
    '',
  ];
  for (const p of f.phases) {
    out.push(`${p.name}: Asset Panda by route: ${routes(p.assetPanda.byRoute)}`);
    out.push(`${p.name}: ABM by route: ${routes(p.abm.byRoute)}`);
    out.push(`${p.name}: activities: ${routes(p.workflow.activities)}`);
    out.push(
      `${p.name}: runs: ${p.workflow.runs.map((r) => `${r.events} events/${mib(r.historyBytes)}`).join(', ')}`,
    );
    for (const c of p.checks) out.push(`${p.name}: CHECK FAILED: ${c}`);
  }
  out.push('');
  for (const v of f.verdicts) out.push(`${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.figure}`);
  return out.join('\n');
}
