import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { ConfigError, type LoadedConfig } from '../config/load';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * How to reach Temporal, for the CLI's client and the worker alike: the config's address and TLS
 * files, and TEMPORAL_API_KEY from the environment (a secret, so never in the file).
 */
export function temporalConnectionOptions(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv = process.env,
): TemporalConnectionOptions {
  const { address, tls } = loaded.config.temporal;
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  if (tls === false) return { address, ...(apiKey ? { apiKey } : {}) };
  // An API key means TLS unless the config says otherwise (Temporal Cloud needs it).
  if (tls === undefined) return { address, ...(apiKey ? { apiKey, tls: true } : {}) };
  if (tls === true) return { address, tls: true, ...(apiKey ? { apiKey } : {}) };
  const read = (field: string, file: string | undefined): Buffer | undefined => {
    if (!file) return undefined;
    const full = path.resolve(loaded.dir, file);
    try {
      return readFileSync(full);
    } catch (err) {
      throw new ConfigError(
        [`temporal.tls.${field}: cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? 'error'})`],
        'Config',
      );
    }
  };
  const crt = read('clientCertFile', tls.clientCertFile);
  const key = read('clientKeyFile', tls.clientKeyFile);
  const ca = read('serverRootCaFile', tls.serverRootCaFile);
  return {
    address,
    tls: {
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    },
    ...(apiKey ? { apiKey } : {}),
  };
}
