import { parseArgs } from 'node:util';
import { WORKER_NODE_FLAGS } from '../scripts/node-flags';

export interface BenchOptions {
  devices: number;
  /** Mapping tunables; left out = the product's defaults. */
  pageSize?: number;
  batchSize?: number;
  parallelism?: number;
  seed: number;
  json: boolean;
  /** Write a V8 CPU profile of the worker into this directory (node --cpu-prof). */
  profileDir?: string;
  /** Keep the worker's log here instead of a temporary file. */
  workerLog?: string;
  /** Extra node flags for the worker process (e.g. "--max-old-space-size=128"). */
  workerNodeFlags: string[];
  /** Preload a probe into the worker that records process.memoryUsage() every 100 ms. */
  probe: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --devices N        devices in the simulated fleet (default 20000)
  --page-size N      ABM devices per page, 1..1000 (default: the product's)
  --batch-size N     devices per Asset Panda upsert batch, 1..100 (default: the product's)
  --parallelism N    upsert batches in flight per page, 1..16 (default: the product's)
  --seed N           fleet seed (default 1)
  --profile DIR      write a CPU profile of the worker (node --cpu-prof) into DIR
  --worker-log FILE  keep the worker's log in FILE
  --node-flags=F     node flags for the worker process instead of the production ones
                     (${WORKER_NODE_FLAGS.join(' ')}), e.g. --node-flags=--max-old-space-size=128 (repeatable)
  --probe            split the worker's memory (V8 heap, external, rest) with a preloaded probe
  --json             print the figures as JSON on stdout (the table goes to stderr)
  --help`;

function int(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

/** Parses the bench's arguments; undefined when --help was asked for. */
export function parseBenchArgs(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      devices: { type: 'string' },
      'page-size': { type: 'string' },
      'batch-size': { type: 'string' },
      parallelism: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      'worker-log': { type: 'string' },
      'node-flags': { type: 'string', multiple: true },
      probe: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  return {
    devices: int('devices', values.devices, 1, 1_000_000) ?? 20_000,
    pageSize: int('page-size', values['page-size'], 1, 1000),
    batchSize: int('batch-size', values['batch-size'], 1, 100),
    parallelism: int('parallelism', values.parallelism, 1, 16),
    seed: int('seed', values.seed, 0, 2 ** 31) ?? 1,
    json: values.json,
    profileDir: values.profile,
    workerLog: values['worker-log'],
    // The heap flags bin/abm-sync.js gives every worker; passing them here keeps the measured
    // process the worker itself (the bin would otherwise start it again as a child).
    workerNodeFlags: values['node-flags']
      ? values['node-flags'].flatMap((f) => f.split(/\s+/)).filter(Boolean)
      : [...WORKER_NODE_FLAGS],
    probe: values.probe,
  };
}
