import assert from 'node:assert/strict';
import { request } from 'undici';
import {
  seedAppleDevicesCollection,
  startAssetPandaSimulator,
  type AppleDevicesCollection,
  type AssetPandaSimulator,
  type SimCredentials,
} from '../../src/sim/assetpanda';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

describe('Asset Panda Pro simulator', () => {
  let sim: AssetPandaSimulator;
  let seeded: AppleDevicesCollection;
  let serial: string;

  async function call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    json?: unknown,
    creds: SimCredentials | null = sim.credentials,
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (creds)
      Object.assign(headers, { 'access-key-id': creds.apiKey, 'access-key-secret': creds.apiSecret });
    const res = await request(`${sim.url}${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML and empty bodies stay text
    }
    return { status: res.statusCode, headers: res.headers, body };
  }

  function envelope(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      tenant: { accountId: seeded.accountId, moduleId: seeded.moduleId },
      collectionId: seeded.collectionId,
      ...extra,
    };
  }

  function errorCode(reply: Reply): unknown {
    return (reply.body as { errors: { code: string }[] }).errors[0]?.code;
  }

  function results(
    reply: Reply,
  ): { index: number; success: boolean; id?: string; errors?: { code: string; message: string }[] }[] {
    return (reply.body as { data: { records: never[] } }).data.records;
  }

  beforeEach(async () => {
    sim = await startAssetPandaSimulator();
    seeded = seedAppleDevicesCollection(sim, { required: ['Asset Tag'] });
    serial = seeded.columnIds['Serial Number'];
  });

  afterEach(async () => {
    await sim.close();
  });

  it('answers 401 UNAUTHORIZED without keys or with a wrong secret', async () => {
    assert.equal((await call('GET', '/accounts', undefined, null)).status, 401);
    const wrong = await call('GET', '/accounts', undefined, {
      apiKey: sim.credentials.apiKey,
      apiSecret: 'x',
    });
    assert.deepEqual([wrong.status, errorCode(wrong)], [401, 'UNAUTHORIZED']);
  });

  it('answers 403 FORBIDDEN to a write with a read key', async () => {
    const reply = await call(
      'POST',
      '/collection-records',
      envelope({ records: [{ [serial]: 'A' }] }),
      sim.readOnlyCredentials,
    );
    assert.deepEqual([reply.status, errorCode(reply)], [403, 'FORBIDDEN']);
    assert.equal(sim.records(seeded.collectionId).length, 0);
  });

  it('answers 404 NOT_FOUND for an unknown collection', async () => {
    const reply = await call('POST', '/collection-records/search', { ...envelope({}), collectionId: 'nope' });
    assert.deepEqual([reply.status, errorCode(reply)], [404, 'NOT_FOUND']);
  });

  it('serves the discovery routes in the contract’s shapes', async () => {
    const accounts = await call('GET', '/accounts');
    assert.deepEqual(accounts.body, { data: [{ id: seeded.accountId, name: 'Acme Corp' }] });
    const columns = await call(
      'GET',
      `/collection-columns?accountId=${seeded.accountId}&moduleId=${seeded.moduleId}&collectionId=${seeded.collectionId}`,
    );
    const all = (
      columns.body as { data: { columns: { all: { displayName: string; options?: string[] }[] } } }
    ).data.columns.all;
    assert.deepEqual(all.find((c) => c.displayName === 'Status')?.options, [
      'ASSIGNED',
      'UNASSIGNED',
      'RELEASED',
    ]);
  });

  it('creates records, answering per record in order with UNIQUE_VIOLATION, REQUIRED, INVALID_VALUE and UNKNOWN_COLUMN', async () => {
    const tag = seeded.columnIds['Asset Tag'];
    const reply = await call(
      'POST',
      '/collection-records',
      envelope({
        records: [
          { [serial]: 'A', [tag]: 'T1' },
          { [serial]: 'A', [tag]: 'T2' },
          { [serial]: 'B' },
          { [serial]: 'C', [tag]: 'T3', [seeded.columnIds['Status']]: 'LOST' },
          { [serial]: 'D', [tag]: 'T4', [seeded.columnIds['Updated Date Time']]: 'yesterday' },
          { [serial]: 'E', [tag]: 'T5', nope: 'x' },
        ],
      }),
    );
    assert.equal(reply.status, 200);
    const r = results(reply);
    assert.deepEqual(
      r.map((x) => [x.index, x.success, x.errors?.[0]?.code]),
      [
        [0, true, undefined],
        [1, false, 'UNIQUE_VIOLATION'],
        [2, false, 'REQUIRED'],
        [3, false, 'INVALID_VALUE'],
        [4, false, 'INVALID_VALUE'],
        [5, false, 'UNKNOWN_COLUMN'],
      ],
    );
    assert.equal(r[2]?.errors?.[0]?.message, "column 'Asset Tag' has no value");
    assert.equal(sim.records(seeded.collectionId).length, 1);
  });

  it('updates partially, clears with null, refuses clearing a required column and answers NOT_FOUND for an unknown id', async () => {
    const tag = seeded.columnIds['Asset Tag'];
    const color = seeded.columnIds['Color'];
    const [id] = sim.addRecords(seeded.collectionId, [{ [serial]: 'A', [tag]: 'T1', [color]: 'RED' }]);
    const reply = await call(
      'PUT',
      '/collection-records',
      envelope({
        records: [
          { recordId: id, [color]: null },
          { recordId: id, [tag]: null },
          { recordId: 'rec_none', [color]: 'BLUE' },
        ],
      }),
    );
    assert.deepEqual(
      results(reply).map((x) => [x.success, x.errors?.[0]?.code]),
      [
        [true, undefined],
        [false, 'REQUIRED'],
        [false, 'NOT_FOUND'],
      ],
    );
    const [stored] = sim.records(seeded.collectionId);
    assert.deepEqual([stored?.[serial], stored?.[tag], color in (stored ?? {})], ['A', 'T1', false]);
  });

  it('answers 400 to more than 100 records in a write', async () => {
    const records = Array.from({ length: 101 }, (_, i) => ({ [serial]: `S${i}` }));
    const reply = await call('POST', '/collection-records', envelope({ records }));
    assert.deepEqual([reply.status, errorCode(reply)], [400, 'BAD_REQUEST']);
  });

  it('answers 413 to a body over the size limit', async () => {
    const records = [{ [serial]: 'x'.repeat(1024 * 1024 + 1) }];
    const reply = await call('POST', '/collection-records', envelope({ records }));
    assert.equal(reply.status, 413);
  });

  it('answers 400 to an in filter of more than 100 values and to a pageSize over 500', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `S${i}`);
    const inReply = await call(
      'POST',
      '/collection-records/search',
      envelope({ filters: [{ columnId: serial, operator: 'in', values: tooMany }] }),
    );
    assert.equal(inReply.status, 400);
    const pageReply = await call('POST', '/collection-records/search', envelope({ pageSize: 501 }));
    assert.equal(pageReply.status, 400);
  });

  it('pages searches 100 records at a time by default with nextPageToken', async () => {
    sim.addRecords(
      seeded.collectionId,
      Array.from({ length: 150 }, (_, i) => ({ [serial]: `S${i}`, [seeded.columnIds['Asset Tag']]: 'T' })),
    );
    const first = (await call('POST', '/collection-records/search', envelope({}))).body as {
      data: { records: unknown[]; nextPageToken: string | null; total: number };
    };
    assert.deepEqual([first.data.records.length, first.data.total], [100, 150]);
    const second = (
      await call('POST', '/collection-records/search', envelope({ pageToken: first.data.nextPageToken }))
    ).body as {
      data: { records: unknown[]; nextPageToken: string | null };
    };
    assert.deepEqual([second.data.records.length, second.data.nextPageToken], [50, null]);
  });

  it('matches equals filters exactly and case-sensitively', async () => {
    sim.addRecords(seeded.collectionId, [{ [serial]: 'ABC', [seeded.columnIds['Asset Tag']]: 'T' }]);
    const hit = await call(
      'POST',
      '/collection-records/search',
      envelope({ filters: [{ columnId: serial, operator: 'equals', value: 'ABC' }] }),
    );
    const miss = await call(
      'POST',
      '/collection-records/search',
      envelope({ filters: [{ columnId: serial, operator: 'equals', value: 'abc' }] }),
    );
    assert.deepEqual(
      [
        (hit.body as { data: { total: number } }).data.total,
        (miss.body as { data: { total: number } }).data.total,
      ],
      [1, 0],
    );
  });

  it('answers 429 RATE_LIMITED with Retry-After once the documented limit is on and spent', async () => {
    await sim.close();
    let now = 1_000_000;
    sim = await startAssetPandaSimulator({ rateLimit: { limit: 3, windowMs: 180_000 }, now: () => now });
    for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/accounts')).status, 200);
    const limited = await call('GET', '/accounts');
    assert.deepEqual(
      [limited.status, errorCode(limited), limited.headers['retry-after']],
      [429, 'RATE_LIMITED', '180'],
    );
    now += 180_001;
    assert.equal((await call('GET', '/accounts')).status, 200);
  });

  it('applies the documented 400 requests per 180 seconds when the limit is switched on', async () => {
    await sim.close();
    sim = await startAssetPandaSimulator({ rateLimit: true });
    assert.deepEqual(sim.faults.rateLimit, { limit: 400, windowMs: 180_000 });
  });

  it('drops the connection after applying a write when told to lose the answer, and counts it', async () => {
    sim.faults.set({ loseAnswers: 1 }, 'create');
    await assert.rejects(
      call(
        'POST',
        '/collection-records',
        envelope({ records: [{ [serial]: 'A', [seeded.columnIds['Asset Tag']]: 'T' }] }),
      ),
    );
    assert.equal(sim.records(seeded.collectionId).length, 1);
    assert.deepEqual(sim.requestCounts().create, { lost: 1 });
  });

  it('answers a forced 5xx burst, then recovers, and resets faults', async () => {
    sim.faults.set({ burst5xx: 2, status5xx: 500, body5xx: 'html' }, 'accounts');
    const first = await call('GET', '/accounts');
    assert.equal(first.status, 500);
    assert.match(String(first.body), /<html>/);
    assert.equal((await call('GET', '/accounts')).status, 500);
    assert.equal((await call('GET', '/accounts')).status, 200);
    sim.faults.set({ burst429: 5 });
    sim.faults.reset();
    assert.equal((await call('GET', '/accounts')).status, 200);
  });

  it('counts requests by route and status and resets the counters', async () => {
    await call('GET', '/accounts');
    await call('GET', '/accounts', undefined, null);
    assert.deepEqual(sim.requestCounts().accounts, { '200': 1, '401': 1 });
    sim.resetCounters();
    assert.equal(sim.requestTotal(), 0);
  });

  it('reports unique values held by two records (seeded past the checks)', async () => {
    const ids = sim.addRecords(seeded.collectionId, [{ [serial]: 'TWIN' }, { [serial]: 'TWIN' }], {
      enforce: false,
    });
    assert.deepEqual(sim.duplicates(), [
      { collectionId: seeded.collectionId, columnId: serial, value: 'TWIN', recordIds: ids },
    ]);
  });

  it('serves records, request counts, duplicates and fault control under /_sim', async () => {
    sim.addRecords(seeded.collectionId, [{ [serial]: 'A', [seeded.columnIds['Asset Tag']]: 'T' }]);
    await call('GET', '/accounts');
    const records = await call('GET', `/_sim/records?collectionId=${seeded.collectionId}`, undefined, null);
    assert.equal((records.body as { data: unknown[] }).data.length, 1);
    const counts = await call('GET', '/_sim/requests', undefined, null);
    assert.deepEqual((counts.body as { data: { accounts: unknown } }).data.accounts, { '200': 1 });
    const dups = await call('GET', '/_sim/duplicates', undefined, null);
    assert.deepEqual(dups.body, { data: [] });
    await call('POST', '/_sim/faults', { routes: ['accounts'], burst429: 1 }, null);
    assert.equal((await call('GET', '/accounts')).status, 429);
    await call('POST', '/_sim/reset-counters', {}, null);
    assert.equal(sim.requestTotal(), 0);
  });
});
