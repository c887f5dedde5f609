import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { validationMessage } from '../../http/validation';
import { readBody } from '../shared/http';
import type { AbmSimulator } from './server';

const routes = z.enum(['token', 'orgDevices', 'orgDevice', 'mdmServers', 'other']);
const burst = z
  .object({ count: z.number().int().nonnegative(), routes: z.array(routes).optional() })
  .strict();

/** The faults a separate process (CLI, demo, e2e test) may set over HTTP: everything but code hooks. */
const faultsPatchSchema = z
  .object({
    latencyMs: z.number().nonnegative(),
    jitterMs: z.number().nonnegative(),
    getRateLimitPerMinute: z.number().positive().nullable(),
    tokenRateLimitPerMinute: z.number().positive().nullable(),
    throttle: burst
      .extend({
        retryAfterSec: z.number().int().nonnegative().optional(),
        retryAfterFormat: z.enum(['seconds', 'http-date', 'none']).optional(),
      })
      .nullable(),
    serverErrors: burst
      .extend({ status: z.number().int().min(500).max(599).optional(), html: z.boolean().optional() })
      .nullable(),
    resets: burst.nullable(),
    forbidden: burst.nullable(),
    cursorTtlMs: z.number().nonnegative().nullable(),
  })
  .partial()
  .strict();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body, null, 2));
}

/**
 * Inspection and fault routes under `/_sim/` for a simulator running in another process. Not
 * counted, not rate limited, no token needed: they are the test harness, not the API.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sim: AbmSimulator,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /_sim/counters':
      return json(res, 200, sim.counters());
    case 'POST /_sim/counters/reset':
      sim.resetCounters();
      return json(res, 200, { ok: true });
    case 'GET /_sim/faults': {
      const { mutateOrgDevicesPage, ...rest } = sim.faults.get();
      return json(res, 200, { ...rest, mutateOrgDevicesPage: mutateOrgDevicesPage !== null });
    }
    case 'POST /_sim/faults': {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || '{}');
      } catch {
        return json(res, 400, { error: 'body is not JSON' });
      }
      const parsed = faultsPatchSchema.safeParse(body);
      if (!parsed.success) return json(res, 400, { error: validationMessage(parsed.error) });
      sim.faults.set(parsed.data);
      return json(res, 200, { ok: true });
    }
    case 'POST /_sim/faults/reset':
      sim.faults.reset();
      return json(res, 200, { ok: true });
    case 'POST /_sim/expire-tokens':
      sim.expireTokens();
      return json(res, 200, { ok: true });
    case 'GET /_sim/fleet':
      return json(res, 200, { size: sim.fleet.size });
    default:
      return json(res, 404, { error: `no simulator route ${route}` });
  }
}
