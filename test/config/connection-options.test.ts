import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type LoadedConfig } from '../../src/config/load';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';
import { minimalConfigJson } from '../support/config-fixture';

function loaded(temporal: Record<string, unknown>, dir = '/nonexistent'): LoadedConfig {
  const config = parseConfig({ ...minimalConfigJson, temporal }, 'test', {});
  return { config, path: path.join(dir, 'abm-sync.config.json'), dir };
}

describe('Temporal connection options', () => {
  it('connects in plain text to the configured address by default', () => {
    assert.deepEqual(temporalConnectionOptions(loaded({ address: 'temporal:7233' }), {}), {
      address: 'temporal:7233',
    });
  });

  it('uses TLS with the API key from TEMPORAL_API_KEY, which never comes from the file', () => {
    const o = temporalConnectionOptions(loaded({ address: 'ns.acct.tmprl.cloud:7233' }), {
      TEMPORAL_API_KEY: 'key-123',
    });
    assert.deepEqual(o, { address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key-123', tls: true });
  });

  it('keeps an API key in plain text when the config says tls: false', () => {
    const o = temporalConnectionOptions(loaded({ address: 'proxy:7233', tls: false }), {
      TEMPORAL_API_KEY: 'key-123',
    });
    assert.deepEqual(o, { address: 'proxy:7233', apiKey: 'key-123' });
  });

  it('reads mTLS files relative to the config file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-tls-'));
    try {
      writeFileSync(path.join(dir, 'client.pem'), 'CERT');
      writeFileSync(path.join(dir, 'client.key'), 'KEY');
      const o = temporalConnectionOptions(
        loaded(
          {
            address: 'temporal:7233',
            tls: { clientCertFile: 'client.pem', clientKeyFile: 'client.key', serverName: 'temporal' },
          },
          dir,
        ),
        {},
      );
      assert.ok(o.tls && typeof o.tls === 'object');
      assert.equal(String(o.tls.clientCertPair?.crt), 'CERT');
      assert.equal(String(o.tls.clientCertPair?.key), 'KEY');
      assert.equal(o.tls.serverNameOverride, 'temporal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the TLS field and the path when a file cannot be read', () => {
    assert.throws(
      () => temporalConnectionOptions(loaded({ tls: { serverRootCaFile: 'ca.pem' } }, '/nonexistent'), {}),
      /temporal\.tls\.serverRootCaFile: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    );
  });

  it('refuses a client certificate without its key', () => {
    assert.throws(
      () => loaded({ tls: { clientCertFile: 'client.pem' } }),
      /temporal\.tls: give both clientCertFile and clientKeyFile/,
    );
  });
});
