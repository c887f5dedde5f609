import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AbmSyncConfig } from './config/schema';
import { startAbmSimulator, type AbmSimOptions, type AbmSimulator } from './sim/abm';
import {
  appleDevicesMapping,
  seedAppleDevicesCollection,
  startAssetPandaSimulator,
  type AppleDevicesCollection,
  type AssetPandaSimulator,
  type AssetPandaSimulatorOptions,
} from './sim/assetpanda';

export interface SandboxOptions {
  devices?: number;
  seed?: number;
  abmPort?: number;
  apPort?: number;
  temporal?: Partial<AbmSyncConfig['temporal']>;
  abm?: Omit<AbmSimOptions, 'port' | 'devices' | 'seed'>;
  assetPanda?: Omit<AssetPandaSimulatorOptions, 'port' | 'seed'>;
}

/** Both simulators, seeded, with the config and environment a worker needs to sync between them. */
export interface Sandbox {
  abm: AbmSimulator;
  assetPanda: AssetPandaSimulator;
  collection: AppleDevicesCollection;
  config: AbmSyncConfig;
  /** ASSETPANDA_API_KEY, ASSETPANDA_API_SECRET and ABM_PRIVATE_KEY for the simulators. */
  env: Record<string, string>;
  /** Writes the key (mode 0600) and a config that points at it; returns their paths. */
  writeFiles(dir: string): { configPath: string; keyPath: string };
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const abm = await startAbmSimulator({
    ...opts.abm,
    port: opts.abmPort,
    devices: opts.devices ?? 2000,
    seed: opts.seed ?? 1,
  });
  let assetPanda: AssetPandaSimulator;
  try {
    assetPanda = await startAssetPandaSimulator({
      ...opts.assetPanda,
      port: opts.apPort,
      seed: opts.seed ?? 1,
    });
  } catch (err) {
    await abm.close();
    throw err;
  }
  const collection = seedAppleDevicesCollection(assetPanda);
  const config: AbmSyncConfig = {
    temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'abm-sync', ...opts.temporal },
    abm: {
      clientId: abm.credentials.clientId,
      keyId: abm.credentials.keyId,
      apiBaseUrl: abm.apiBaseUrl,
      tokenUrl: abm.tokenUrl,
    },
    assetPanda: { baseUrl: assetPanda.url, account: 'Acme Corp', module: 'IT Assets' },
    mappings: [appleDevicesMapping()],
  };
  const env = {
    ASSETPANDA_API_KEY: assetPanda.credentials.apiKey,
    ASSETPANDA_API_SECRET: assetPanda.credentials.apiSecret,
    // The layout Apple has been seen to ship (PKCS#8 under an EC label), so the demo exercises the loader.
    ABM_PRIVATE_KEY: abm.credentials.pkcs8UnderEcLabelPem,
  };
  return {
    abm,
    assetPanda,
    collection,
    config,
    env,
    writeFiles(dir) {
      mkdirSync(dir, { recursive: true });
      const keyPath = path.join(dir, 'abm-sim-key.pem');
      const configPath = path.join(dir, 'abm-sync.config.json');
      writeFileSync(keyPath, abm.credentials.pkcs8UnderEcLabelPem, { mode: 0o600 });
      const fileConfig = { ...config, abm: { ...config.abm, privateKeyFile: path.basename(keyPath) } };
      writeFileSync(configPath, `${JSON.stringify(fileConfig, null, 2)}\n`);
      return { configPath, keyPath };
    },
    async close() {
      await Promise.allSettled([abm.close(), assetPanda.close()]);
    },
  };
}
