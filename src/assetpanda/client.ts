import { ApiError, HttpClient, refineApiError, type FailureKind, type RequestOptions } from '../http';
import { resolveByNameOrId } from './resolve';
import {
  accountsResponseSchema,
  modulesResponseSchema,
  collectionsResponseSchema,
  columnsResponseSchema,
  searchResponseSchema,
  writeResponseSchema,
  type WriteResult,
} from './schemas';
import type {
  ApRecord,
  AssetPandaApi,
  CollectionRef,
  CollectionTarget,
  RecordUpdate,
  RecordValues,
} from './types';

/** Spec limits (ASSUMED there): `in` filters and write batches hold at most 100 entries. */
export const MAX_IN_VALUES = 100;
export const MAX_BATCH_RECORDS = 100;
const SEARCH_PAGE_SIZE = 500;

export interface AssetPandaClientOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Wait applied to a 429 without a readable Retry-After. */
  defaultRetryAfterMs?: number;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
}

const CREDENTIALS_HINT = 'Check ASSETPANDA_API_KEY and ASSETPANDA_API_SECRET';
const FORBIDDEN_HINT = 'The API key lacks write permission or the tenant is not accessible';
const NOT_FOUND_HINT =
  'The account, module or collection is unknown to Asset Panda; check assetPanda.account, assetPanda.module and the mapping collection';

const modulesResponseSchemaNamed = modulesResponseSchema.transform((r) =>
  r.data.map((m) => ({ id: m.id, name: m.displayName })),
);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Asset Panda Pro over HTTP (specs/assetpanda-pro-api.md). Credentials go in headers, never in errors. */
export class AssetPandaClient implements AssetPandaApi {
  private readonly http: HttpClient;

  constructor(opts: AssetPandaClientOptions) {
    this.http = new HttpClient({
      baseUrl: opts.baseUrl,
      service: 'Asset Panda',
      headers: { 'Access-Key-Id': opts.apiKey, 'Access-Key-Secret': opts.apiSecret },
      defaultRetryAfterMs: opts.defaultRetryAfterMs,
      connectTimeoutMs: opts.timeouts?.connectMs,
      headersTimeoutMs: opts.timeouts?.headersMs,
      bodyTimeoutMs: opts.timeouts?.bodyMs,
      forbiddenHint: FORBIDDEN_HINT,
    });
  }

  async discover(ref: CollectionRef): Promise<CollectionTarget> {
    const accounts = await this.send({ method: 'GET', path: '/accounts', schema: accountsResponseSchema });
    const account = resolveByNameOrId('account', ref.account, accounts.data, '/accounts');

    const modules = await this.send({
      method: 'GET',
      path: '/modules',
      query: { accountId: account.id },
      schema: modulesResponseSchemaNamed,
    });
    const module = resolveByNameOrId('module', ref.module, modules, '/modules');

    const collections = await this.send({
      method: 'GET',
      path: '/collections',
      query: { accountId: account.id, moduleId: module.id },
      schema: collectionsResponseSchema,
    });
    // A deleted collection is only matched by its id, so that its name can be reused by a live one.
    const live = collections.data.filter((c) => !c.deleted || c.id === ref.collection);
    const collection = resolveByNameOrId(
      'collection',
      ref.collection,
      live.map((c) => ({ ...c, name: c.displayName })),
      '/collections',
    );
    if (collection.deleted || !collection.isActive) {
      throw new ApiError(
        { kind: 'fatal', service: 'Asset Panda', method: 'GET', path: '/collections', code: 'INACTIVE' },
        `Asset Panda collection "${collection.displayName}" (id ${collection.id}) is ${collection.deleted ? 'deleted' : 'inactive'}; restore it or point the mapping at another collection`,
      );
    }

    const columns = await this.send({
      method: 'GET',
      path: '/collection-columns',
      query: { accountId: account.id, moduleId: module.id, collectionId: collection.id },
      schema: columnsResponseSchema,
    });
    return {
      tenant: { accountId: account.id, moduleId: module.id },
      collectionId: collection.id,
      collectionName: collection.displayName,
      columns: columns.data.columns.all,
    };
  }

  async findByUnique(
    target: CollectionTarget,
    columnId: string,
    values: readonly string[],
  ): Promise<ApRecord[]> {
    const wanted = [...new Set(values.filter((v) => v !== ''))];
    const found: ApRecord[] = [];
    for (const part of chunks(wanted, MAX_IN_VALUES)) {
      let pageToken: string | undefined;
      do {
        const page = await this.send({
          method: 'POST',
          path: '/collection-records/search',
          json: {
            tenant: target.tenant,
            collectionId: target.collectionId,
            filters: [{ columnId, operator: 'in', values: part }],
            pageSize: SEARCH_PAGE_SIZE,
            ...(pageToken === undefined ? {} : { pageToken }),
          },
          schema: searchResponseSchema,
        });
        for (const { id, createdAt, updatedAt, ...values } of page.data.records) {
          found.push({ id, createdAt, updatedAt, values });
        }
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken !== undefined);
    }
    return found;
  }

  createRecords(target: CollectionTarget, records: readonly RecordValues[]): Promise<WriteResult[]> {
    return this.write('POST', target, records);
  }

  updateRecords(target: CollectionTarget, records: readonly RecordUpdate[]): Promise<WriteResult[]> {
    return this.write(
      'PUT',
      target,
      records.map((r) => ({ ...r.values, recordId: r.recordId })),
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Sends batches of at most 100 and renumbers each result to its position in `records`. */
  private async write(
    method: 'POST' | 'PUT',
    target: CollectionTarget,
    records: readonly Record<string, unknown>[],
  ): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    for (const [n, part] of chunks(records, MAX_BATCH_RECORDS).entries()) {
      const offset = n * MAX_BATCH_RECORDS;
      const answer = await this.send({
        method,
        path: '/collection-records',
        json: { tenant: target.tenant, collectionId: target.collectionId, records: part },
        schema: writeResponseSchema,
      });
      if (answer.data.records.length !== part.length) {
        throw new ApiError(
          {
            kind: 'fatal',
            service: 'Asset Panda',
            method,
            path: '/collection-records',
            code: 'INVALID_RESPONSE',
          },
          `Asset Panda ${method} /collection-records answered ${answer.data.records.length} results for ${part.length} records`,
        );
      }
      const byIndex = [...answer.data.records].sort((a, b) => a.index - b.index);
      for (const [i, r] of byIndex.entries()) results.push({ ...r, index: offset + i });
    }
    return results;
  }

  /** One request, with Asset Panda's refinements of the shared failure classification. */
  private async send<T>(o: RequestOptions<T>): Promise<T> {
    try {
      return await this.http.request(o, (failed): FailureKind | undefined =>
        // An API key has no token to refresh: a 401 will not heal by retrying.
        failed.status === 401 ? 'fatal' : undefined,
      );
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) {
        throw refineApiError(err, {
          kind: 'fatal',
          hint: err.status === 401 ? CREDENTIALS_HINT : NOT_FOUND_HINT,
        });
      }
      throw err;
    }
  }
}
