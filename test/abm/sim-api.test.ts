import assert from 'node:assert/strict';
import { orgDevicesResponseSchema } from '../../src/abm/pages';
import { startAbmSimulator, type AbmSimulator } from '../../src/sim/abm';
import { simToken } from './support';

interface RawPage {
  data: Array<{ id: string; attributes: Record<string, unknown>; relationships?: Record<string, unknown> }>;
  links: { self: string; next?: string };
  meta: { paging: { limit: number; nextCursor?: string; total?: number } };
}

describe('ABM simulator: resource API', () => {
  let sim: AbmSimulator;
  let token: string;

  beforeEach(async () => {
    sim = await startAbmSimulator({ devices: 150, seed: 'api' });
    token = await simToken(sim);
  });
  afterEach(async () => {
    await sim.close();
  });

  const get = (path: string, bearer: string | null = token): Promise<Response> =>
    fetch(`${sim.url}${path}`, { headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } });

  async function errorOf(
    res: Response,
  ): Promise<{ code: string; status: string; source?: { parameter?: string } }> {
    const body = (await res.json()) as {
      errors: Array<{ code: string; status: string; source?: { parameter?: string } }>;
    };
    assert.equal(body.errors.length, 1);
    return body.errors[0];
  }

  it('answers 401 with an ErrorResponse without a bearer token', async () => {
    const res = await get('/v1/orgDevices', null);
    assert.equal(res.status, 401);
    assert.equal((await errorOf(res)).code, 'NOT_AUTHORIZED');
  });

  it('answers 401 to an unknown token and to a token expired by expireTokens()', async () => {
    assert.equal((await get('/v1/orgDevices', 'made-up')).status, 401);
    assert.equal((await get('/v1/orgDevices')).status, 200);
    sim.expireTokens();
    assert.equal((await get('/v1/orgDevices')).status, 401);
  });

  it('pages 100 devices by default and says so in meta.paging.limit', async () => {
    const body = (await (await get('/v1/orgDevices')).json()) as RawPage;
    assert.equal(body.data.length, 100);
    assert.equal(body.meta.paging.limit, 100);
  });

  it('refuses a limit above 1000 or below 1, naming the limit parameter', async () => {
    for (const limit of ['1001', '0', 'ten']) {
      const res = await get(`/v1/orgDevices?limit=${limit}`);
      assert.equal(res.status, 400);
      const e = await errorOf(res);
      assert.equal(e.code, 'PARAMETER_ERROR.INVALID');
      assert.equal(e.source?.parameter, 'limit');
    }
    assert.equal((await get('/v1/orgDevices?limit=1000')).status, 200);
  });

  it('refuses an unknown fields[orgDevices] value', async () => {
    const res = await get('/v1/orgDevices?fields[orgDevices]=serialNumber,shoeSize');
    assert.equal(res.status, 400);
    assert.equal((await errorOf(res)).code, 'PARAMETER_ERROR.INVALID');
  });

  it('sends only the requested fields, relationships included', async () => {
    const body = (await (
      await get('/v1/orgDevices?fields[orgDevices]=serialNumber,status,assignedServer&limit=5')
    ).json()) as RawPage;
    for (const d of body.data) {
      assert.deepEqual(Object.keys(d.attributes), ['serialNumber', 'status']);
      assert.deepEqual(Object.keys(d.relationships ?? {}), ['assignedServer']);
    }
  });

  it('pretty-prints like Apple and tags every answer with x-apple-request-uuid', async () => {
    const res = await get('/v1/orgDevices?limit=1');
    assert.match(res.headers.get('x-apple-request-uuid') ?? '', /^[0-9a-f-]{36}$/);
    const text = await res.text();
    assert.match(text, /^\{\n {2}"data" : \[ \{\n {4}"type" : "orgDevices",/);
    assert.doesNotMatch(text, /"[^"\n]*":/);
  });

  it('hands out opaque base64url cursors and no next on the last page', async () => {
    const first = (await (await get('/v1/orgDevices?limit=100')).json()) as RawPage;
    const cursor = first.meta.paging.nextCursor ?? '';
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.ok(first.links.next?.startsWith(`${sim.url}/v1/orgDevices?`));
    const last = (await (await get(`/v1/orgDevices?limit=100&cursor=${cursor}`)).json()) as RawPage;
    assert.equal(last.data.length, 50);
    assert.equal(last.links.next, undefined);
    assert.equal(last.meta.paging.nextCursor, undefined);
  });

  it('refuses a cursor it did not issue, naming the cursor parameter', async () => {
    const res = await get('/v1/orgDevices?cursor=bm9wZQ');
    assert.equal(res.status, 400);
    assert.equal((await errorOf(res)).source?.parameter, 'cursor');
  });

  it('sends meta.paging.total only when switched on', async () => {
    assert.equal(
      ((await (await get('/v1/orgDevices?limit=1')).json()) as RawPage).meta.paging.total,
      undefined,
    );
    sim.setIncludeTotal(true);
    assert.equal(((await (await get('/v1/orgDevices?limit=1')).json()) as RawPage).meta.paging.total, 150);
  });

  it('emits purchaseSourceId, never purchaseSourceUid, and pages the client schema accepts', async () => {
    const text = await (await get('/v1/orgDevices?limit=150')).text();
    assert.match(text, /"purchaseSourceId" : /);
    assert.doesNotMatch(text, /purchaseSourceUid/);
    assert.ok(orgDevicesResponseSchema.safeParse(JSON.parse(text)).success);
  });

  it('neither skips nor repeats a device when the fleet changes between pages', async () => {
    const before = sim.fleet.all().map((d) => d.serialNumber);
    const first = (await (await get('/v1/orgDevices?limit=50')).json()) as RawPage;
    // Release one device already sent and one not yet sent, edit one ahead, buy two more.
    sim.fleet.remove(before[10]);
    sim.fleet.remove(before[120]);
    sim.fleet.edit(before[80], { status: 'UNASSIGNED' });
    const added = sim.fleet.add(2).map((d) => d.serialNumber);
    const seen = first.data.map((d) => d.id);
    let cursor = first.meta.paging.nextCursor;
    while (cursor) {
      const page = (await (await get(`/v1/orgDevices?limit=50&cursor=${cursor}`)).json()) as RawPage;
      seen.push(...page.data.map((d) => d.id));
      cursor = page.meta.paging.nextCursor;
    }
    assert.equal(new Set(seen).size, seen.length);
    const expected = [...before.filter((s) => s !== before[120]), ...added];
    assert.deepEqual(seen, expected);
  });

  it('answers one device by serial, with releasedFromOrgDateTime only there', async () => {
    const serial = sim.fleet.all()[7].serialNumber;
    const res = await get(`/v1/orgDevices/${serial}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      data: { id: string; attributes: Record<string, unknown> };
      links: { self: string };
    };
    assert.equal(body.data.id, serial);
    assert.equal(body.data.attributes.releasedFromOrgDateTime, null);
    const list = (await (await get('/v1/orgDevices?limit=10')).json()) as RawPage;
    assert.equal('releasedFromOrgDateTime' in list.data[7].attributes, false);
  });

  it('answers 404 NOT_FOUND for an unknown serial', async () => {
    const res = await get('/v1/orgDevices/C02NOTHERE01');
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).code, 'NOT_FOUND');
  });

  it('lists MDM servers with 32-character upper-hex ids', async () => {
    const body = (await (await get('/v1/mdmServers')).json()) as {
      data: Array<{ type: string; id: string; attributes: { serverName: string } }>;
    };
    assert.ok(body.data.length > 0);
    for (const s of body.data) {
      assert.equal(s.type, 'mdmServers');
      assert.match(s.id, /^[0-9A-F]{32}$/);
    }
  });

  it('throttles GETs at the configured rate with a Retry-After in seconds', async () => {
    sim.faults.set({ getRateLimitPerMinute: 2 });
    assert.equal((await get('/v1/orgDevices?limit=1')).status, 200);
    assert.equal((await get('/v1/orgDevices?limit=1')).status, 200);
    const res = await get('/v1/orgDevices?limit=1');
    assert.equal(res.status, 429);
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 30, String(wait));
    assert.equal((await errorOf(res)).status, '429');
  });

  it('delays answers by the configured latency', async () => {
    sim.faults.set({ latencyMs: 150 });
    const t = Date.now();
    await get('/v1/orgDevices?limit=1');
    assert.ok(Date.now() - t >= 145);
  });

  it('counts requests by route and status, and forgets them on reset', async () => {
    await get('/v1/orgDevices?limit=1');
    await get('/v1/orgDevices', null);
    await get('/v1/orgDevices/NOPE');
    const c = sim.counters();
    assert.deepEqual(c.requests.orgDevices, { '200': 1, '401': 1 });
    assert.deepEqual(c.requests.orgDevice, { '404': 1 });
    assert.equal(c.tokenRequests, 1);
    assert.equal(c.tokensIssued, 1);
    sim.resetCounters();
    assert.equal(sim.counters().total, 0);
  });

  it('takes faults and reports counters over its /_sim routes', async () => {
    const set = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttle: { count: 1, retryAfterSec: 3 } }),
    });
    assert.equal(set.status, 200);
    const res = await get('/v1/orgDevices?limit=1');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    const bad = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttle: { count: -1 } }),
    });
    assert.equal(bad.status, 400);
    const counters = (await (await fetch(`${sim.url}/_sim/counters`)).json()) as {
      requests: { orgDevices: Record<string, number> };
    };
    assert.deepEqual(counters.requests.orgDevices, { '429': 1 });
  });
});
