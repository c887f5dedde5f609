import { Client, Connection } from '@temporalio/client';
import type { AbmSyncConfig } from '../config/schema';

export interface TemporalSession {
  client: Client;
  close(): Promise<void>;
}

/** A client for the config's Temporal server; says which address failed when it cannot connect. */
export async function connectTemporal(config: AbmSyncConfig): Promise<TemporalSession> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 10_000 });
  } catch (err) {
    throw new Error(
      `Cannot reach the Temporal server at ${config.temporal.address} (${(err as Error).message}). ` +
        'Start one (`abm-sync dev-server`) or set temporal.address in the config.',
    );
  }
  return {
    client: new Client({ connection, namespace: config.temporal.namespace }),
    close: () => connection.close(),
  };
}
