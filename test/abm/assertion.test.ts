import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createPublicKey } from 'node:crypto';
import { ABM_ASSERTION_AUDIENCE, createClientAssertion, loadPrivateKey } from '../../src/abm';
import { generateCredentials } from '../../src/sim/abm';

describe('ABM client assertion', () => {
  const { credentials } = generateCredentials({});
  const privateKey = loadPrivateKey(credentials.privateKeyPem, 'test');
  const now = Date.parse('2026-12-04T10:00:00Z');

  it('is ES256 with the Key ID as kid', async () => {
    const jwt = await createClientAssertion({
      clientId: credentials.clientId,
      keyId: credentials.keyId,
      privateKey,
      now,
    });
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'ES256', kid: credentials.keyId });
  });

  it('leaves kid out only when asked to', async () => {
    const jwt = await createClientAssertion({
      clientId: 'BUSINESSAPI.x',
      keyId: 'k',
      privateKey,
      now,
      sendKid: false,
    });
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'ES256' });
  });

  it('has iss = sub = Client ID, the v2 audience, a back-dated iat and a short exp', async () => {
    const jwt = await createClientAssertion({
      clientId: credentials.clientId,
      keyId: credentials.keyId,
      privateKey,
      now,
    });
    const claims = decodeJwt(jwt);
    assert.equal(claims.iss, credentials.clientId);
    assert.equal(claims.sub, credentials.clientId);
    assert.equal(claims.aud, 'https://account.apple.com/auth/oauth2/v2/token');
    assert.equal(ABM_ASSERTION_AUDIENCE, claims.aud);
    assert.equal(claims.iat, now / 1000 - 60);
    assert.equal(claims.exp, (claims.iat ?? 0) + 15 * 60);
  });

  it('gets a fresh random jti every time', async () => {
    const o = { clientId: credentials.clientId, keyId: credentials.keyId, privateKey, now };
    const [a, b] = await Promise.all([createClientAssertion(o), createClientAssertion(o)]);
    assert.match(String(decodeJwt(a).jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(decodeJwt(a).jti, decodeJwt(b).jti);
  });

  it('verifies with the public half of the key', async () => {
    const jwt = await createClientAssertion({
      clientId: credentials.clientId,
      keyId: credentials.keyId,
      privateKey,
    });
    const { payload } = await jwtVerify(jwt, createPublicKey(privateKey), {
      audience: ABM_ASSERTION_AUDIENCE,
    });
    assert.equal(payload.sub, credentials.clientId);
  });
});
