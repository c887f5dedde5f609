import { Agent, errors as undiciErrors, request } from 'undici';
import type { z } from 'zod';
import { ApiError, type FailureKind } from './errors';
import { parseRetryAfter } from './retry-after';
import { validationMessage } from './validation';

export interface HttpClientOptions {
  /** Origin and optional base path, e.g. `https://api-business.apple.com`. */
  baseUrl: string;
  /** Name used in error messages: `ABM`, `ABM token`, `Asset Panda`. */
  service: string;
  headers?: Record<string, string>;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Wait applied to a 429 that carries no readable Retry-After. */
  defaultRetryAfterMs?: number;
  /** Told to the user when a request answers 403. */
  forbiddenHint?: string;
  /** Shared agent (one keep-alive pool per origin); created when absent. */
  agent?: Agent;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  schema: z.ZodType<T>;
}

/** What a failed response looked like, for service-specific refinements. */
export interface FailedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

interface ParsedErrorBody {
  code?: string;
  title?: string;
  parameter?: string;
}

/** Apple (`errors[]` JSON:API), OAuth (`error`) and Asset Panda (`errors[]` with `message`) shapes. */
function parseErrorBody(body: unknown): ParsedErrorBody {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length > 0 && typeof b.errors[0] === 'object' && b.errors[0]) {
    const e = b.errors[0] as Record<string, unknown>;
    const source = (e.source ?? {}) as Record<string, unknown>;
    return {
      code: typeof e.code === 'string' ? e.code : undefined,
      title: typeof e.title === 'string' ? e.title : typeof e.message === 'string' ? e.message : undefined,
      parameter: typeof source.parameter === 'string' ? source.parameter : undefined,
    };
  }
  if (typeof b.error === 'string') {
    return {
      code: b.error,
      title: typeof b.error_description === 'string' ? b.error_description : undefined,
    };
  }
  return {};
}

function header(headers: FailedResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Sends JSON requests with undici and classifies every failure once into an ApiError.
 * Never puts header values (tokens, API secrets) into errors.
 */
export class HttpClient {
  readonly baseUrl: URL;
  private readonly agent: Agent;
  private readonly ownsAgent: boolean;

  constructor(private readonly opts: HttpClientOptions) {
    this.baseUrl = new URL(opts.baseUrl);
    this.ownsAgent = !opts.agent;
    this.agent =
      opts.agent ??
      new Agent({
        connect: { timeout: opts.connectTimeoutMs ?? 10_000 },
        headersTimeout: opts.headersTimeoutMs ?? 60_000,
        bodyTimeout: opts.bodyTimeoutMs ?? 60_000,
        keepAliveTimeout: 30_000,
      });
  }

  /** Builds the absolute URL for a path relative to the base URL (keeping any base path). */
  url(path: string, query?: Query): URL {
    const base = this.baseUrl.href.endsWith('/') ? this.baseUrl.href : `${this.baseUrl.href}/`;
    const url = new URL(path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async request<T>(
    o: RequestOptions<T>,
    refine?: (f: FailedResponse, d: ParsedErrorBody) => FailureKind | undefined,
  ): Promise<T> {
    const url = this.url(o.path, o.query);
    const ctx = { service: this.opts.service, method: o.method, path: url.pathname };
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.opts.headers,
      ...o.headers,
    };
    let body: string | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    }

    let res: Awaited<ReturnType<typeof request>>;
    let text: string;
    try {
      res = await request(url, { method: o.method, headers, body, dispatcher: this.agent });
      text = await res.body.text();
    } catch (err) {
      throw this.networkError(err, { ...ctx, origin: url.origin });
    }

    let parsed: unknown = undefined;
    let jsonOk = false;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
        jsonOk = true;
      } catch {
        // non-JSON bodies (HTML error pages) are tolerated on errors, refused on success below
      }
    }

    if (res.statusCode >= 200 && res.statusCode < 300) {
      if (!jsonOk && text.length > 0) {
        throw new ApiError({
          ...ctx,
          kind: 'transient',
          status: res.statusCode,
          title: 'response is not JSON',
        });
      }
      const result = o.schema.safeParse(parsed);
      if (!result.success) {
        throw new ApiError(
          { ...ctx, kind: 'fatal', status: res.statusCode, code: 'INVALID_RESPONSE' },
          `${ctx.service} ${ctx.method} ${ctx.path} answered with an unexpected body: ${validationMessage(result.error)}`,
        );
      }
      return result.data;
    }

    const failed: FailedResponse = { status: res.statusCode, headers: res.headers, body: parsed, text };
    const details = parseErrorBody(parsed);
    const requestId = header(res.headers, 'x-apple-request-uuid') ?? header(res.headers, 'x-request-id');
    const kind = refine?.(failed, details) ?? this.defaultKind(res.statusCode, details);
    const retryAfterMs =
      kind === 'throttled'
        ? (parseRetryAfter(header(res.headers, 'retry-after')) ?? this.opts.defaultRetryAfterMs ?? 30_000)
        : undefined;
    throw new ApiError({
      ...ctx,
      kind,
      status: res.statusCode,
      code: details.code,
      title: details.title,
      requestId,
      retryAfterMs,
      hint: res.statusCode === 403 ? this.opts.forbiddenHint : undefined,
    });
  }

  private defaultKind(status: number, d: ParsedErrorBody): FailureKind {
    if (status === 429) return 'throttled';
    if (status === 401) return 'auth';
    if (status === 400 && d.parameter === 'cursor') return 'cursor_expired';
    if (status === 408 || status >= 500) return 'transient';
    return 'fatal';
  }

  private networkError(
    err: unknown,
    ctx: { service: string; method: string; path: string; origin: string },
  ): ApiError {
    const code = (err as { code?: string } | undefined)?.code;
    const transient =
      (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) ||
      err instanceof undiciErrors.SocketError ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError;
    const reason = code ?? (err instanceof Error ? err.name : 'network error');
    return new ApiError({
      ...ctx,
      kind: transient ? 'transient' : 'fatal',
      code: reason,
      title: 'no HTTP answer',
      cause: undefined,
    });
  }

  async close(): Promise<void> {
    if (this.ownsAgent) await this.agent.close();
  }
}
