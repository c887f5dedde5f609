import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

export interface ProcMemory {
  /** Resident set size now (VmRSS). */
  rssBytes: number;
  /** The process's resident high-water mark since it started (VmHWM). */
  hwmBytes: number;
}

/** VmRSS and VmHWM of a process, or undefined when it is gone. */
export function readMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

/** User + system CPU seconds a process has used, or undefined when it is gone. */
export function readCpuSeconds(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields are counted after its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

/** This process's own CPU seconds (the simulators and the bench's Temporal client live here). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Samples a process's VmRSS every `everyMs` and keeps the largest value seen. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private samples = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.peak = 0;
    this.samples = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  /** Stops sampling; returns the peak VmRSS seen since start(). */
  stop(): { peakRssBytes: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { peakRssBytes: this.peak, samples: this.samples };
  }

  private sample(): void {
    const m = readMemory(this.pid);
    if (!m) return;
    this.samples++;
    if (m.rssBytes > this.peak) this.peak = m.rssBytes;
  }
}

export interface MemorySample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ProbeFigures {
  samples: number;
  /** The sample with the largest RSS in the window. */
  atPeakRss: MemorySample;
  maxHeapUsed: number;
  maxHeapTotal: number;
  maxExternal: number;
}

/** The worker probe's samples between two instants (see worker-probe.ts). */
export function readProbe(file: string, from: number, to: number): ProbeFigures | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const samples = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MemorySample)
    .filter((s) => s.t >= from && s.t <= to);
  if (samples.length === 0) return undefined;
  const atPeakRss = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  return {
    samples: samples.length,
    atPeakRss,
    maxHeapUsed: Math.max(...samples.map((s) => s.heapUsed)),
    maxHeapTotal: Math.max(...samples.map((s) => s.heapTotal)),
    maxExternal: Math.max(...samples.map((s) => s.external)),
  };
}
