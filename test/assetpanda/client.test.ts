import assert from 'node:assert/strict';
import { AssetPandaClient } from '../../src/assetpanda';
import { ApiError } from '../../src/http';
import { startAssetPandaSimulator, type AssetPandaSimulator } from '../../src/sim/assetpanda';
import { startHarness, type Harness } from './harness';

function isFatal(pattern: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.kind, 'fatal');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('AssetPandaClient discovery', () => {
  let sim: AssetPandaSimulator;
  let client: AssetPandaClient;
  let ids: { account: string; module: string; collection: string };

  before(async () => {
    sim = await startAssetPandaSimulator();
    const account = sim.addAccount('Acme Corp');
    sim.addAccount('Acme Labs');
    const module = sim.addModule(account.id, 'IT Assets');
    const collection = sim.addCollection(account.id, module.id, {
      displayName: 'Apple Devices',
      columns: [{ displayName: 'Serial Number', type: 'text', isUnique: true }],
    });
    sim.addCollection(account.id, module.id, { displayName: 'Laptops', columns: [] });
    sim.addCollection(account.id, module.id, { displayName: 'laptops', columns: [] });
    sim.addCollection(account.id, module.id, { displayName: 'Phones', deleted: true, columns: [] });
    sim.addCollection(account.id, module.id, { displayName: 'Tablets', isActive: false, columns: [] });
    ids = { account: account.id, module: module.id, collection: collection.id };
    client = new AssetPandaClient({ baseUrl: sim.url, ...sim.credentials });
  });

  after(async () => {
    await client.close();
    await sim.close();
  });

  it('resolves account, module and collection by display name case-insensitively', async () => {
    const target = await client.discover({
      account: 'acme corp',
      module: 'IT ASSETS',
      collection: 'apple devices',
    });
    assert.deepEqual(target.tenant, { accountId: ids.account, moduleId: ids.module });
    assert.equal(target.collectionId, ids.collection);
    assert.equal(target.collectionName, 'Apple Devices');
    assert.deepEqual(
      target.columns.map((c) => [c.displayName, c.type, c.isUnique]),
      [['Serial Number', 'text', true]],
    );
  });

  it('resolves account, module and collection by id', async () => {
    const target = await client.discover({
      account: ids.account,
      module: ids.module,
      collection: ids.collection,
    });
    assert.equal(target.collectionId, ids.collection);
  });

  it('returns a target that is plain JSON', async () => {
    const target = await client.discover({
      account: 'Acme Corp',
      module: 'IT Assets',
      collection: 'Apple Devices',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(target)), target);
  });

  it('fails on an unknown account, listing the candidates', async () => {
    await assert.rejects(
      client.discover({ account: 'Acme', module: 'IT Assets', collection: 'Apple Devices' }),
      isFatal(/account "Acme" not found; candidates: "Acme Corp" \(id acc_1\), "Acme Labs" \(id acc_2\)/),
    );
  });

  it('fails on an ambiguous collection name, listing the matches and asking for the id', async () => {
    await assert.rejects(
      client.discover({ account: 'Acme Corp', module: 'IT Assets', collection: 'LAPTOPS' }),
      isFatal(
        /collection "LAPTOPS" is ambiguous; it matches "Laptops" \(id col_2\), "laptops" \(id col_3\)\. Use the id/,
      ),
    );
  });

  it('does not match a deleted collection by name', async () => {
    await assert.rejects(
      client.discover({ account: 'Acme Corp', module: 'IT Assets', collection: 'Phones' }),
      isFatal(/collection "Phones" not found/),
    );
  });

  it('refuses an inactive collection, saying so', async () => {
    await assert.rejects(
      client.discover({ account: 'Acme Corp', module: 'IT Assets', collection: 'Tablets' }),
      isFatal(/"Tablets" \(id col_5\) is inactive/),
    );
  });
});

describe('AssetPandaClient records and failures', () => {
  let h: Harness;
  let serial: string;

  beforeEach(async () => {
    h = await startHarness();
    serial = h.seeded.columnIds['Serial Number'];
  });

  afterEach(async () => {
    await h.close();
  });

  it('looks up 250 values with one in-search per 100 values', async () => {
    const values = Array.from({ length: 250 }, (_, i) => `SN${i}`);
    h.sim.addRecords(
      h.target.collectionId,
      values.filter((_, i) => i % 2 === 0).map((v) => ({ [serial]: v })),
    );
    h.sim.resetCounters();
    const found = await h.client.findByUnique(h.target, serial, values);
    assert.equal(found.length, 125);
    assert.deepEqual(h.sim.requestCounts().search, { '200': 3 });
    assert.equal(found[0]?.values[serial], 'SN0');
  });

  it('follows nextPageToken when one value matches more records than a page holds', async () => {
    h.sim.addRecords(
      h.target.collectionId,
      Array.from({ length: 501 }, () => ({ [serial]: 'TWIN' })),
      { enforce: false },
    );
    h.sim.resetCounters();
    const found = await h.client.findByUnique(h.target, serial, ['TWIN']);
    assert.equal(found.length, 501);
    assert.deepEqual(h.sim.requestCounts().search, { '200': 2 });
  });

  it('creates in batches of 100 and keeps every per-record result at its input position', async () => {
    const records = Array.from({ length: 250 }, (_, i) => ({ [serial]: i === 120 ? 'SN0' : `SN${i}` }));
    const results = await h.client.createRecords(h.target, records);
    assert.equal(results.length, 250);
    assert.deepEqual(
      results.map((r) => r.index),
      records.map((_, i) => i),
    );
    const failed = results.filter((r) => !r.success);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.index, 120);
    assert.equal(failed[0]?.success === false && failed[0].errors[0]?.code, 'UNIQUE_VIOLATION');
    assert.deepEqual(h.sim.requestCounts().create, { '200': 3 });
  });

  it('updates by record id, reporting NOT_FOUND for an unknown id without failing the others', async () => {
    const [created] = await h.client.createRecords(h.target, [{ [serial]: 'SN1' }]);
    assert.ok(created?.success);
    const results = await h.client.updateRecords(h.target, [
      { recordId: created.id, values: { [h.seeded.columnIds['Color']]: 'RED' } },
      { recordId: 'rec_missing', values: { [h.seeded.columnIds['Color']]: 'RED' } },
    ]);
    assert.equal(results[0]?.success, true);
    assert.equal(results[1]?.success === false && results[1].errors[0]?.code, 'NOT_FOUND');
  });

  it('makes a wrong key a fatal error naming the env variables, without the secret', async () => {
    const wrong = h.clientWith({ apiKey: h.sim.credentials.apiKey, apiSecret: 'not-the-secret' });
    await assert.rejects(wrong.findByUnique(h.target, serial, ['X']), (err: unknown) => {
      isFatal(/401.*ASSETPANDA_API_KEY and ASSETPANDA_API_SECRET/)(err);
      assert.doesNotMatch(String((err as Error).message), /not-the-secret/);
      return true;
    });
  });

  it('makes a write with a read-only key a fatal error saying the key lacks write permission', async () => {
    const readOnly = h.clientWith(h.sim.readOnlyCredentials);
    await assert.rejects(
      readOnly.createRecords(h.target, [{ [serial]: 'X' }]),
      isFatal(/403.*lacks write permission or the tenant is not accessible/),
    );
  });

  it('lets a read-only key read', async () => {
    const readOnly = h.clientWith(h.sim.readOnlyCredentials);
    assert.deepEqual(await readOnly.findByUnique(h.target, serial, ['X']), []);
  });

  it('makes an unknown collection a fatal error', async () => {
    await assert.rejects(
      h.client.findByUnique({ ...h.target, collectionId: 'col_gone' }, serial, ['X']),
      isFatal(/404.*collection/),
    );
  });

  it('classifies a 429 as throttled with the Retry-After wait', async () => {
    h.sim.faults.set({ burst429: 1, retryAfterSeconds: 42 }, 'search');
    await assert.rejects(h.client.findByUnique(h.target, serial, ['X']), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.deepEqual(
        [err.kind, err.status, err.code, err.retryAfterMs],
        ['throttled', 429, 'RATE_LIMITED', 42_000],
      );
      return true;
    });
  });

  it('classifies a 5xx with an HTML body as transient', async () => {
    h.sim.faults.set({ burst5xx: 1, status5xx: 503, body5xx: 'html' }, 'search');
    await assert.rejects(
      h.client.findByUnique(h.target, serial, ['X']),
      (err: unknown) => err instanceof ApiError && err.kind === 'transient' && err.status === 503,
    );
  });

  it('classifies a dropped connection after the write as transient', async () => {
    h.sim.faults.set({ loseAnswers: 1 }, 'create');
    await assert.rejects(
      h.client.createRecords(h.target, [{ [serial]: 'LOST1' }]),
      (err: unknown) => err instanceof ApiError && err.kind === 'transient',
    );
    assert.equal(h.sim.records(h.target.collectionId).length, 1, 'the write was applied');
  });
});
