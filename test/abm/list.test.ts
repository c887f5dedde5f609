import assert from 'node:assert/strict';
import { rejectsWith, startRig, type SimRig } from './support';

describe('ABM client: orgDevices against the simulator', () => {
  let rig: SimRig;

  beforeEach(async () => {
    rig = await startRig({ devices: 250, seed: 'list' });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('walks every page and stops on the page without a next cursor', async () => {
    const sizes: number[] = [];
    const seen = new Set<string>();
    let last: string | null = 'unset';
    for await (const page of rig.client().pages({ limit: 100 })) {
      sizes.push(page.devices.length);
      for (const d of page.devices) seen.add(d.id);
      last = page.nextCursor;
    }
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.equal(last, null);
    assert.deepEqual(
      [...seen].sort(),
      rig.sim.fleet
        .all()
        .map((d) => d.serialNumber)
        .sort(),
    );
  });

  it('fetches the next page only when the consumer asks for it', async () => {
    for await (const page of rig.client().pages({ limit: 100 })) {
      assert.equal(page.devices.length, 100);
      break;
    }
    assert.equal(rig.sim.counters().requests.orgDevices['200'], 1);
  });

  it('returns the devices as the simulator holds them', async () => {
    const page = await rig.client().listDevices({ limit: 5 });
    const expected = rig.sim.fleet.all().slice(0, 5);
    assert.deepEqual(
      page.devices,
      expected.map((d) => ({ id: d.serialNumber, ...d })),
    );
  });

  it('asks for only the fields it needs', async () => {
    const page = await rig.client().listDevices({ limit: 20, fields: ['serialNumber', 'imei', 'status'] });
    for (const d of page.devices) {
      for (const k of Object.keys(d)) assert.ok(['id', 'serialNumber', 'imei', 'status'].includes(k), k);
    }
    assert.ok(page.devices.some((d) => Array.isArray(d.imei)));
  });

  it('passes total on when Apple sends it, and leaves it out otherwise', async () => {
    const client = rig.client();
    assert.equal((await client.listDevices({ limit: 1 })).total, undefined);
    rig.sim.setIncludeTotal(true);
    assert.equal((await client.listDevices({ limit: 1 })).total, 250);
  });

  it('ignores unknown attributes and reads purchaseSourceUid and lone strings the way the schema says', async () => {
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        const a = body.data[0].attributes;
        a.isMdmMigrationCapable = true;
        a.somethingNew = { nested: 1 };
        a.purchaseSourceUid = a.purchaseSourceId;
        delete a.purchaseSourceId;
        a.imei = '356938035643809';
        a.ethernetMacAddress = 'a4:83:e7:00:00:01';
      },
    });
    const [d] = (await rig.client().listDevices({ limit: 1 })).devices;
    assert.equal('somethingNew' in d, false);
    assert.equal('isMdmMigrationCapable' in d, false);
    assert.equal(d.purchaseSourceId, rig.sim.fleet.all()[0].purchaseSourceId);
    assert.deepEqual(d.imei, ['356938035643809']);
    assert.deepEqual(d.ethernetMacAddress, ['a4:83:e7:00:00:01']);
  });

  it('reports a device that breaks the schema with its serial and the path of the bad field, and keeps the rest', async () => {
    let serial = '';
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        serial = String(body.data[3].attributes.serialNumber);
        body.data[3].attributes.imei = 12345;
      },
    });
    const page = await rig.client().listDevices({ limit: 10 });
    assert.equal(page.devices.length, 9);
    assert.equal(page.rejected.length, 1);
    assert.equal(page.rejected[0].serialNumber, serial);
    assert.match(
      page.rejected[0].reason,
      /^INVALID_DEVICE: .*data\[3\]\.attributes\.imei: expected a list of strings/,
    );
    assert.ok(!page.devices.some((d) => d.serialNumber === serial));
  });

  it('fails a page whose envelope is malformed with the path of the bad field', async () => {
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        (body.meta.paging as unknown as Record<string, unknown>).total = 'many';
      },
    });
    const err = await rejectsWith(rig.client().listDevices({ limit: 10 }), 'fatal');
    assert.match(err.message, /meta\.paging\.total: /);
    assert.equal(err.code, 'INVALID_RESPONSE');
  });

  it('refuses a next link on another host', async () => {
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        body.links.next = `https://evil.example.com/v1/orgDevices?cursor=${body.meta.paging.nextCursor ?? ''}`;
      },
    });
    const err = await rejectsWith(rig.client().listDevices({ limit: 10 }), 'fatal');
    assert.equal(err.code, 'CROSS_HOST_NEXT_LINK');
    assert.match(err.message, /https:\/\/evil\.example\.com/);
  });

  it('refuses a next link on the same host with another scheme', async () => {
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        body.links.next = body.links.next?.replace(/^http:/, 'https:');
      },
    });
    await rejectsWith(rig.client().listDevices({ limit: 10 }), 'fatal');
  });

  it('treats a page with a next link but no nextCursor as the last', async () => {
    rig.sim.faults.set({
      mutateOrgDevicesPage: (body) => {
        delete body.meta.paging.nextCursor;
      },
    });
    const page = await rig.client().listDevices({ limit: 10 });
    assert.equal(page.nextCursor, null);
  });

  it('honours a 429 with Retry-After in seconds', async () => {
    rig.sim.faults.set({ throttle: { count: 1, retryAfterSec: 7 } });
    const err = await rejectsWith(rig.client().listDevices(), 'throttled');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 7000);
    assert.equal(err.code, 'RATE_LIMIT_EXCEEDED');
    assert.match(err.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('honours a 429 with Retry-After as an HTTP-date', async () => {
    rig.sim.faults.set({ throttle: { count: 1, retryAfterSec: 10, retryAfterFormat: 'http-date' } });
    const err = await rejectsWith(rig.client().listDevices(), 'throttled');
    // HTTP-dates have whole seconds, so up to one second is lost to rounding.
    assert.ok((err.retryAfterMs ?? 0) > 8000 && (err.retryAfterMs ?? 0) <= 10_000, String(err.retryAfterMs));
  });

  it('applies the default wait to a 429 without Retry-After', async () => {
    rig.sim.faults.set({ throttle: { count: 1, retryAfterFormat: 'none' } });
    const err = await rejectsWith(rig.client({ defaultRetryAfterMs: 12_345 }).listDevices(), 'throttled');
    assert.equal(err.retryAfterMs, 12_345);
  });

  it('is throttled by the simulated GET rate limit', async () => {
    rig.sim.faults.set({ getRateLimitPerMinute: 20 });
    const client = rig.client();
    for (let i = 0; i < 20; i++) await client.listDevices({ limit: 1 });
    const err = await rejectsWith(client.listDevices({ limit: 1 }), 'throttled');
    assert.ok((err.retryAfterMs ?? 0) >= 1000 && (err.retryAfterMs ?? 0) <= 3000, String(err.retryAfterMs));
  });

  it('reports a 5xx as transient', async () => {
    rig.sim.faults.set({ serverErrors: { count: 1, status: 500 } });
    const err = await rejectsWith(rig.client().listDevices(), 'transient');
    assert.equal(err.status, 500);
  });

  it('reports a 503 with an HTML body as transient', async () => {
    rig.sim.faults.set({ serverErrors: { count: 1, html: true } });
    const err = await rejectsWith(rig.client().listDevices(), 'transient');
    assert.equal(err.status, 503);
  });

  it('reports a connection reset mid-response as transient and recovers on the next call', async () => {
    rig.sim.faults.set({ resets: { count: 1 } });
    const client = rig.client();
    await rejectsWith(client.listDevices(), 'transient');
    assert.equal(rig.sim.counters().requests.orgDevices.reset, 1);
    assert.equal((await client.listDevices({ limit: 3 })).devices.length, 3);
  });

  it('reports an expired cursor as cursor_expired', async () => {
    const client = rig.client();
    const first = await client.listDevices({ limit: 10 });
    rig.sim.faults.set({ cursorTtlMs: 0 });
    const err = await rejectsWith(
      client.listDevices({ limit: 10, cursor: first.nextCursor }),
      'cursor_expired',
    );
    assert.equal(err.status, 400);
    assert.equal(err.code, 'PARAMETER_ERROR.INVALID');
  });

  it('accepts a cursor younger than the TTL', async () => {
    rig.sim.faults.set({ cursorTtlMs: 60_000 });
    const client = rig.client();
    const first = await client.listDevices({ limit: 10 });
    assert.equal((await client.listDevices({ limit: 10, cursor: first.nextCursor })).devices.length, 10);
  });

  it('reports a 403 as fatal with a hint about the API account role', async () => {
    rig.sim.faults.set({ forbidden: { count: 1 } });
    const err = await rejectsWith(rig.client().listDevices(), 'fatal');
    assert.equal(err.code, 'FORBIDDEN_ERROR');
    assert.match(err.message, /role may lack the privilege/);
  });

  it('keeps the bearer token and the cursor out of error messages', async () => {
    const client = rig.client();
    const first = await client.listDevices({ limit: 10 });
    rig.sim.faults.set({ serverErrors: { count: 1 } });
    const err = await rejectsWith(client.listDevices({ limit: 10, cursor: first.nextCursor }), 'transient');
    assert.doesNotMatch(err.message, /Bearer/i);
    assert.ok(!err.message.includes(first.nextCursor ?? '-'));
    assert.equal(err.path, '/v1/orgDevices');
    assert.equal(err.method, 'GET');
  });

  it('refuses a page size outside 1..1000 before sending anything', async () => {
    const client = rig.client();
    await assert.rejects(client.listDevices({ limit: 1001 }), RangeError);
    await assert.rejects(client.listDevices({ limit: 0 }), RangeError);
    assert.equal(rig.sim.counters().total, 0);
  });

  it('looks up one device by serial, and answers null for an unknown serial', async () => {
    const client = rig.client();
    const serial = rig.sim.fleet.all()[42].serialNumber;
    const d = await client.getDevice(serial, ['serialNumber', 'deviceModel']);
    assert.deepEqual(d, {
      id: serial,
      serialNumber: serial,
      deviceModel: rig.sim.fleet.get(serial)?.deviceModel,
    });
    assert.equal(await client.getDevice('C02NOTHERE01'), null);
    assert.equal(rig.sim.counters().requests.orgDevice['404'], 1);
  });
});
