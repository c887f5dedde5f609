import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AbmSyncConfig, MappingConfig } from '../../src/config/schema';
import type { Sandbox } from '../../src/sandbox';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'abm-sync.js');

/** Variables a developer's shell may hold that would change what the CLI under test sees. */
const CLEARED = ['ASSETPANDA_API_KEY', 'ASSETPANDA_API_SECRET', 'ABM_PRIVATE_KEY', 'ABM_SYNC_CONFIG'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** Extra environment (secrets); the test process's own secrets are never passed on. */
  env?: Record<string, string>;
  /** Working directory of the child (default: the repository root). */
  cwd?: string;
  /** The child is killed after this long (default 60 s). */
  timeoutMs?: number;
}

/** `abm-sync ARGS` as its own OS process, run from the TypeScript sources. */
export function runCli(args: string[], opts: CliRun = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of CLEARED) delete env[k];
  Object.assign(env, opts.env, { ABM_SYNC_FROM_SOURCE: '1', NO_COLOR: '1' });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The parsed stdout of a `--json` run; fails with everything the CLI printed when it is not JSON. */
export function jsonOf<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

/** Everything the CLI printed, for assertion messages. */
export function printed(r: CliResult): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** The simulator credentials as the CLI reads them from the environment. */
export function secretsEnv(sandbox: Sandbox): Record<string, string> {
  return {
    ASSETPANDA_API_KEY: sandbox.env.ASSETPANDA_API_KEY,
    ASSETPANDA_API_SECRET: sandbox.env.ASSETPANDA_API_SECRET,
  };
}

/** The sandbox's "Apple Devices" mapping under another id (so each test owns its workflow ids). */
export function mappingAs(
  sandbox: Sandbox,
  id: string,
  tunables: Partial<MappingConfig> = {},
): MappingConfig {
  return { ...sandbox.config.mappings[0], ...tunables, id, name: id };
}

/**
 * Writes the sandbox's key and a config file with these mappings and Temporal settings into `dir`;
 * returns the config's path.
 */
export function writeConfig(
  sandbox: Sandbox,
  dir: string,
  name: string,
  over: { mappings?: MappingConfig[]; temporal?: Partial<AbmSyncConfig['temporal']> } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const { keyPath } = sandbox.writeFiles(dir);
  const config: AbmSyncConfig = {
    ...sandbox.config,
    temporal: { ...sandbox.config.temporal, ...over.temporal },
    abm: { ...sandbox.config.abm, privateKeyFile: path.basename(keyPath) },
    mappings: over.mappings ?? sandbox.config.mappings,
  };
  const file = path.join(dir, `${name}.config.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

export { until } from '../support/wait';
