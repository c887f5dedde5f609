import assert from 'node:assert/strict';
import { ConfigError, parseConfig, pickMapping } from '../../src/config/load';
import { minimalConfigJson } from '../support/config-fixture';

const valid = minimalConfigJson;

describe('config loading', () => {
  it('fills in the documented Temporal defaults', () => {
    const c = parseConfig(valid, 'test', {});
    assert.deepEqual(c.temporal, { address: 'localhost:7233', namespace: 'default', taskQueue: 'abm-sync' });
    assert.equal(c.assetPanda.baseUrl, 'https://api.assetpanda.app');
  });

  it('lets TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE override the file', () => {
    const c = parseConfig(valid, 'test', { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'it' });
    assert.equal(c.temporal.address, 'temporal:7233');
    assert.equal(c.temporal.namespace, 'it');
    assert.equal(c.temporal.taskQueue, 'abm-sync');
  });

  it('reports every problem at once, each with its JSON path', () => {
    const bad = {
      ...valid,
      abm: { ...valid.abm, clientId: 'ACME.123' },
      mappings: [{ ...valid.mappings[0], uniqueIdentifier: 'imei', syncDirection: 'both-ways' }],
    };
    assert.throws(
      () => parseConfig(bad, 'test', {}),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.problems.join('\n');
        assert.match(text, /^abm\.clientId: must start with "BUSINESSAPI\." or "SCHOOLAPI\."/m);
        assert.match(text, /^mappings\[0\]\.syncDirection: only "abm-to-assetpanda" is supported/m);
        assert.ok(err.problems.length >= 2);
        return true;
      },
    );
  });

  it('asks for --mapping when the config has several mappings and none is named', () => {
    const two = parseConfig(
      { ...valid, mappings: [valid.mappings[0], { ...valid.mappings[0], id: 'ipads' }] },
      'test',
      {},
    );
    assert.throws(() => pickMapping(two), /choose one with --mapping ID/);
    assert.equal(pickMapping(two, 'ipads').id, 'ipads');
    assert.throws(() => pickMapping(two, 'macs'), /no mapping "macs".*apple-devices, ipads/);
  });
});
