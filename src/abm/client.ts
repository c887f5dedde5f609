import type { KeyObject } from 'node:crypto';
import { Agent } from 'undici';
import type { z } from 'zod';
import { abmFieldKeySchema, type AbmFieldKey } from '../config/schema';
import {
  ApiError,
  HttpClient,
  isApiError,
  validationMessage,
  type FailedResponse,
  type FailureKind,
  type Query,
} from '../http';
import { defaultApiBaseUrl, ABM_DEFAULT_TOKEN_URL, scopeFor } from './account';
import type { DeviceFailure } from '../shared/types';
import { orgDeviceSchema, toAbmDevice, type AbmDevice } from './device';
import { refineApiError } from '../http';
import { HINTS } from './errors';
import { orgDeviceResponseSchema, orgDevicesResponseSchema } from './pages';
import { TokenManager } from './token';

/** Apple's documented maximum for `limit` on list endpoints. */
export const ABM_MAX_PAGE_SIZE = 1000;

export interface AbmClientOptions {
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  /** Defaults from the Client ID prefix: api-business.apple.com or api-school.apple.com. */
  apiBaseUrl?: string;
  /** Defaults to https://account.apple.com/auth/oauth2/token. */
  tokenUrl?: string;
  /** Wait applied to a 429 without a readable Retry-After. */
  defaultRetryAfterMs?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Leave `kid` out of the assertion header (spec 1.5: one live report needs this). Default: send it. */
  sendKid?: boolean;
  /** Milliseconds since the epoch for the token cache's refresh decisions (assertions always use real time). */
  clock?: () => number;
}

export interface ListDevicesOptions {
  cursor?: string | null;
  limit?: number;
  fields?: readonly AbmFieldKey[];
}

/** A device ABM listed that does not fit the schema: reported with its serial, never synced blind. */
export type RejectedDevice = DeviceFailure;

export interface AbmDevicePage {
  devices: AbmDevice[];
  /** Devices on this page that break the schema, each with the path of the bad field. */
  rejected: RejectedDevice[];
  /** The cursor of the next page; null on the last one. */
  nextCursor: string | null;
  /** Only when Apple sends it, which it often does not. */
  total?: number;
}

const ORG_DEVICES = '/v1/orgDevices';

/**
 * The Apple School and Business Manager API, read side. Owns a token cache and one keep-alive
 * pool per origin; every failure comes out as an ApiError of a known kind.
 */
export class AbmClient {
  private readonly agent: Agent;
  private readonly api: HttpClient;
  private readonly tokens: TokenManager;

  constructor(o: AbmClientOptions) {
    this.agent = new Agent({
      connect: { timeout: o.connectTimeoutMs ?? 10_000 },
      headersTimeout: o.headersTimeoutMs ?? 60_000,
      bodyTimeout: o.bodyTimeoutMs ?? 60_000,
      keepAliveTimeout: 30_000,
    });
    this.api = new HttpClient({
      baseUrl: o.apiBaseUrl ?? defaultApiBaseUrl(o.clientId),
      service: 'ABM',
      agent: this.agent,
      defaultRetryAfterMs: o.defaultRetryAfterMs,
      forbiddenHint: HINTS.forbidden,
    });
    const tokenUrl = new URL(o.tokenUrl ?? ABM_DEFAULT_TOKEN_URL);
    const tokenHttp = new HttpClient({
      baseUrl: tokenUrl.origin,
      service: 'ABM token',
      agent: this.agent,
      defaultRetryAfterMs: o.defaultRetryAfterMs,
    });
    this.tokens = new TokenManager({
      http: tokenHttp,
      path: tokenUrl.pathname,
      clientId: o.clientId,
      keyId: o.keyId,
      privateKey: o.privateKey,
      scope: scopeFor(o.clientId),
      sendKid: o.sendKid,
      clock: o.clock ?? Date.now,
    });
  }

  /** Makes sure a token can be had (minting one if none is cached); for test-connection. */
  async ensureToken(): Promise<{ expiresAt: Date }> {
    const t = await this.tokens.get();
    return { expiresAt: new Date(t.expiresAt) };
  }

  /** One page of `GET /v1/orgDevices`. Pages may be shorter than `limit` and still have a next cursor. */
  async listDevices(opts: ListDevicesOptions = {}): Promise<AbmDevicePage> {
    const query: Query = {};
    const fields = fieldsParam(opts.fields);
    if (fields !== undefined) query['fields[orgDevices]'] = fields;
    if (opts.limit !== undefined) query.limit = checkLimit(opts.limit);
    if (opts.cursor) query.cursor = opts.cursor;
    const page = await this.authorized(
      { method: 'GET', path: ORG_DEVICES, query, schema: orgDevicesResponseSchema },
      classifyListFailure,
    );
    const next = page.links?.next ?? null;
    if (next !== null) this.checkNextLink(next);
    const cursor = page.meta?.paging?.nextCursor ?? null;
    const { devices, rejected } = readDevices(page.data);
    const result: AbmDevicePage = {
      devices,
      rejected,
      // Apple's last page has neither; a page with only one of them is treated as the last too (spec 2.2).
      nextCursor: next !== null && cursor ? cursor : null,
    };
    const total = page.meta?.paging?.total;
    if (typeof total === 'number') result.total = total;
    return result;
  }

  /** Every page in turn, fetched only when the previous one has been consumed; nothing is collected. */
  async *pages(opts: ListDevicesOptions = {}): AsyncGenerator<AbmDevicePage> {
    let cursor = opts.cursor ?? null;
    do {
      const page = await this.listDevices({ ...opts, cursor });
      cursor = page.nextCursor;
      yield page;
    } while (cursor !== null);
  }

  /** `GET /v1/orgDevices/{serial}`; null when ABM does not know the device. */
  async getDevice(serial: string, fields?: readonly AbmFieldKey[]): Promise<AbmDevice | null> {
    const query: Query = {};
    const f = fieldsParam(fields);
    if (f !== undefined) query['fields[orgDevices]'] = f;
    try {
      const res = await this.authorized({
        method: 'GET',
        path: `${ORG_DEVICES}/${encodeURIComponent(serial)}`,
        query,
        schema: orgDeviceResponseSchema,
      });
      return toAbmDevice(res.data);
    } catch (err) {
      if (isApiError(err) && err.status === 404) return null;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * Sends a request with the cached token. A 401 means Apple no longer takes the token (expired
   * early, revoked): drop it, mint one more, retry once; a second 401 is not going to heal.
   */
  private async authorized<T>(
    req: { method: 'GET'; path: string; query: Query; schema: z.ZodType<T> },
    refine?: (f: FailedResponse) => FailureKind | undefined,
  ): Promise<T> {
    const send = async (token: string): Promise<T> =>
      this.api.request({ ...req, headers: { authorization: `Bearer ${token}` } }, refine);
    const first = await this.tokens.get();
    try {
      return await send(first.value);
    } catch (err) {
      if (!isApiError(err) || err.kind !== 'auth') throw err;
      this.tokens.invalidate(first.value);
    }
    const second = await this.tokens.get();
    try {
      return await send(second.value);
    } catch (err) {
      if (isApiError(err) && err.kind === 'auth')
        throw refineApiError(err, { kind: 'fatal', hint: HINTS.authAfterRefresh });
      throw err;
    }
  }

  /** The bearer token goes with every request, so a next link elsewhere is never followed (spec 6.12). */
  private checkNextLink(next: string): void {
    const base = this.api.baseUrl;
    let url: URL | undefined;
    try {
      url = new URL(next, base);
    } catch {
      url = undefined;
    }
    if (url && url.protocol === base.protocol && url.host === base.host) return;
    const where = url ? `${url.protocol}//${url.host}` : 'an unreadable URL';
    throw new ApiError({
      kind: 'fatal',
      service: 'ABM',
      method: 'GET',
      path: ORG_DEVICES,
      status: 200,
      code: 'CROSS_HOST_NEXT_LINK',
      title: `links.next points to ${where}, not ${base.protocol}//${base.host}; refusing to send the token there`,
    });
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > ABM_MAX_PAGE_SIZE) {
    throw new RangeError(`ABM page size must be an integer from 1 to ${ABM_MAX_PAGE_SIZE}, got ${limit}`);
  }
  return limit;
}

function fieldsParam(fields: readonly AbmFieldKey[] | undefined): string | undefined {
  if (fields === undefined || fields.length === 0) return undefined;
  for (const f of fields) abmFieldKeySchema.parse(f);
  return [...new Set(fields)].join(',');
}

/**
 * Apple answers a stale cursor with a 400 whose error names the `cursor` parameter (spec 2.2, 7).
 * Any of the errors may carry it, in `source.parameter` or, failing that, in the text.
 */
function classifyListFailure(f: FailedResponse): FailureKind | undefined {
  if (f.status !== 400) return undefined;
  return namesCursor(f.body) ? 'cursor_expired' : undefined;
}

function namesCursor(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return false;
  return errors.some((e: unknown) => {
    if (!e || typeof e !== 'object') return false;
    const { source, detail, title } = e as {
      source?: { parameter?: unknown };
      detail?: unknown;
      title?: unknown;
    };
    if (source?.parameter === 'cursor') return true;
    return [detail, title].some((t) => typeof t === 'string' && /\bcursor\b/i.test(t));
  });
}

/** Validates each listed device on its own, so one malformed device fails alone (design invariant 6). */
function readDevices(data: readonly unknown[]): { devices: AbmDevice[]; rejected: RejectedDevice[] } {
  const devices: AbmDevice[] = [];
  const rejected: RejectedDevice[] = [];
  data.forEach((item, i) => {
    const parsed = orgDeviceSchema.safeParse(item);
    if (parsed.success) {
      devices.push(toAbmDevice(parsed.data));
      return;
    }
    rejected.push({
      serialNumber: serialOf(item) ?? `(device ${i + 1} of the page)`,
      reason: `INVALID_DEVICE: ABM sent a device that breaks the schema: ${validationMessage(parsed.error, ['data', i])}`,
    });
  });
  return { devices, rejected };
}

function serialOf(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as { id?: unknown; attributes?: { serialNumber?: unknown } };
  const serial = o.attributes?.serialNumber ?? o.id;
  return typeof serial === 'string' && serial.trim() !== '' ? serial.trim().toUpperCase() : undefined;
}
