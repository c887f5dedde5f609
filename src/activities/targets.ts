import type { AssetPandaClient, CollectionTarget } from '../assetpanda';
import type { MappingConfig } from '../config/schema';
import { validateMapping, type ResolvedMapping } from '../mapping';
import { ConfigurationError } from './failures';

export interface ValidatedTarget {
  target: CollectionTarget;
  resolved: ResolvedMapping;
  warnings: string[];
}

const MAX_AGE_MS = 10 * 60_000;

/**
 * The live collection each mapping writes to, discovered and validated once and reused by every
 * batch (one discovery per worker and ten minutes, not one per batch). The mapping is validated
 * against it before any write.
 */
export class TargetCache {
  private readonly entries = new Map<string, { at: number; value: Promise<ValidatedTarget> }>();

  constructor(
    private readonly client: AssetPandaClient,
    private readonly account: string,
    private readonly module: string,
  ) {}

  get(mapping: MappingConfig, opts: { fresh?: boolean } = {}): Promise<ValidatedTarget> {
    const hit = this.entries.get(mapping.id);
    if (hit && !opts.fresh && Date.now() - hit.at < MAX_AGE_MS) return hit.value;
    const value = this.load(mapping);
    this.entries.set(mapping.id, { at: Date.now(), value });
    // Forget a failed discovery, but only if no newer one has replaced it meanwhile.
    value.catch(() => {
      if (this.entries.get(mapping.id)?.value === value) this.entries.delete(mapping.id);
    });
    return value;
  }

  private async load(mapping: MappingConfig): Promise<ValidatedTarget> {
    const target = await this.client.discover({
      account: this.account,
      module: this.module,
      collection: mapping.collection,
    });
    const { problems, warnings, resolved } = validateMapping(mapping, target);
    if (problems.length > 0 || !resolved) {
      throw new ConfigurationError(
        `Mapping "${mapping.id}" does not fit collection "${target.collectionName}": ${problems.join('; ')}`,
      );
    }
    return { target, resolved, warnings };
  }
}
