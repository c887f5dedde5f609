import type { Payload } from '@temporalio/common';
import { GzipPayloadCodec } from '../../src/temporal/payload-codec';

const codec = new GzipPayloadCodec();
const untext = new TextDecoder();

function isPayload(v: unknown): v is Payload & { data: Uint8Array } {
  return (
    !!v && typeof v === 'object' && 'metadata' in v && (v as { data?: unknown }).data instanceof Uint8Array
  );
}

function collectPayloads(v: unknown, into: Payload[], seen = new Set<unknown>()): void {
  if (!v || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (isPayload(v)) into.push(v);
  for (const child of Object.values(v as Record<string, unknown>)) collectPayloads(child, into, seen);
}

/**
 * Everything a history holds, as text: the history itself plus every payload decoded the way our
 * clients decode it, so a secret cannot hide inside a compressed payload.
 */
export async function historyText(history: unknown): Promise<string> {
  const payloads: Payload[] = [];
  collectPayloads(history, payloads);
  const decoded = await codec.decode(payloads);
  return [JSON.stringify(history), ...decoded.map((p) => untext.decode(p.data ?? new Uint8Array()))].join(
    '\n',
  );
}
