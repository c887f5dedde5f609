/**
 * Preloaded into the worker process by `npm run bench -- --probe` (node --require): appends the
 * worker's process.memoryUsage() to $ABM_SYNC_BENCH_PROBE every 100 ms, one JSON object a line, so
 * the bench can split its resident memory into the main thread's V8 heap, external memory and the
 * rest (native: Temporal's Rust core, workflow threads' heaps, code).
 */
import { appendFileSync } from 'node:fs';

const file = process.env.ABM_SYNC_BENCH_PROBE;
if (file) {
  const timer = setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), ...process.memoryUsage() })}\n`);
  }, 100);
  timer.unref();
}
