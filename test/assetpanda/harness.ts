import { AssetPandaClient, type CollectionTarget } from '../../src/assetpanda';
import { validateMapping, type ResolvedMapping } from '../../src/mapping';
import {
  appleDevicesMapping,
  seedAppleDevicesCollection,
  startAssetPandaSimulator,
  type AppleDevicesCollection,
  type AppleDevicesSeedOptions,
  type AssetPandaSimulator,
  type AssetPandaSimulatorOptions,
  type SimCredentials,
} from '../../src/sim/assetpanda';

export interface Harness {
  sim: AssetPandaSimulator;
  client: AssetPandaClient;
  seeded: AppleDevicesCollection;
  target: CollectionTarget;
  mapping: ResolvedMapping;
  clientWith(credentials: SimCredentials): AssetPandaClient;
  close(): Promise<void>;
}

/** A seeded simulator, a real client over HTTP, the collection discovered and the mapping resolved. */
export async function startHarness(
  opts: { sim?: AssetPandaSimulatorOptions; seed?: AppleDevicesSeedOptions } = {},
): Promise<Harness> {
  const sim = await startAssetPandaSimulator(opts.sim);
  const seeded = seedAppleDevicesCollection(sim, opts.seed);
  const clients: AssetPandaClient[] = [];
  const clientWith = (c: SimCredentials): AssetPandaClient => {
    const client = new AssetPandaClient({ baseUrl: sim.url, ...c, defaultRetryAfterMs: 1000 });
    clients.push(client);
    return client;
  };
  const client = clientWith(sim.credentials);
  const target = await client.discover({
    account: 'Acme Corp',
    module: 'IT Assets',
    collection: 'Apple Devices',
  });
  const validation = validateMapping(appleDevicesMapping(), target);
  if (!validation.resolved) throw new Error(`seeded mapping invalid: ${validation.problems.join('; ')}`);
  sim.resetCounters();
  return {
    sim,
    client,
    seeded,
    target,
    mapping: validation.resolved,
    clientWith,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    },
  };
}
