import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKER_NODE_FLAGS } from '../../scripts/node-flags';

const ROOT = path.resolve(__dirname, '..', '..');

/** `abm-sync worker` as its own OS process, the way operators run it. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr (JSON log lines). */
  logs(): string;
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `abm-sync worker`. By default with the worker's heap flags given here, so the process is
 * the worker itself and a SIGKILL is a crash; `viaLauncher` leaves them to bin/abm-sync.js, which
 * then runs the worker as its child.
 */
export function spawnWorker(
  configPath: string,
  env: Record<string, string>,
  opts: { viaLauncher?: boolean } = {},
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      ...(opts.viaLauncher ? [] : WORKER_NODE_FLAGS),
      path.join(ROOT, 'bin', 'abm-sync.js'),
      'worker',
      '--config',
      configPath,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, ABM_SYNC_FROM_SOURCE: '1', ABM_SYNC_LOG_LEVEL: 'INFO' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')),
  );
  return {
    child,
    logs: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
