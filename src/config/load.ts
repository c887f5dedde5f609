import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatPath } from '../http/validation';
import { configSchema, type AbmSyncConfig } from './schema';

export const DEFAULT_CONFIG_FILE = 'abm-sync.config.json';

/** Bad config, credentials or arguments: every problem at once, each saying where and what to do. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `--config PATH`, else `$ABM_SYNC_CONFIG`, else `./abm-sync.config.json`. */
export function resolveConfigPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.ABM_SYNC_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export interface LoadedConfig {
  config: AbmSyncConfig;
  path: string;
  dir: string;
}

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? 'error'})`;
    throw new ConfigError(
      [`${why}. Pass --config PATH, set ABM_SYNC_CONFIG, or create ${DEFAULT_CONFIG_FILE} (see the README).`],
      `Config ${file}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`not valid JSON: ${(err as Error).message}`], `Config ${file}`);
  }
  return { config: parseConfig(json, file), path: file, dir: path.dirname(file) };
}

export function parseConfig(
  json: unknown,
  source = 'config',
  env: NodeJS.ProcessEnv = process.env,
): AbmSyncConfig {
  const result = configSchema.safeParse(json);
  if (result.success) return withEnvironment(result.data, env);
  throw new ConfigError(
    result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    `Config ${source} has ${result.error.issues.length} problem(s)`,
  );
}

/**
 * TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (the Temporal CLI's own variables) override the file, so
 * one config serves both a laptop and a container whose server is `temporal:7233`.
 */
function withEnvironment(config: AbmSyncConfig, env: NodeJS.ProcessEnv): AbmSyncConfig {
  const address = env.TEMPORAL_ADDRESS?.trim();
  const namespace = env.TEMPORAL_NAMESPACE?.trim();
  if (!address && !namespace) return config;
  return {
    ...config,
    temporal: { ...config.temporal, ...(address ? { address } : {}), ...(namespace ? { namespace } : {}) },
  };
}

/** Picks the mapping a command is about: the named one, or the only one. */
export function pickMapping(config: AbmSyncConfig, id?: string): AbmSyncConfig['mappings'][number] {
  const ids = config.mappings.map((m) => m.id);
  if (id === undefined) {
    if (config.mappings.length === 1) return config.mappings[0];
    throw new ConfigError(
      [`the config has ${ids.length} mappings (${ids.join(', ')}); choose one with --mapping ID`],
      'Arguments',
    );
  }
  const m = config.mappings.find((x) => x.id === id);
  if (!m)
    throw new ConfigError([`no mapping "${id}" in the config (it has: ${ids.join(', ')})`], 'Arguments');
  return m;
}
