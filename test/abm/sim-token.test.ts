import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { loadPrivateKey } from '../../src/abm';
import { startAbmSimulator, type AbmSimOptions, type AbmSimulator } from '../../src/sim/abm';

const AUD = 'https://account.apple.com/auth/oauth2/v2/token';
const DAY = 86_400;

interface Attempt {
  claims?: JWTPayload;
  header?: { alg?: string; kid?: string | null };
  key?: KeyObject;
  clientId?: string;
  scope?: string;
  params?: Record<string, string>;
  inQuery?: boolean;
  path?: string;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  rejection: string | null;
}

describe('ABM simulator: token endpoint checks', () => {
  let sim: AbmSimulator;
  let key: KeyObject;

  const start = async (o: AbmSimOptions = {}): Promise<void> => {
    sim = await startAbmSimulator({ devices: 1, ...o });
    key = loadPrivateKey(sim.credentials.privateKeyPem, 'sim');
  };
  afterEach(async () => {
    await sim.close();
  });

  /** Signs an assertion (valid unless told otherwise) with jose and posts it to the simulator. */
  async function ask(a: Attempt = {}): Promise<Answer> {
    const clientId = a.clientId ?? sim.credentials.clientId;
    const now = Math.floor(Date.now() / 1000);
    const header: { alg: string; kid?: string } = { alg: a.header?.alg ?? 'ES256' };
    if (a.header?.kid !== null) header.kid = a.header?.kid ?? sim.credentials.keyId;
    const claims: JWTPayload = {
      iss: clientId,
      sub: clientId,
      aud: AUD,
      iat: now - 60,
      exp: now + 600,
      jti: randomUUID(),
      ...a.claims,
    };
    const assertion = await new SignJWT(claims).setProtectedHeader(header).sign(a.key ?? key);
    const params = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: a.scope ?? (clientId.startsWith('SCHOOLAPI.') ? 'school.api' : 'business.api'),
      ...a.params,
    });
    const path = a.path ?? '/auth/oauth2/token';
    const res = a.inQuery
      ? await fetch(`${sim.url}${path}?${params.toString()}`, { method: 'POST' })
      : await fetch(`${sim.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: params.toString(),
        });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      rejection: res.headers.get('x-sim-rejection'),
    };
  }

  function refused(answer: Answer, error: string, reason: string): void {
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, { error });
    assert.equal(answer.rejection, reason);
  }

  describe('with default options', () => {
    beforeEach(() => start());

    it('issues a Bearer token for a valid assertion in a form body', async () => {
      const a = await ask();
      assert.equal(a.status, 200);
      assert.equal(a.body.token_type, 'Bearer');
      assert.equal(a.body.expires_in, 3600);
      assert.equal(a.body.scope, 'business.api');
      assert.equal(typeof a.body.access_token, 'string');
    });

    it('accepts the parameters in the query string, as in Apple’s curl example', async () => {
      assert.equal((await ask({ inQuery: true })).status, 200);
    });

    it('answers on the /v2/token alias too', async () => {
      assert.equal((await ask({ path: '/auth/oauth2/v2/token' })).status, 200);
    });

    it('refuses the App Store Connect audience', async () => {
      refused(await ask({ claims: { aud: 'appstoreconnect-v1' } }), 'invalid_client', 'wrong_aud');
    });

    it('refuses the token URL without /v2/ as audience', async () => {
      refused(
        await ask({ claims: { aud: 'https://account.apple.com/auth/oauth2/token' } }),
        'invalid_client',
        'wrong_aud',
      );
    });

    it('refuses an expired assertion', async () => {
      const now = Math.floor(Date.now() / 1000);
      refused(await ask({ claims: { iat: now - 3600, exp: now - 10 } }), 'invalid_client', 'expired');
    });

    it('refuses an exp exactly 180 days after iat', async () => {
      const now = Math.floor(Date.now() / 1000);
      refused(await ask({ claims: { iat: now, exp: now + 180 * DAY } }), 'invalid_client', 'exp_too_far');
    });

    it('accepts an exp 179 days after iat', async () => {
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await ask({ claims: { iat: now, exp: now + 179 * DAY } })).status, 200);
    });

    it('refuses an iat beyond the clock skew', async () => {
      const now = Math.floor(Date.now() / 1000);
      refused(await ask({ claims: { iat: now + 300, exp: now + 900 } }), 'invalid_client', 'iat_in_future');
    });

    it('refuses an unknown kid', async () => {
      refused(await ask({ header: { kid: randomUUID() } }), 'invalid_client', 'unknown_kid');
    });

    it('refuses an assertion signed with the wrong key', async () => {
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      refused(await ask({ key: other }), 'invalid_client', 'bad_signature');
    });

    it('checks the signature against a key registered later', async () => {
      const extra = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const kid = randomUUID();
      refused(await ask({ key: extra.privateKey, header: { kid } }), 'invalid_client', 'unknown_kid');
      sim.registerKey(kid, extra.publicKey);
      assert.equal((await ask({ key: extra.privateKey, header: { kid } })).status, 200);
    });

    it('refuses an assertion without kid', async () => {
      refused(await ask({ header: { kid: null } }), 'invalid_client', 'missing_kid');
    });

    it('refuses an algorithm other than ES256', async () => {
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
      refused(await ask({ key: p384, header: { alg: 'ES384' } }), 'invalid_client', 'wrong_alg');
    });

    it('refuses a sub that is not the client_id', async () => {
      refused(
        await ask({ claims: { sub: 'BUSINESSAPI.someone-else' } }),
        'invalid_client',
        'client_id_mismatch',
      );
    });

    it('refuses an iss that is not the client_id', async () => {
      refused(await ask({ claims: { iss: 'TEAMID1234' } }), 'invalid_client', 'client_id_mismatch');
    });

    it('refuses a replayed jti', async () => {
      const jti = randomUUID();
      assert.equal((await ask({ claims: { jti } })).status, 200);
      refused(await ask({ claims: { jti } }), 'invalid_client', 'jti_replayed');
    });

    it('refuses the school scope for a BUSINESSAPI Client ID', async () => {
      refused(await ask({ scope: 'school.api' }), 'invalid_scope', 'wrong_scope');
    });

    it('refuses a grant type other than client_credentials', async () => {
      const a = await ask({ params: { grant_type: 'authorization_code' } });
      assert.equal(a.status, 400);
      assert.equal(a.body.error, 'unsupported_grant_type');
    });

    it('refuses a wrong client_assertion_type', async () => {
      refused(
        await ask({ params: { client_assertion_type: 'jwt' } }),
        'invalid_client',
        'wrong_assertion_type',
      );
    });

    it('answers 429 once its own rate limit is spent', async () => {
      sim.faults.set({ tokenRateLimitPerMinute: 1 });
      assert.equal((await ask()).status, 200);
      const res = await fetch(`${sim.url}/auth/oauth2/token`, { method: 'POST' });
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.equal(sim.counters().tokenRequests, 2);
    });
  });

  describe('as Apple School Manager', () => {
    beforeEach(() => start({ school: true }));

    it('issues school.api tokens to its SCHOOLAPI Client ID', async () => {
      assert.match(sim.credentials.clientId, /^SCHOOLAPI\./);
      const a = await ask();
      assert.equal(a.status, 200);
      assert.equal(a.body.scope, 'school.api');
    });

    it('refuses the business scope with a SCHOOLAPI Client ID', async () => {
      refused(await ask({ scope: 'business.api' }), 'invalid_scope', 'wrong_scope');
    });
  });

  describe('with acceptMissingKid', () => {
    beforeEach(() => start({ acceptMissingKid: true }));

    it('accepts an assertion without kid signed by the account’s key', async () => {
      assert.equal((await ask({ header: { kid: null } })).status, 200);
    });

    it('still refuses one without kid signed by another key', async () => {
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      refused(await ask({ header: { kid: null }, key: other }), 'invalid_client', 'bad_signature');
    });
  });

  describe('with a short token lifetime', () => {
    beforeEach(() => start({ tokenLifetimeSec: 2 }));

    it('announces the configured lifetime', async () => {
      assert.equal((await ask()).body.expires_in, 2);
    });
  });
});
