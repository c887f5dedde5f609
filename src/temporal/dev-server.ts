import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { freePort } from './free-port';

export interface DevServerOptions {
  /** Path of the `temporal` CLI binary. */
  executable: string;
  port?: number;
  /** Serve the Web UI on this port; without it the server runs headless. */
  uiPort?: number;
  /** The codec server the Web UI asks to show compressed payloads (see codec-server.ts). */
  uiCodecEndpoint?: string;
  /** Persist to this SQLite file; in memory otherwise. */
  dbFilename?: string;
  namespace?: string;
  /** Extra `--dynamic-config-value KEY=VALUE` settings. */
  dynamicConfig?: Record<string, string | number | boolean>;
  readyTimeoutMs?: number;
  /** Where the server's own output goes; ignored by default. */
  stdio?: 'ignore' | 'inherit';
}

export interface RunningDevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ChildProcess;
  /** Settles when the server process exits, with its exit code (or signal name). */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const BASE_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  'frontend.enableExecuteMultiOperation': true,
};

/**
 * Starts `temporal server start-dev` and waits until its frontend answers. We start it ourselves
 * rather than through @temporalio/testing because the SDK gives a cold start only five seconds.
 */
export async function startDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  const port = opts.port ?? (await freePort());
  const namespace = opts.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'warn', '--log-format', 'json');
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  if (opts.uiPort && opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  else args.push('--headless');
  if (opts.dbFilename) args.push('--db-filename', opts.dbFilename);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  for (const [k, v] of Object.entries({ ...BASE_DYNAMIC_CONFIG, ...opts.dynamicConfig })) {
    args.push('--dynamic-config-value', `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }

  const child = spawn(opts.executable, args, {
    stdio: ['ignore', opts.stdio ?? 'ignore', opts.stdio ?? 'ignore'],
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn-error'));
  });
  let exitedWith: number | string | undefined;
  void exited.then((c) => (exitedWith = c));

  const address = `127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exitedWith !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exitedWith !== undefined)
      throw new Error(`Temporal dev server exited during start-up (${exitedWith}); args: ${args.join(' ')}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.describeNamespace({ namespace });
        break;
      } finally {
        await conn.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `Temporal dev server did not become ready at ${address} in time: ${(err as Error).message}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    address,
    namespace,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: child,
    exited,
    stop,
  };
}
