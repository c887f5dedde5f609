import type { DataConverter } from '@temporalio/common';
import { GzipPayloadCodec } from './payload-codec';

/**
 * The data converter every abm-sync client and worker uses: JSON, with large payloads compressed.
 * Anything else that reads these workflows (the Web UI, `temporal workflow show`) needs the codec
 * server (`abm-sync codec-server`) to show the compressed payloads.
 */
export const dataConverter: DataConverter = { payloadCodecs: [new GzipPayloadCodec()] };
