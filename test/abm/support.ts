import assert from 'node:assert/strict';
import {
  AbmClient,
  createClientAssertion,
  loadPrivateKey,
  scopeFor,
  type AbmClientOptions,
} from '../../src/abm';
import { ApiError, type FailureKind } from '../../src/http';
import { startAbmSimulator, type AbmSimOptions, type AbmSimulator } from '../../src/sim/abm';

/** A simulator plus clients bound to it, all closed by `close()`. */
export interface SimRig {
  sim: AbmSimulator;
  client(extra?: Partial<AbmClientOptions>): AbmClient;
  close(): Promise<void>;
}

export async function startRig(opts: AbmSimOptions = {}): Promise<SimRig> {
  const sim = await startAbmSimulator(opts);
  const clients: AbmClient[] = [];
  return {
    sim,
    client(extra = {}) {
      const c = new AbmClient({
        clientId: sim.credentials.clientId,
        keyId: sim.credentials.keyId,
        privateKey: loadPrivateKey(sim.credentials.privateKeyPem, 'simulator key'),
        apiBaseUrl: sim.apiBaseUrl,
        tokenUrl: sim.tokenUrl,
        ...extra,
      });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    },
  };
}

/** Awaits a rejection and returns it as an ApiError of the given kind. */
export async function rejectsWith(p: Promise<unknown>, kind: FailureKind): Promise<ApiError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiError, `expected an ApiError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, `expected kind ${kind}, got ${caught.kind}: ${caught.message}`);
  return caught;
}

/** A valid access token from the simulator, fetched by hand (for raw HTTP tests of the simulator). */
export async function simToken(sim: AbmSimulator): Promise<string> {
  const assertion = await createClientAssertion({
    clientId: sim.credentials.clientId,
    keyId: sim.credentials.keyId,
    privateKey: loadPrivateKey(sim.credentials.privateKeyPem, 'sim'),
  });
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopeFor(sim.credentials.clientId),
    }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}
