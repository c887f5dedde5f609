/**
 * The one vocabulary for API failures. Every client error is classified once, here, into a kind
 * the activities map onto Temporal retry behaviour (see src/activities/failures.ts).
 */
export type FailureKind = 'throttled' | 'transient' | 'auth' | 'cursor_expired' | 'fatal';

export interface ApiErrorDetails {
  kind: FailureKind;
  service: string;
  method: string;
  /** Path without the query string: queries may hold cursors but never secrets; we keep them out anyway. */
  path: string;
  /** Scheme, host and port: named when no answer came, since then the address itself is suspect. */
  origin?: string;
  status?: number;
  /** The API's own error code (Apple's `errors[].code`, OAuth's `error`, Asset Panda's `errors[].code`). */
  code?: string;
  title?: string;
  requestId?: string;
  /** For `throttled`: how long the server asked us to wait. */
  retryAfterMs?: number;
  /** A sentence telling the user what to check; appended to the message. */
  hint?: string;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly kind: FailureKind;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly hint?: string;

  constructor(d: ApiErrorDetails, message?: string) {
    super(message ?? describe(d), d.cause === undefined ? undefined : { cause: d.cause });
    this.name = 'ApiError';
    this.kind = d.kind;
    this.service = d.service;
    this.method = d.method;
    this.path = d.path;
    this.status = d.status;
    this.code = d.code;
    this.title = d.title;
    this.requestId = d.requestId;
    this.retryAfterMs = d.retryAfterMs;
    this.hint = d.hint;
  }
}

function describe(d: ApiErrorDetails): string {
  const parts = [`${d.service} ${d.method} ${d.origin ?? ''}${d.path}`];
  parts.push(d.status === undefined ? 'failed' : `answered ${d.status}`);
  const what = [d.code, d.title].filter(Boolean).join(': ');
  let msg = `${parts.join(' ')}${what ? ` (${what})` : ''}`;
  if (d.retryAfterMs !== undefined) msg += `; retry after ${Math.ceil(d.retryAfterMs / 1000)} s`;
  if (d.requestId) msg += ` [request ${d.requestId}]`;
  if (d.hint) msg += `. ${d.hint}`;
  return msg;
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** The same failure with some details changed (a different kind, a hint for the user). */
export function refineApiError(err: ApiError, patch: Partial<ApiErrorDetails>): ApiError {
  return new ApiError({
    kind: err.kind,
    service: err.service,
    method: err.method,
    path: err.path,
    status: err.status,
    code: err.code,
    title: err.title,
    requestId: err.requestId,
    retryAfterMs: err.retryAfterMs,
    hint: err.hint,
    ...patch,
  });
}
