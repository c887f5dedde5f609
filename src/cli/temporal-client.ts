import { Client, Connection } from '@temporalio/client';
import type { LoadedConfig } from '../config/load';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { dataConverter } from '../temporal/data-converter';

export interface TemporalSession {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** A client for the config's Temporal server; says which address failed when it cannot connect. */
export async function connectTemporal(loaded: LoadedConfig): Promise<TemporalSession> {
  const { config } = loaded;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(loaded), connectTimeout: 10_000 });
  } catch (err) {
    throw new Error(
      `Cannot reach the Temporal server at ${config.temporal.address} (${(err as Error).message}). ` +
        'Start one (`abm-sync dev-server`), or set temporal.address in the config or TEMPORAL_ADDRESS.',
    );
  }
  return {
    client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }),
    connection,
    close: () => connection.close(),
  };
}
