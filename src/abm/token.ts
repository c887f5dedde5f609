import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { isApiError, type ApiError, type FailedResponse, type FailureKind, type HttpClient } from '../http';
import { createClientAssertion } from './assertion';
import { refineApiError } from '../http';
import { HINTS } from './errors';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'expected a Bearer token'),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
});

/** Apple documents five minutes of head room before a token's hour runs out (spec 1.4). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenManagerOptions {
  http: HttpClient;
  /** Path of the token endpoint on `http`'s origin. */
  path: string;
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  scope: string;
  sendKid?: boolean;
  /** Drives the cache only (when to refresh); injectable so tests can move time. */
  clock: () => number;
}

export interface AccessToken {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * One cached token per credential, one refresh in flight however many callers wait.
 * The token endpoint throttles too (spec 5.2), so minting per request or per page is not an option.
 */
export class TokenManager {
  private cached: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;

  constructor(private readonly o: TokenManagerOptions) {}

  async get(): Promise<AccessToken> {
    const c = this.cached;
    if (c && this.o.clock() < c.refreshAt) return c;
    this.inflight ??= this.mint().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * Drops the token a request was refused with. Comparing by value keeps concurrent 401s from
   * throwing away a token someone else has already replaced.
   */
  invalidate(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }

  private async mint(): Promise<AccessToken> {
    const sentAt = this.o.clock();
    const assertion = await createClientAssertion({
      clientId: this.o.clientId,
      keyId: this.o.keyId,
      privateKey: this.o.privateKey,
      sendKid: this.o.sendKid,
      // Apple checks iat/exp against real time, so the assertion never follows an injected clock.
    });
    let res: z.infer<typeof tokenResponseSchema>;
    try {
      res = await this.o.http.request(
        {
          method: 'POST',
          path: this.o.path,
          form: {
            grant_type: 'client_credentials',
            client_id: this.o.clientId,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
            scope: this.o.scope,
          },
          schema: tokenResponseSchema,
        },
        classifyTokenFailure,
      );
    } catch (err) {
      throw isApiError(err) ? withTokenHint(err) : err;
    }
    // Measured from before the request left, so the cache never outlives the real token.
    const lifetimeMs = res.expires_in * 1000;
    const expiresAt = sentAt + lifetimeMs;
    // Five minutes of margin on Apple's hour; tokens shorter than ten minutes (simulators, tests)
    // would otherwise be stale on arrival, so they are refreshed at half their life instead.
    const refreshAt = expiresAt - Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { value: res.access_token, expiresAt, refreshAt };
    return this.cached;
  }
}

/** A refused credential is not going to start working on a retry; 429 and 5xx are. */
function classifyTokenFailure(f: FailedResponse): FailureKind | undefined {
  if (f.status === 429) return 'throttled';
  if (f.status >= 400 && f.status < 500) return 'fatal';
  return undefined;
}

function withTokenHint(err: ApiError): ApiError {
  if (err.kind !== 'fatal' || err.status === undefined) return err;
  const hint =
    err.code === 'invalid_client'
      ? HINTS.invalidClient
      : err.code === 'invalid_scope'
        ? HINTS.invalidScope
        : err.code === 'INVALID_RESPONSE'
          ? undefined
          : HINTS.tokenRejected;
  return hint ? refineApiError(err, { hint }) : err;
}
