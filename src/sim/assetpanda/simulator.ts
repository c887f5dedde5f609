import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Column, ColumnValue } from '../../assetpanda';
import {
  DEFAULT_RATE_LIMIT,
  SIM_ROUTES,
  SimFaults,
  WRITE_ROUTES,
  type RateLimit,
  type RouteFaults,
  type SimRoute,
} from './faults';
import {
  SimCollection,
  present,
  type DuplicateValue,
  type Filter,
  type SimCollectionSpec,
  type SimRecord,
} from './store';

export type KeyPermission = 'read' | 'read_write';

export interface SimCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface AssetPandaSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Seeds the jitter generator; everything else is deterministic already. */
  seed?: number;
  /** `true` applies the documented 400 requests per 180 s per key; off by default. */
  rateLimit?: RateLimit | boolean;
  faults?: Partial<RouteFaults>;
  /** Bodies larger than this answer 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Clock for record timestamps and rate-limit windows. */
  now?: () => number;
}

/** Answers by route and HTTP status (`lost` for answers dropped on purpose). */
export type RequestCounts = Record<SimRoute, Record<string, number>>;

interface ApiKey extends SimCredentials {
  permission: KeyPermission;
  /** Accounts the key may use; all when absent. */
  accountIds?: string[];
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_IN_VALUES = 100;
const MAX_BATCH = 100;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;

/** Mulberry32: small, seedable, good enough for jitter. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'column';
}

function routeOf(method: string, path: string): SimRoute | undefined {
  if (method === 'GET' && path === '/accounts') return 'accounts';
  if (method === 'GET' && path === '/modules') return 'modules';
  if (method === 'GET' && path === '/collections') return 'collections';
  if (method === 'GET' && path === '/collection-columns') return 'columns';
  if (method === 'POST' && path === '/collection-records/search') return 'search';
  if (method === 'POST' && path === '/collection-records') return 'create';
  if (method === 'PUT' && path === '/collection-records') return 'update';
  return undefined;
}

const badRequest = (message: string): HttpFailure => new HttpFailure(400, 'BAD_REQUEST', message);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Asset Panda Pro over real HTTP, faithful to specs/assetpanda-pro-api.md, with seeding, fault
 * injection and inspection (in-process and under `/_sim/`).
 */
export class AssetPandaSimulator {
  readonly faults: SimFaults;
  readonly credentials: SimCredentials;
  readonly readOnlyCredentials: SimCredentials;

  private readonly server: Server;
  private readonly keys = new Map<string, ApiKey>();
  private readonly accounts = new Map<string, { id: string; name: string }>();
  private readonly modules = new Map<string, { id: string; accountId: string; displayName: string }>();
  private readonly collections = new Map<string, SimCollection>();
  private counts = SimCounts.empty();
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly maxBodyBytes: number;
  private nextId = { account: 1, module: 1, collection: 1, column: 1, record: 1, key: 1 };
  private port = 0;

  constructor(private readonly opts: AssetPandaSimulatorOptions = {}) {
    this.random = seededRandom(opts.seed ?? 1);
    this.now = opts.now ?? Date.now;
    this.maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
    const rateLimit = opts.rateLimit === true ? DEFAULT_RATE_LIMIT : opts.rateLimit || null;
    this.faults = new SimFaults({ rateLimit, faults: opts.faults });
    this.credentials = this.addApiKey({ permission: 'read_write' });
    this.readOnlyCredentials = this.addApiKey({ permission: 'read' });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- seeding -------------------------------------------------------------------------------

  addApiKey(k: { permission: KeyPermission; accountIds?: string[] }): SimCredentials {
    const n = this.nextId.key++;
    const key: ApiKey = { apiKey: `sim-key-${n}`, apiSecret: `sim-secret-${n}-${k.permission}`, ...k };
    this.keys.set(key.apiKey, key);
    return { apiKey: key.apiKey, apiSecret: key.apiSecret };
  }

  addAccount(name: string, id = `acc_${this.nextId.account++}`): { id: string; name: string } {
    const account = { id, name };
    this.accounts.set(id, account);
    return { ...account };
  }

  addModule(
    accountId: string,
    displayName: string,
    id = `mod_${this.nextId.module++}`,
  ): { id: string; displayName: string } {
    if (!this.accounts.has(accountId)) throw new Error(`no account ${accountId}`);
    this.modules.set(id, { id, accountId, displayName });
    return { id, displayName };
  }

  addCollection(
    accountId: string,
    moduleId: string,
    spec: SimCollectionSpec,
  ): { id: string; columns: Column[] } {
    if (this.modules.get(moduleId)?.accountId !== accountId)
      throw new Error(`no module ${moduleId} in ${accountId}`);
    const id = spec.id ?? `col_${this.nextId.collection++}`;
    const columns: Column[] = spec.columns.map((c) => {
      const n = this.nextId.column++;
      return {
        id: c.id ?? `01KMG_${n}_${slug(c.displayName)}_${c.type}`,
        displayName: c.displayName,
        type: c.type,
        isUnique: c.isUnique ?? false,
        isRequired: c.isRequired ?? false,
        deleted: c.deleted ?? false,
        ...(c.options ? { options: [...c.options] } : {}),
      };
    });
    const collection = new SimCollection(
      accountId,
      moduleId,
      id,
      spec.displayName,
      spec.isActive ?? true,
      spec.deleted ?? false,
      columns,
      () => {
        const seq = this.nextId.record++;
        return { id: `rec_${String(seq).padStart(7, '0')}`, seq };
      },
      () => new Date(this.now()).toISOString(),
    );
    this.collections.set(id, collection);
    return { id, columns: columns.map((c) => ({ ...c })) };
  }

  /**
   * Inserts records keyed by column id. With `enforce: false` nothing is checked, which is how a
   * test seeds a collection that already breaks its own rules (two records with one serial).
   */
  addRecords(
    collectionId: string,
    records: Record<string, ColumnValue>[],
    opts: { enforce?: boolean } = {},
  ): string[] {
    const results = this.collection(collectionId).create(records, opts.enforce ?? true);
    return results.map((r) => {
      if (!r.success)
        throw new Error(`seed record ${r.index} refused: ${r.errors.map((e) => e.message).join('; ')}`);
      return r.id;
    });
  }

  // ---- inspection ----------------------------------------------------------------------------

  records(collectionId: string): SimRecord[] {
    return this.collection(collectionId).all();
  }

  /** Unique values held by more than one record, in every collection (must stay empty). */
  duplicates(): DuplicateValue[] {
    return [...this.collections.values()].flatMap((c) => c.duplicates());
  }

  requestCounts(): RequestCounts {
    return this.counts.snapshot();
  }

  /** Requests answered (or dropped) on the given routes, all routes when omitted. */
  requestTotal(routes: readonly SimRoute[] = SIM_ROUTES): number {
    return this.counts.total(routes);
  }

  resetCounters(): void {
    this.counts = SimCounts.empty();
  }

  private collection(id: string): SimCollection {
    const c = this.collections.get(id);
    if (!c) throw new Error(`no collection ${id}`);
    return c;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const body = await readBody(req, this.maxBodyBytes);
    if (url.pathname.startsWith('/_sim/')) return send(res, this.inspect(method, url, body));

    const route = routeOf(method, url.pathname);
    if (!route)
      return send(res, failure(new HttpFailure(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`)));

    const delay = this.faults.delayMs(route, this.random);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    const answer = this.answer(route, req, url, body);
    if (answer.status < 300 && this.faults.loseAnswer(route)) {
      this.counts.add(route, 'lost');
      res.socket?.destroy();
      return;
    }
    this.counts.add(route, String(answer.status));
    send(res, answer);
  }

  private answer(route: SimRoute, req: IncomingMessage, url: URL, body: Buffer | 'too-large'): Answer {
    try {
      const key = this.authenticate(req);
      const decision = this.faults.admit(route, key.apiKey, this.now());
      if (decision.kind === 'throttle') {
        return {
          status: 429,
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
          body: { errors: [{ code: 'RATE_LIMITED', message: 'too many requests for this API key' }] },
        };
      }
      if (decision.kind === 'fail') return serverError(decision.status, decision.body);
      if (WRITE_ROUTES.includes(route) && key.permission !== 'read_write') {
        throw new HttpFailure(403, 'FORBIDDEN', 'this API key may only read');
      }
      if (body === 'too-large') throw new HttpFailure(413, 'PAYLOAD_TOO_LARGE', 'request body too large');
      return { status: 200, body: this.route(route, key, url, body) };
    } catch (err) {
      if (err instanceof HttpFailure) return failure(err);
      throw err;
    }
  }

  private authenticate(req: IncomingMessage): ApiKey {
    const id = req.headers['access-key-id'];
    const secret = req.headers['access-key-secret'];
    const key = typeof id === 'string' ? this.keys.get(id) : undefined;
    if (!key || key.apiSecret !== secret) {
      throw new HttpFailure(401, 'UNAUTHORIZED', 'missing or wrong Access-Key-Id / Access-Key-Secret');
    }
    return key;
  }

  private route(route: SimRoute, key: ApiKey, url: URL, body: Buffer): unknown {
    const q = (name: string): string => url.searchParams.get(name) ?? '';
    switch (route) {
      case 'accounts':
        return {
          data: [...this.accounts.values()]
            .filter((a) => !key.accountIds || key.accountIds.includes(a.id))
            .map((a) => ({ id: a.id, name: a.name })),
        };
      case 'modules':
        this.account(key, q('accountId'));
        return {
          data: [...this.modules.values()]
            .filter((m) => m.accountId === q('accountId'))
            .map((m) => ({ id: m.id, displayName: m.displayName })),
        };
      case 'collections':
        this.module(key, q('accountId'), q('moduleId'));
        return {
          data: [...this.collections.values()]
            .filter((c) => c.accountId === q('accountId') && c.moduleId === q('moduleId'))
            .map((c) => ({ id: c.id, displayName: c.displayName, isActive: c.isActive, deleted: c.deleted })),
        };
      case 'columns': {
        const c = this.target(key, q('accountId'), q('moduleId'), q('collectionId'));
        return { data: { columns: { all: c.columns } } };
      }
      case 'search':
        return this.search(key, parseJson(body));
      case 'create':
      case 'update': {
        const envelope = parseJson(body);
        const c = this.envelopeTarget(key, envelope);
        const records = envelope.records;
        if (!Array.isArray(records) || records.length === 0 || records.length > MAX_BATCH) {
          throw badRequest(`records must be an array of 1 to ${MAX_BATCH} records`);
        }
        return { data: { records: route === 'create' ? c.create(records) : c.update(records) } };
      }
    }
  }

  private search(key: ApiKey, envelope: Record<string, unknown>): unknown {
    const c = this.envelopeTarget(key, envelope);
    const filters: Filter[] = [];
    const raw = envelope.filters ?? [];
    if (!Array.isArray(raw)) throw badRequest('filters must be an array');
    for (const f of raw) {
      if (!isObject(f) || typeof f.columnId !== 'string') throw badRequest('each filter needs a columnId');
      if (!c.column(f.columnId)) throw badRequest(`unknown column ${f.columnId} in filters`);
      if (f.operator === 'equals') filters.push({ columnId: f.columnId, values: [f.value as ColumnValue] });
      else if (f.operator === 'in') {
        if (!Array.isArray(f.values) || f.values.length > MAX_IN_VALUES) {
          throw badRequest(`an "in" filter takes an array of at most ${MAX_IN_VALUES} values`);
        }
        filters.push({ columnId: f.columnId, values: f.values as ColumnValue[] });
      } else throw badRequest('operator must be "equals" or "in"');
    }
    const pageSize = envelope.pageSize ?? DEFAULT_PAGE_SIZE;
    if (
      typeof pageSize !== 'number' ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > MAX_PAGE_SIZE
    ) {
      throw badRequest(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const offset =
      envelope.pageToken === undefined || envelope.pageToken === null ? 0 : decodeToken(envelope.pageToken);
    const matches = c.search(filters);
    const page = matches.slice(offset, offset + pageSize);
    const next = offset + pageSize < matches.length ? encodeToken(offset + pageSize) : null;
    return { data: { records: page.map(present), nextPageToken: next, total: matches.length } };
  }

  private account(key: ApiKey, accountId: string): void {
    if (!this.accounts.has(accountId))
      throw new HttpFailure(404, 'NOT_FOUND', `unknown account ${accountId}`);
    if (key.accountIds && !key.accountIds.includes(accountId)) {
      throw new HttpFailure(403, 'FORBIDDEN', 'this API key cannot access the tenant');
    }
  }

  private module(key: ApiKey, accountId: string, moduleId: string): void {
    this.account(key, accountId);
    if (this.modules.get(moduleId)?.accountId !== accountId) {
      throw new HttpFailure(404, 'NOT_FOUND', `unknown module ${moduleId}`);
    }
  }

  private target(key: ApiKey, accountId: string, moduleId: string, collectionId: string): SimCollection {
    this.module(key, accountId, moduleId);
    const c = this.collections.get(collectionId);
    if (!c || c.deleted || c.accountId !== accountId || c.moduleId !== moduleId) {
      throw new HttpFailure(404, 'NOT_FOUND', `unknown collection ${collectionId}`);
    }
    return c;
  }

  private envelopeTarget(key: ApiKey, envelope: Record<string, unknown>): SimCollection {
    const t = envelope.tenant;
    if (!isObject(t) || typeof t.accountId !== 'string' || typeof t.moduleId !== 'string') {
      throw badRequest('tenant must be { accountId, moduleId }');
    }
    if (typeof envelope.collectionId !== 'string') throw badRequest('collectionId is required');
    return this.target(key, t.accountId, t.moduleId, envelope.collectionId);
  }

  /** `/_sim/…`: the same inspection and fault control as the in-process methods. */
  private inspect(method: string, url: URL, body: Buffer | 'too-large'): Answer {
    const path = url.pathname;
    if (method === 'GET' && path === '/_sim/records') {
      const c = this.collections.get(url.searchParams.get('collectionId') ?? '');
      return c
        ? { status: 200, body: { data: c.all() } }
        : { status: 404, body: { errors: [{ code: 'NOT_FOUND', message: 'unknown collection' }] } };
    }
    if (method === 'GET' && path === '/_sim/requests')
      return { status: 200, body: { data: this.requestCounts() } };
    if (method === 'GET' && path === '/_sim/duplicates')
      return { status: 200, body: { data: this.duplicates() } };
    if (method === 'POST' && path === '/_sim/reset-counters') {
      this.resetCounters();
      return { status: 200, body: { data: {} } };
    }
    if (method === 'POST' && path === '/_sim/faults/reset') {
      this.faults.reset();
      return { status: 200, body: { data: {} } };
    }
    if (method === 'POST' && path === '/_sim/faults' && body !== 'too-large') {
      try {
        const { routes, ...faults } = parseJson(body);
        this.faults.set(faults as Partial<RouteFaults>, (routes as SimRoute[] | undefined) ?? SIM_ROUTES);
        return { status: 200, body: { data: {} } };
      } catch (err) {
        if (err instanceof HttpFailure) return failure(err);
        throw err;
      }
    }
    return { status: 404, body: { errors: [{ code: 'NOT_FOUND', message: `no route ${method} ${path}` }] } };
  }
}

class SimCounts {
  private constructor(private readonly byRoute: RequestCounts) {}

  static empty(): SimCounts {
    return new SimCounts(Object.fromEntries(SIM_ROUTES.map((r) => [r, {}])) as RequestCounts);
  }

  add(route: SimRoute, status: string): void {
    this.byRoute[route][status] = (this.byRoute[route][status] ?? 0) + 1;
  }

  total(routes: readonly SimRoute[]): number {
    let n = 0;
    for (const r of routes) for (const c of Object.values(this.byRoute[r])) n += c;
    return n;
  }

  snapshot(): RequestCounts {
    return Object.fromEntries(SIM_ROUTES.map((r) => [r, { ...this.byRoute[r] }])) as RequestCounts;
  }
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeToken(token: unknown): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(String(token), 'base64url').toString());
    if (isObject(parsed) && typeof parsed.o === 'number' && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('pageToken is not one this API gave out');
}

function parseJson(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('body is not JSON');
  }
  if (!isObject(parsed)) throw badRequest('body must be a JSON object');
  return parsed;
}

/** Reads the whole body; past the limit it keeps draining (so the 413 can be read) but stores nothing. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) parts.push(chunk);
    });
    req.on('end', () => resolve(size > max ? 'too-large' : Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function failure(err: HttpFailure): Answer {
  return { status: err.status, body: { errors: [{ code: err.code, message: err.message }] } };
}

function serverError(status: number, kind: RouteFaults['body5xx']): Answer {
  if (kind === 'html')
    return { status, body: `<html><body><h1>${status} Service Unavailable</h1></body></html>` };
  if (kind === 'empty') return { status, body: undefined };
  return { status, body: { errors: [{ code: 'INTERNAL', message: 'simulated server error' }] } };
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let text = '';
  if (typeof answer.body === 'string') {
    headers['content-type'] = 'text/html';
    text = answer.body;
  } else if (answer.body !== undefined) {
    headers['content-type'] = 'application/json';
    text = JSON.stringify(answer.body);
  }
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(answer.status, headers);
  res.end(text);
}

export async function startAssetPandaSimulator(
  opts: AssetPandaSimulatorOptions = {},
): Promise<AssetPandaSimulator> {
  const sim = new AssetPandaSimulator(opts);
  await sim.listen();
  return sim;
}
