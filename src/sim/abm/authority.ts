import { randomBytes, type KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';

export const SIM_ASSERTION_AUDIENCE = 'https://account.apple.com/auth/oauth2/v2/token';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_ASSERTION_LIFETIME_SEC = 180 * 86_400;

/** Why a token request was refused; sent in the `x-sim-rejection` header so tests can tell causes apart. */
export type RejectionReason =
  | 'unsupported_grant_type'
  | 'wrong_assertion_type'
  | 'missing_assertion'
  | 'malformed_assertion'
  | 'wrong_alg'
  | 'missing_kid'
  | 'unknown_kid'
  | 'kid_of_other_client'
  | 'bad_signature'
  | 'missing_claims'
  | 'client_id_mismatch'
  | 'wrong_aud'
  | 'iat_in_future'
  | 'expired'
  | 'exp_too_far'
  | 'jti_replayed'
  | 'unknown_client'
  | 'wrong_scope';

export type TokenOutcome =
  | { ok: true; accessToken: string; expiresIn: number; scope: string }
  | {
      ok: false;
      error: 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';
      reason: RejectionReason;
    };

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  iat: z.number(),
  exp: z.number(),
  jti: z.string().min(1),
});

interface RegisteredKey {
  publicKey: KeyObject;
  clientId: string;
}

interface IssuedToken {
  clientId: string;
  scope: string;
  expiresAt: number;
}

export interface AuthorityOptions {
  tokenLifetimeSec: number;
  acceptMissingKid: boolean;
  clockSkewSec: number;
  checkJtiReplay: boolean;
  now: () => number;
}

/**
 * Apple's account.apple.com as spec section 7 describes it: checks every claim and the signature
 * of the client assertion, and issues opaque bearer tokens the resource API then accepts.
 */
export class TokenAuthority {
  private readonly keys = new Map<string, RegisteredKey>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly jtis = new Map<string, number>();
  /** Every token ever issued, kept so tests can prove none leaks into history or logs. */
  private readonly issuedSoFar: string[] = [];

  constructor(private readonly o: AuthorityOptions) {}

  issued(): readonly string[] {
    return this.issuedSoFar;
  }

  registerKey(keyId: string, publicKey: KeyObject, clientId: string): void {
    this.keys.set(keyId, { publicKey, clientId });
  }

  /** Every token issued so far stops working (as if Apple rotated or revoked them). */
  expireAll(): void {
    this.tokens.clear();
  }

  /** The bearer token's grant, or why it is refused. */
  check(token: string | undefined): IssuedToken | 'missing' | 'unknown' | 'expired' {
    if (!token) return 'missing';
    const t = this.tokens.get(token);
    if (!t) return 'unknown';
    if (this.o.now() >= t.expiresAt) {
      this.tokens.delete(token);
      return 'expired';
    }
    return t;
  }

  async issue(params: URLSearchParams): Promise<TokenOutcome> {
    const fail = (
      reason: RejectionReason,
      error: 'invalid_client' | 'invalid_scope' = 'invalid_client',
    ): TokenOutcome => ({
      ok: false,
      error,
      reason,
    });
    if (params.get('grant_type') !== 'client_credentials') {
      return { ok: false, error: 'unsupported_grant_type', reason: 'unsupported_grant_type' };
    }
    if (params.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return fail('wrong_assertion_type');
    const assertion = params.get('client_assertion');
    const clientId = params.get('client_id') ?? '';
    if (!assertion) return fail('missing_assertion');

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return fail('malformed_assertion');
    }
    if (header.alg !== 'ES256') return fail('wrong_alg');
    const candidates = this.keysFor(header.kid, clientId);
    if (typeof candidates === 'string') return fail(candidates);

    let payload: Uint8Array | undefined;
    for (const key of candidates) {
      try {
        payload = (await compactVerify(assertion, key.publicKey, { algorithms: ['ES256'] })).payload;
        break;
      } catch {
        // try the next key of this client (kid-less mode), else the signature is bad
      }
    }
    if (!payload) return fail('bad_signature');

    let claims: z.infer<typeof claimsSchema>;
    try {
      const parsed = claimsSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
      if (!parsed.success) return fail('missing_claims');
      claims = parsed.data;
    } catch {
      return fail('malformed_assertion');
    }
    if (claims.sub !== clientId || claims.iss !== clientId) return fail('client_id_mismatch');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (aud.length !== 1 || aud[0] !== SIM_ASSERTION_AUDIENCE) return fail('wrong_aud');
    const now = Math.floor(this.o.now() / 1000);
    if (claims.iat > now + this.o.clockSkewSec) return fail('iat_in_future');
    if (claims.exp <= now) return fail('expired');
    // Apple's bound is "less than 180 days after iat": exactly 180 days already fails.
    if (claims.exp >= claims.iat + MAX_ASSERTION_LIFETIME_SEC) return fail('exp_too_far');
    if (this.o.checkJtiReplay) {
      this.forgetOldJtis(now);
      if (this.jtis.has(claims.jti)) return fail('jti_replayed');
      this.jtis.set(claims.jti, claims.exp);
    }

    const scope = params.get('scope') ?? '';
    const expected = clientId.startsWith('BUSINESSAPI.') ? 'business.api' : 'school.api';
    if (scope !== expected) return fail('wrong_scope', 'invalid_scope');

    const accessToken = randomBytes(32).toString('base64url');
    this.issuedSoFar.push(accessToken);
    this.tokens.set(accessToken, {
      clientId,
      scope,
      expiresAt: this.o.now() + this.o.tokenLifetimeSec * 1000,
    });
    return { ok: true, accessToken, expiresIn: this.o.tokenLifetimeSec, scope };
  }

  private keysFor(kid: string | undefined, clientId: string): RegisteredKey[] | RejectionReason {
    if (!clientId.startsWith('BUSINESSAPI.') && !clientId.startsWith('SCHOOLAPI.')) return 'unknown_client';
    if (kid === undefined) {
      if (!this.o.acceptMissingKid) return 'missing_kid';
      const own = [...this.keys.values()].filter((k) => k.clientId === clientId);
      return own.length > 0 ? own : 'unknown_client';
    }
    const key = this.keys.get(kid);
    if (!key) return 'unknown_kid';
    if (key.clientId !== clientId) return 'kid_of_other_client';
    return [key];
  }

  /** A replayed jti only matters while its assertion is still valid. */
  private forgetOldJtis(now: number): void {
    if (this.jtis.size < 10_000) return;
    for (const [jti, exp] of this.jtis) if (exp <= now) this.jtis.delete(jti);
  }
}
