import assert from 'node:assert/strict';
import type { Payload } from '@temporalio/common';
import { startCodecServer } from '../../src/temporal/codec-server';
import { COMPRESSED_ENCODING, GzipPayloadCodec } from '../../src/temporal/payload-codec';

const text = new TextEncoder();
const untext = new TextDecoder();
const json = (v: unknown): Payload => ({
  metadata: { encoding: text.encode('json/plain') },
  data: text.encode(JSON.stringify(v)),
});
const devices = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `C02X${i}`,
    serialNumber: `C02X${i}`,
    deviceModel: 'MacBook Pro (16-inch, 2019)',
    color: 'SPACE GRAY',
  }));

describe('payload compression', () => {
  const codec = new GzipPayloadCodec();

  it('leaves small payloads as they are, readable in the Web UI', async () => {
    const small = json({ mappingId: 'apple-devices' });
    assert.deepEqual(await codec.encode([small]), [small]);
  });

  it('compresses a page of devices several-fold and decodes it back exactly', async () => {
    const page = json(devices(500));
    const [encoded] = await codec.encode([page]);
    assert.equal(untext.decode(encoded.metadata!.encoding!), COMPRESSED_ENCODING);
    assert.ok(
      encoded.data!.length * 4 < page.data!.length,
      `${encoded.data!.length} vs ${page.data!.length} bytes`,
    );
    const [decoded] = await codec.decode([encoded]);
    assert.deepEqual(decoded, page);
  });

  it('never rewrites a payload with metadata it does not know', async () => {
    const page = json(devices(500));
    const other = { ...page, metadata: { ...page.metadata, messageType: text.encode('x') } };
    assert.deepEqual(await codec.encode([other]), [other]);
    assert.deepEqual(await codec.decode([page]), [page]);
  });

  it('serves the Web UI: decodes over HTTP and answers the allowed origin only', async () => {
    const server = await startCodecServer({ allowedOrigins: ['http://localhost:8233'] });
    try {
      const [encoded] = await codec.encode([json(devices(500))]);
      const wire = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(encoded.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
            ),
            data: Buffer.from(encoded.data!).toString('base64'),
          },
        ],
      };
      const res = await fetch(`${server.url}/decode?preserveStorageRefs=true`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-namespace': 'default',
          origin: 'http://localhost:8233',
        },
        body: JSON.stringify(wire),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:8233');
      const body = (await res.json()) as { payloads: { metadata: { encoding: string }; data: string }[] };
      assert.equal(Buffer.from(body.payloads[0].metadata.encoding, 'base64').toString(), 'json/plain');
      assert.deepEqual(JSON.parse(Buffer.from(body.payloads[0].data, 'base64').toString()), devices(500));

      const preflight = await fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    } finally {
      await server.close();
    }
  });
});
