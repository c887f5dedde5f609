import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { TestConnectionResult } from '../../src/shared/types';
import { jsonOf, mappingAs, printed, runCli, secretsEnv, writeConfig } from './support';

describe('abm-sync test-connection', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dir: string;
  let configPath: string;

  before(async () => {
    sandbox = await startSandbox({ devices: 150, seed: 5 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-cli-tc-'));
    configPath = writeConfig(sandbox, dir, 'one-mapping');
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--json against the simulators exits 0 with every check ok', async () => {
    const r = await runCli(['test-connection', '--json', '--config', configPath], {
      env: secretsEnv(sandbox),
    });
    assert.equal(r.code, 0, printed(r));
    const result = jsonOf<TestConnectionResult>(r);
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.checks.map((c) => c.name),
      ['ABM credentials', 'ABM device list', 'Asset Panda collection and mapping'],
    );
    for (const c of result.checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);
  });

  it('without --json prints one line per check, each marked as passed', async () => {
    const r = await runCli(['test-connection', '--config', configPath], { env: secretsEnv(sandbox) });
    assert.equal(r.code, 0, printed(r));
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3, printed(r));
    for (const l of lines) assert.match(l, /^✔ /);
    assert.match(r.stdout, /Apple Devices/);
  });

  it('a wrong Asset Panda secret exits 1; the failed check says to check the key and secret, without printing them', async () => {
    const wrong = 'wrong-secret-7f3a9c1e5b';
    const r = await runCli(['test-connection', '--json', '--config', configPath], {
      env: { ...secretsEnv(sandbox), ASSETPANDA_API_SECRET: wrong },
    });
    assert.equal(r.code, 1, printed(r));
    const result = jsonOf<TestConnectionResult>(r);
    assert.equal(result.ok, false);
    const failed = result.checks.filter((c) => !c.ok);
    assert.deepEqual(
      failed.map((c) => c.name),
      ['Asset Panda collection and mapping'],
    );
    assert.match(failed[0].detail, /ASSETPANDA_API_KEY/);
    assert.match(failed[0].detail, /ASSETPANDA_API_SECRET/);
    const out = r.stdout + r.stderr;
    assert.ok(!out.includes(wrong), 'the secret given is not printed');
    assert.ok(!out.includes(sandbox.env.ASSETPANDA_API_SECRET), 'the real secret is not printed');
    assert.ok(!out.includes(sandbox.env.ASSETPANDA_API_KEY), 'the API key is not printed');
  });

  it('an unreachable Asset Panda exits 1 with every check, the unfinished one naming the address', async () => {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { assetPanda: { baseUrl: string } };
    config.assetPanda.baseUrl = 'http://127.0.0.1:9';
    const unreachable = path.join(dir, 'unreachable.config.json');
    writeFileSync(unreachable, JSON.stringify(config));
    const r = await runCli(['test-connection', '--json', '--config', unreachable], {
      env: secretsEnv(sandbox),
    });
    assert.equal(r.code, 1, printed(r));
    const result = jsonOf<TestConnectionResult>(r);
    assert.deepEqual(
      result.checks.map((c) => [c.name, c.ok]),
      [
        ['ABM credentials', true],
        ['ABM device list', true],
        ['Asset Panda collection and mapping', false],
      ],
    );
    assert.match(result.checks[2].detail, /^could not complete: .*http:\/\/127\.0\.0\.1:9\/accounts/);
  });

  it('an unknown --mapping exits 1, listing the mappings the config has', async () => {
    const r = await runCli(['test-connection', '--mapping', 'no-such-mapping', '--config', configPath], {
      env: secretsEnv(sandbox),
    });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /no mapping "no-such-mapping"/);
    assert.match(r.stderr, /it has: apple-devices/);
  });

  it('with several mappings and no --mapping exits 1, asking for one and listing them', async () => {
    const twoMappings = writeConfig(sandbox, dir, 'two-mappings', {
      mappings: [mappingAs(sandbox, 'laptops'), mappingAs(sandbox, 'phones')],
    });
    const r = await runCli(['test-connection', '--config', twoMappings], { env: secretsEnv(sandbox) });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /2 mappings \(laptops, phones\)/);
    assert.match(r.stderr, /--mapping ID/);
  });
});
