import { AbmClient } from './abm';
import { AssetPandaClient } from './assetpanda';
import type { AbmSyncConfig } from './config/schema';
import type { Secrets } from './config/secrets';

export interface ApiClients {
  abm: AbmClient;
  assetPanda: AssetPandaClient;
  close(): Promise<void>;
}

/** Both API clients, built once per process: they own the token cache and the connection pools. */
export function buildClients(config: AbmSyncConfig, secrets: Secrets): ApiClients {
  const abm = new AbmClient({
    clientId: config.abm.clientId,
    keyId: config.abm.keyId,
    privateKey: secrets.abmPrivateKey,
    apiBaseUrl: config.abm.apiBaseUrl,
    tokenUrl: config.abm.tokenUrl,
  });
  const assetPanda = new AssetPandaClient({
    baseUrl: config.assetPanda.baseUrl,
    apiKey: secrets.assetPandaApiKey,
    apiSecret: secrets.assetPandaApiSecret,
  });
  return {
    abm,
    assetPanda,
    async close() {
      await Promise.allSettled([abm.close(), assetPanda.close()]);
    },
  };
}
