import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { GzipPayloadCodec } from './payload-codec';

/** Temporal's remote codec protocol: payloads as JSON with base64 metadata values and data. */
const wirePayloadsSchema = z.object({
  payloads: z.array(
    z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') }),
  ),
});

const fromWire = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The codec endpoint the Temporal Web UI (`--ui-codec-endpoint`, `TEMPORAL_CODEC_ENDPOINT`) calls
 * from the browser to show the payloads abm-sync compresses. It only decompresses: no key, no
 * secret, and it answers the UI's origins alone.
 */
export async function startCodecServer(opts: {
  port?: number;
  host?: string;
  allowedOrigins: string[];
}): Promise<CodecServer> {
  const codec = new GzipPayloadCodec();
  const allowed = new Set(opts.allowedOrigins);
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && (allowed.has(origin) || allowed.has('*'))) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    // The UI adds query parameters (e.g. ?preserveStorageRefs=true): route on the path alone.
    const route = new URL(req.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
    if (req.method !== 'POST' || (route !== '/decode' && route !== '/encode')) {
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /decode or /encode\n');
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: z.infer<typeof wirePayloadsSchema>;
    try {
      body = wirePayloadsSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('expected {"payloads": [...]}\n');
    }
    const payloads = body.payloads.map(fromWire);
    const out = route === '/decode' ? await codec.decode(payloads) : await codec.encode(payloads);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ payloads: out.map(toWire) }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
