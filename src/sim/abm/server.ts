import { randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Rng, hashSeed } from '../shared/prng';
import { delay, readBody, startHttpServer } from '../shared/http';
import { appleJson } from './apple-json';
import { TokenAuthority } from './authority';
import { generateCredentials, type AbmSimCredentials } from './credentials';
import { decodeCursor, encodeCursor } from './cursor';
import {
  FaultController,
  type AbmSimFaults,
  type FaultDecision,
  type SimOrgDevicesBody,
  type SimRoute,
} from './faults';
import { SimFleet } from './fleet';
import { ORG_DEVICE_FIELDS, errorResponse, invalidParameter, orgDevice, type AppleError } from './resources';
import { handleAdmin } from './admin';

export interface AbmSimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Devices in the generated fleet; default 100. */
  devices?: number;
  /** Same seed, same fleet; default 1. */
  seed?: number | string;
  /** Act as Apple School Manager: a SCHOOLAPI. Client ID and the school.api scope. */
  school?: boolean;
  clientId?: string;
  keyId?: string;
  /** `expires_in` of issued tokens; default 3600. */
  tokenLifetimeSec?: number;
  /** Also accept assertions without `kid` (spec 1.5); default false. */
  acceptMissingKid?: boolean;
  /** Tolerated clock skew for `iat`; default 60 s. */
  clockSkewSec?: number;
  /** Refuse a `jti` seen before; default true. */
  checkJtiReplay?: boolean;
  /** Send `meta.paging.total`; default false (Apple often leaves it out). */
  includeTotal?: boolean;
  /** Fleet timestamps end before this instant; default 2026-01-01. */
  referenceTime?: Date;
  faults?: Partial<AbmSimFaults>;
}

/** Requests by route and by status (`reset` for dropped connections). */
export interface AbmSimCounters {
  requests: Record<SimRoute, Record<string, number>>;
  /** Requests to the token endpoint, answered or not. */
  tokenRequests: number;
  tokensIssued: number;
  total: number;
}

export interface AbmSimFaultControls {
  set(patch: Partial<AbmSimFaults>): void;
  reset(): void;
  get(): Readonly<AbmSimFaults>;
}

export interface AbmSimulator {
  /** `http://127.0.0.1:PORT`; also the API base URL. */
  readonly url: string;
  readonly port: number;
  readonly apiBaseUrl: string;
  readonly tokenUrl: string;
  readonly credentials: AbmSimCredentials;
  readonly fleet: SimFleet;
  readonly faults: AbmSimFaultControls;
  /** Registers another key (for "unknown kid" / "wrong key" cases, or a second API account). */
  registerKey(keyId: string, publicKey: KeyObject, clientId?: string): void;
  /** Every issued token becomes invalid: the next resource request answers 401. */
  expireTokens(): void;
  /** Every access token issued so far (for tests that prove tokens never leak). */
  issuedTokens(): string[];
  setIncludeTotal(on: boolean): void;
  counters(): AbmSimCounters;
  resetCounters(): void;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function emptyCounters(): AbmSimCounters {
  return {
    requests: { token: {}, orgDevices: {}, orgDevice: {}, mdmServers: {}, other: {} },
    tokenRequests: 0,
    tokensIssued: 0,
    total: 0,
  };
}

function routeOf(pathname: string): SimRoute {
  if (pathname === '/auth/oauth2/token' || pathname === '/auth/oauth2/v2/token') return 'token';
  if (pathname === '/v1/orgDevices') return 'orgDevices';
  if (/^\/v1\/orgDevices\/[^/]+$/.test(pathname)) return 'orgDevice';
  if (pathname === '/v1/mdmServers') return 'mdmServers';
  return 'other';
}

/** Starts the ABM simulator (spec section 7) over real HTTP. */
export async function startAbmSimulator(opts: AbmSimOptions = {}): Promise<AbmSimulator> {
  const now = Date.now;
  const { credentials, publicKey } = generateCredentials(opts);
  const scope = opts.school ? 'school.api' : 'business.api';
  const authority = new TokenAuthority({
    tokenLifetimeSec: opts.tokenLifetimeSec ?? 3600,
    acceptMissingKid: opts.acceptMissingKid ?? false,
    clockSkewSec: opts.clockSkewSec ?? 60,
    checkJtiReplay: opts.checkJtiReplay ?? true,
    now,
  });
  authority.registerKey(credentials.keyId, publicKey, credentials.clientId);
  const seed = opts.seed ?? 1;
  const fleet = new SimFleet({ devices: opts.devices ?? 100, seed, referenceTime: opts.referenceTime, now });
  const faults = new FaultController(opts.faults);
  const mdmServers = makeMdmServers(seed);
  let includeTotal = opts.includeTotal ?? false;
  let counters = emptyCounters();
  let base = '';

  const count = (route: SimRoute, status: string): void => {
    counters.requests[route][status] = (counters.requests[route][status] ?? 0) + 1;
    counters.total++;
  };

  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'content-type': 'application/json',
    server: 'Apple',
    'x-apple-request-uuid': randomUUID(),
    'strict-transport-security': 'max-age=31536000; includeSubdomains',
    ...extra,
  });

  const send = (
    res: ServerResponse,
    route: SimRoute,
    status: number,
    body: string,
    extra?: Record<string, string>,
  ): void => {
    count(route, String(status));
    res.writeHead(status, headers(extra));
    res.end(body);
  };
  const sendError = (
    res: ServerResponse,
    route: SimRoute,
    e: AppleError,
    extra?: Record<string, string>,
  ): void => send(res, route, e.status, appleJson(errorResponse(e)), extra);

  const applyFault = (res: ServerResponse, route: SimRoute, f: FaultDecision): void => {
    if (f.kind === 'reset') {
      count(route, 'reset');
      // Headers and a partial body go out, then the connection drops: the client sees a reset mid-response.
      res.writeHead(200, { ...headers(), 'content-length': '100000' });
      res.write('{\n  "data" : [ {\n    "type" : "orgDevices",');
      res.socket?.destroy();
      return;
    }
    if (f.kind === 'forbidden') {
      sendError(res, route, {
        status: 403,
        code: 'FORBIDDEN_ERROR',
        title: 'This request is forbidden for security reasons',
        detail: 'The API account does not have the privilege for this request',
      });
      return;
    }
    if (f.kind === 'server-error') {
      if (f.html) {
        send(res, route, f.status, '<html><body><h1>Service Unavailable</h1></body></html>', {
          'content-type': 'text/html',
        });
      } else {
        sendError(res, route, {
          status: f.status,
          code: 'INTERNAL_ERROR',
          title: 'An internal error occurred',
          detail: 'Simulated server error',
        });
      }
      return;
    }
    const extra: Record<string, string> = {};
    if (f.format === 'seconds') extra['retry-after'] = String(f.retryAfterSec);
    if (f.format === 'http-date')
      extra['retry-after'] = new Date(now() + f.retryAfterSec * 1000).toUTCString();
    throttled(res, route, extra);
  };

  const throttled = (res: ServerResponse, route: SimRoute, extra: Record<string, string>): void => {
    if (route === 'token') {
      count(route, '429');
      res.writeHead(429, { ...headers(), ...extra });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'Too many requests' }));
      return;
    }
    sendError(
      res,
      route,
      {
        status: 429,
        code: 'RATE_LIMIT_EXCEEDED',
        title: 'The request rate limit has been reached.',
        detail: 'Too many requests; retry later.',
      },
      extra,
    );
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'POST') {
      send(res, 'token', 405, JSON.stringify({ error: 'invalid_request' }), { allow: 'POST' });
      return;
    }
    // Apple's curl example sends the parameters in the query string, libraries in a form body.
    const params = new URLSearchParams(url.searchParams);
    for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
    const outcome = await authority.issue(params);
    if (!outcome.ok) {
      send(res, 'token', 400, JSON.stringify({ error: outcome.error }), {
        'x-sim-rejection': outcome.reason,
      });
      return;
    }
    counters.tokensIssued++;
    send(
      res,
      'token',
      200,
      JSON.stringify({
        access_token: outcome.accessToken,
        token_type: 'Bearer',
        expires_in: outcome.expiresIn,
        scope: outcome.scope,
      }),
      { 'cache-control': 'no-store' },
    );
  };

  const parseLimit = (url: URL): number | AppleError => {
    const raw = url.searchParams.get('limit');
    if (raw === null) return DEFAULT_LIMIT;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= MAX_LIMIT))
      return invalidParameter(
        'limit',
        `'${raw}' is not a valid limit: use an integer from 1 to ${MAX_LIMIT}`,
      );
    return n;
  };

  const parseFields = (url: URL): Set<string> | undefined | AppleError => {
    const raw = url.searchParams.get('fields[orgDevices]');
    if (raw === null) return undefined;
    const names = raw.split(',').map((f) => f.trim());
    const bad = names.find((f) => !ORG_DEVICE_FIELDS.has(f));
    if (bad !== undefined)
      return invalidParameter('fields[orgDevices]', `'${bad}' is not a valid field name`);
    return new Set(names);
  };

  const listDevices = (res: ServerResponse, url: URL): void => {
    const limit = parseLimit(url);
    if (typeof limit !== 'number') return sendError(res, 'orgDevices', limit);
    const fields = parseFields(url);
    if (fields && !(fields instanceof Set)) return sendError(res, 'orgDevices', fields);
    let after = -1;
    const rawCursor = url.searchParams.get('cursor');
    if (rawCursor !== null) {
      const cursor = decodeCursor(rawCursor);
      if (!cursor) return sendError(res, 'orgDevices', invalidParameter('cursor', 'The cursor is not valid'));
      const ttl = faults.get().cursorTtlMs;
      if (ttl !== null && now() - cursor.issuedAt >= ttl) {
        return sendError(
          res,
          'orgDevices',
          invalidParameter('cursor', 'The cursor has expired; start again from the first page'),
        );
      }
      after = cursor.after;
    }
    const page = fleet.page(after, limit);
    const body: SimOrgDevicesBody = {
      data: page.devices.map((d) => orgDevice(d, base, fields, false)),
      links: { self: `${base}${url.pathname}${url.search}` },
      meta: { paging: { limit } },
    };
    if (includeTotal) body.meta.paging.total = fleet.size;
    if (page.more) {
      const nextCursor = encodeCursor({ after: page.last, issuedAt: now() });
      const next = new URLSearchParams({ cursor: nextCursor });
      if (url.searchParams.has('limit')) next.set('limit', String(limit));
      if (fields) next.set('fields[orgDevices]', [...fields].join(','));
      body.links.next = `${base}/v1/orgDevices?${next.toString()}`;
      body.meta.paging.nextCursor = nextCursor;
    }
    faults.get().mutateOrgDevicesPage?.(body);
    send(res, 'orgDevices', 200, appleJson(body));
  };

  const getDevice = (res: ServerResponse, url: URL): void => {
    const fields = parseFields(url);
    if (fields && !(fields instanceof Set)) return sendError(res, 'orgDevice', fields);
    const id = decodeURIComponent(url.pathname.slice('/v1/orgDevices/'.length));
    const device = fleet.get(id);
    if (!device) {
      return sendError(res, 'orgDevice', {
        status: 404,
        code: 'NOT_FOUND',
        title: "The specified resource doesn't exist",
        detail: `There is no resource of type 'orgDevices' with id '${id}'`,
      });
    }
    const data = orgDevice(device, base, fields, true);
    send(res, 'orgDevice', 200, appleJson({ data, links: { self: data.links.self } }));
  };

  const listMdmServers = (res: ServerResponse, url: URL): void => {
    const limit = parseLimit(url);
    if (typeof limit !== 'number') return sendError(res, 'mdmServers', limit);
    const data = mdmServers.slice(0, limit).map((s) => ({
      type: 'mdmServers',
      id: s.id,
      attributes: s.attributes,
      relationships: { devices: { links: { self: `${base}/v1/mdmServers/${s.id}/relationships/devices` } } },
    }));
    send(
      res,
      'mdmServers',
      200,
      appleJson({
        data,
        links: { self: `${base}${url.pathname}${url.search}` },
        meta: { paging: { limit } },
      }),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/_sim/')) return handleAdmin(req, res, url, sim);
    const route = routeOf(url.pathname);
    if (route === 'token') counters.tokenRequests++;
    const wait = faults.latency();
    if (wait > 0) await delay(wait);
    const fault = faults.next(route);
    if (fault) return applyFault(res, route, fault);
    const limited = faults.rateLimit(route);
    if (limited > 0) return throttled(res, route, { 'retry-after': String(Math.ceil(limited / 1000)) });
    if (route === 'token') return handleToken(req, res, url);
    if (route === 'other') {
      return sendError(res, route, {
        status: 404,
        code: 'NOT_FOUND',
        title: "The specified resource doesn't exist",
        detail: `No route for ${url.pathname}`,
      });
    }
    if (req.method !== 'GET') {
      return sendError(res, route, {
        status: 403,
        code: 'FORBIDDEN_ERROR',
        title: 'This request is forbidden for security reasons',
        detail: `The resource does not allow '${req.method ?? ''}'. Allowed operations are: GET_COLLECTION, GET_INSTANCE`,
      });
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = authority.check(bearer);
    if (typeof grant === 'string' || grant.scope !== scope) {
      const why =
        typeof grant === 'string'
          ? `The bearer token is ${grant}`
          : `A ${grant.scope} token is not valid on this host`;
      return sendError(res, route, {
        status: 401,
        code: 'NOT_AUTHORIZED',
        title: 'Authentication credentials are missing or invalid.',
        detail: why,
      });
    }
    if (route === 'orgDevices') return listDevices(res, url);
    if (route === 'orgDevice') return getDevice(res, url);
    return listMdmServers(res, url);
  };

  const server = await startHttpServer(handle, { host: opts.host, port: opts.port });
  base = server.url;

  const sim: AbmSimulator = {
    url: server.url,
    port: server.port,
    apiBaseUrl: server.url,
    tokenUrl: `${server.url}/auth/oauth2/token`,
    credentials,
    fleet,
    faults: { set: (p) => faults.set(p), reset: () => faults.reset(), get: () => faults.get() },
    registerKey: (keyId, key, clientId = credentials.clientId) => authority.registerKey(keyId, key, clientId),
    expireTokens: () => authority.expireAll(),
    issuedTokens: () => [...authority.issued()],
    setIncludeTotal: (on) => {
      includeTotal = on;
    },
    counters: () => structuredClone(counters),
    resetCounters: () => {
      counters = emptyCounters();
    },
    close: () => server.close(),
  };
  return sim;
}

interface SimMdmServer {
  id: string;
  attributes: Record<string, unknown>;
}

function makeMdmServers(seed: number | string): SimMdmServer[] {
  const rng = new Rng(hashSeed('mdmServers', seed));
  const servers: Array<[string, string]> = [
    ['Jamf Pro', 'MDM'],
    ['Microsoft Intune', 'MDM'],
    ['Devices Added by Apple Configurator', 'APPLE_CONFIGURATOR'],
  ];
  return servers.map(([serverName, serverType]) => {
    const created = Date.UTC(2020, 0, 1) + rng.int(0, 1500) * 86_400_000;
    return {
      id: rng.hex(32),
      attributes: {
        serverName,
        serverType,
        createdDateTime: new Date(created).toISOString(),
        updatedDateTime: new Date(created + rng.int(0, 300) * 86_400_000).toISOString(),
      },
    };
  });
}
