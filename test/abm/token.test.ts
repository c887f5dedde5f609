import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { AbmClient, loadPrivateKey } from '../../src/abm';
import { generateCredentials } from '../../src/sim/abm';
import { rejectsWith, startRig, type SimRig } from './support';

describe('ABM client: tokens against the simulator', () => {
  let rig: SimRig;

  beforeEach(async () => {
    rig = await startRig({ devices: 100 });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('spends one token request on many pages', async () => {
    const client = rig.client();
    let pages = 0;
    for await (const _ of client.pages({ limit: 10 })) pages++;
    assert.equal(pages, 10);
    assert.equal(rig.sim.counters().tokenRequests, 1);
    assert.equal(rig.sim.counters().requests.orgDevices['200'], 10);
  });

  it('spends exactly one more token request after the tokens are expired, and the call succeeds', async () => {
    const client = rig.client();
    const first = await client.listDevices({ limit: 10 });
    rig.sim.expireTokens();
    const second = await client.listDevices({ limit: 10, cursor: first.nextCursor });
    await client.listDevices({ limit: 10, cursor: second.nextCursor });
    assert.equal(second.devices.length, 10);
    const c = rig.sim.counters();
    assert.equal(c.tokenRequests, 2);
    assert.equal(c.requests.orgDevices['401'], 1);
  });

  it('re-mints once for several callers refused at the same time', async () => {
    const client = rig.client();
    await client.ensureToken();
    rig.sim.expireTokens();
    await Promise.all(Array.from({ length: 6 }, () => client.listDevices({ limit: 5 })));
    assert.equal(rig.sim.counters().tokenRequests, 2);
  });

  it('shares one token request among concurrent first callers', async () => {
    const client = rig.client();
    await Promise.all(Array.from({ length: 8 }, () => client.listDevices({ limit: 5 })));
    assert.equal(rig.sim.counters().tokenRequests, 1);
  });

  it('reports when the token expires', async () => {
    const before = Date.now();
    const { expiresAt } = await rig.client().ensureToken();
    assert.ok(expiresAt.getTime() >= before + 3600_000 && expiresAt.getTime() <= Date.now() + 3600_000);
  });

  it('refreshes an hour-long token five minutes before it expires, not earlier', async () => {
    let now = Date.now();
    const client = rig.client({ clock: () => now });
    await client.ensureToken();
    now += 54 * 60_000;
    await client.listDevices({ limit: 1 });
    assert.equal(rig.sim.counters().tokenRequests, 1);
    now += 2 * 60_000;
    await client.listDevices({ limit: 1 });
    assert.equal(rig.sim.counters().tokenRequests, 2);
  });

  it('refreshes a short-lived token at half its lifetime', async () => {
    const short = await startRig({ devices: 10, tokenLifetimeSec: 4 });
    try {
      let now = Date.now();
      const client = short.client({ clock: () => now });
      await client.ensureToken();
      now += 1500;
      await client.listDevices({ limit: 1 });
      assert.equal(short.sim.counters().tokenRequests, 1);
      now += 1000;
      await client.listDevices({ limit: 1 });
      assert.equal(short.sim.counters().tokenRequests, 2);
    } finally {
      await short.close();
    }
  });

  it('fails fatally after one re-mint when even a fresh token is refused', async () => {
    // A school account's token on the business host: minted fine, refused by every resource request.
    const school = generateCredentials({ school: true });
    const key = loadPrivateKey(school.credentials.privateKeyPem, 'school key');
    rig.sim.registerKey(school.credentials.keyId, school.publicKey, school.credentials.clientId);
    const client = new AbmClient({
      clientId: school.credentials.clientId,
      keyId: school.credentials.keyId,
      privateKey: key,
      apiBaseUrl: rig.sim.apiBaseUrl,
      tokenUrl: rig.sim.tokenUrl,
    });
    try {
      const err = await rejectsWith(client.listDevices(), 'fatal');
      assert.equal(err.status, 401);
      assert.match(err.message, /API host matches the Client ID/);
      assert.equal(rig.sim.counters().tokenRequests, 2);
      assert.equal(rig.sim.counters().requests.orgDevices['401'], 2);
    } finally {
      await client.close();
    }
  });

  it('turns invalid_client into a fatal error that says what to check and leaks no assertion', async () => {
    const wrongKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const client = rig.client({ privateKey: wrongKey });
    const err = await rejectsWith(client.ensureToken(), 'fatal');
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_client');
    assert.equal(err.service, 'ABM token');
    for (const what of ['Client ID', 'Key ID', 'private key file'])
      assert.ok(err.message.includes(what), err.message);
    assert.doesNotMatch(err.message, /eyJ/, 'a JWT (assertion) appears in the message');
    assert.doesNotMatch(JSON.stringify(err), /eyJ/);
  });

  it('does not retry a refused credential by itself', async () => {
    const client = rig.client({ keyId: 'not-the-key-id' });
    await rejectsWith(client.listDevices(), 'fatal');
    assert.equal(rig.sim.counters().tokenRequests, 1);
  });

  it('reports a 429 from the token endpoint as throttling with its Retry-After', async () => {
    rig.sim.faults.set({ throttle: { count: 1, routes: ['token'], retryAfterSec: 9 } });
    const client = rig.client();
    const err = await rejectsWith(client.listDevices(), 'throttled');
    assert.equal(err.retryAfterMs, 9000);
    assert.equal(err.service, 'ABM token');
    const page = await client.listDevices({ limit: 1 });
    assert.equal(page.devices.length, 1);
  });

  it('throttles token churn with the simulator token rate limit', async () => {
    rig.sim.faults.set({ tokenRateLimitPerMinute: 2 });
    await rig.client().ensureToken();
    await rig.client().ensureToken();
    const err = await rejectsWith(rig.client().ensureToken(), 'throttled');
    assert.ok((err.retryAfterMs ?? 0) > 0 && (err.retryAfterMs ?? 0) <= 30_000);
  });

  it('works without kid against a simulator that accepts it, and is refused by default', async () => {
    await rejectsWith(rig.client({ sendKid: false }).ensureToken(), 'fatal');
    const lenient = await startRig({ devices: 5, acceptMissingKid: true });
    try {
      const page = await lenient.client({ sendKid: false }).listDevices();
      assert.equal(page.devices.length, 5);
    } finally {
      await lenient.close();
    }
  });

  it('uses the school scope for a SCHOOLAPI Client ID', async () => {
    const school = await startRig({ devices: 3, school: true });
    try {
      assert.match(school.sim.credentials.clientId, /^SCHOOLAPI\./);
      const page = await school.client().listDevices();
      assert.equal(page.devices.length, 3);
    } finally {
      await school.close();
    }
  });
});
