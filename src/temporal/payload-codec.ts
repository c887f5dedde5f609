import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const COMPRESSED_ENCODING = 'binary/gzip';
const ORIGINAL_ENCODING = 'abm-sync-original-encoding';
const text = new TextEncoder();
const untext = new TextDecoder();

/**
 * Compresses large payloads (pages and batches of devices) before they reach Temporal, and leaves
 * small ones (inputs, signals, the status, most reports) readable as they are. Device JSON shrinks
 * about five-fold, and so does the history a sync stores. A payload carrying metadata other than its
 * encoding is left alone, so nothing this codec does not understand is ever rewritten.
 */
export class GzipPayloadCodec implements PayloadCodec {
  constructor(private readonly minBytes = 16 * 1024) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.compress(p)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => decompress(p)));
  }

  private async compress(p: Payload): Promise<Payload> {
    const keys = Object.keys(p.metadata ?? {});
    const encoding = p.metadata?.encoding;
    if (!p.data || p.data.length < this.minBytes || !encoding || keys.length !== 1) return p;
    return {
      metadata: { encoding: text.encode(COMPRESSED_ENCODING), [ORIGINAL_ENCODING]: encoding },
      data: new Uint8Array(await gzipAsync(p.data)),
    };
  }
}

async function decompress(p: Payload): Promise<Payload> {
  const encoding = p.metadata?.encoding;
  const original = p.metadata?.[ORIGINAL_ENCODING];
  if (!encoding || untext.decode(encoding) !== COMPRESSED_ENCODING || !original || !p.data) return p;
  return { metadata: { encoding: original }, data: new Uint8Array(await gunzipAsync(p.data)) };
}
