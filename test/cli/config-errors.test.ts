import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { printed, runCli, secretsEnv, writeConfig, type CliResult } from './support';

/** Lines of a PEM body: any one of them in the output would be key material leaking. */
function pemBodyLines(pem: string): string[] {
  return pem
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 16 && !l.startsWith('-----'));
}

describe('abm-sync CLI: config and credential errors', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dir: string;
  let configPath: string;

  before(async () => {
    sandbox = await startSandbox({ devices: 10, seed: 3 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-cli-config-'));
    configPath = writeConfig(sandbox, dir, 'valid');
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The simulator secrets and key as a user's shell would hold them. */
  const allSecrets = () => ({ ...secretsEnv(sandbox), ABM_PRIVATE_KEY: sandbox.env.ABM_PRIVATE_KEY });

  function assertNoSecretPrinted(r: CliResult): void {
    const out = r.stdout + r.stderr;
    assert.ok(!out.includes(sandbox.env.ASSETPANDA_API_SECRET), `the API secret is printed:\n${printed(r)}`);
    assert.ok(!out.includes(sandbox.env.ASSETPANDA_API_KEY), `the API key is printed:\n${printed(r)}`);
    for (const line of pemBodyLines(sandbox.env.ABM_PRIVATE_KEY)) {
      assert.ok(!out.includes(line), `ABM key material is printed:\n${printed(r)}`);
    }
    assert.ok(!/BEGIN [A-Z ]*PRIVATE KEY/.test(out), `a PEM block is printed:\n${printed(r)}`);
  }

  it('a missing --config file exits 1, naming the path and how to give a config', async () => {
    const missing = path.join(dir, 'nowhere', 'abm-sync.json');
    const r = await runCli(['status', '--config', missing], { env: allSecrets() });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, new RegExp(`Config ${missing.replace(/[.\\/]/g, '\\$&')}`));
    assert.match(r.stderr, /does not exist/);
    assert.match(r.stderr, /--config PATH/);
    assert.match(r.stderr, /ABM_SYNC_CONFIG/);
    assert.equal(r.stdout, '');
    assertNoSecretPrinted(r);
  });

  it('without --config it reads $ABM_SYNC_CONFIG and names that path when the file is missing', async () => {
    const fromEnv = path.join(dir, 'from-env.json');
    const r = await runCli(['status'], { env: { ABM_SYNC_CONFIG: fromEnv } });
    assert.equal(r.code, 1, printed(r));
    assert.ok(r.stderr.includes(fromEnv), printed(r));
  });

  it('without --config or $ABM_SYNC_CONFIG it names ./abm-sync.config.json of the working folder', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-cli-cwd-'));
    try {
      const r = await runCli(['test-connection'], { cwd, env: allSecrets() });
      assert.equal(r.code, 1, printed(r));
      assert.ok(r.stderr.includes(path.join(cwd, 'abm-sync.config.json')), printed(r));
      assert.match(r.stderr, /does not exist/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a config file that is not JSON exits 1 saying so', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "abm": { ');
    const r = await runCli(['status', '--config', file], { env: allSecrets() });
    assert.equal(r.code, 1, printed(r));
    assert.ok(r.stderr.includes(file), printed(r));
    assert.match(r.stderr, /not valid JSON/);
  });

  it('a config with several problems reports every one at once, each with its JSON path', async () => {
    const file = path.join(dir, 'several-problems.json');
    writeFileSync(
      file,
      JSON.stringify({
        abm: { clientId: 'not-a-client-id', keyId: 'k1' },
        assetPanda: { module: 'IT Assets' },
        mappings: [
          {
            id: 'devices',
            collection: 'Apple Devices',
            uniqueIdentifier: 'imei',
            fields: { serialNumber: 'Serial Number', colour: 'Color' },
          },
        ],
      }),
    );
    const r = await runCli(['test-connection', '--config', file], { env: allSecrets() });
    assert.equal(r.code, 1, printed(r));
    const problems = r.stderr.split('\n').filter((l) => l.startsWith('  - '));
    const paths = problems.map((l) => l.slice(4, l.indexOf(':')));
    assert.deepEqual(
      [...paths].sort(),
      ['abm.clientId', 'assetPanda.account', 'mappings[0].fields', 'mappings[0].uniqueIdentifier'],
      printed(r),
    );
    assert.match(r.stderr, /has 4 problem/);
    assert.match(r.stderr, /abm\.clientId: must start with "BUSINESSAPI\." or "SCHOOLAPI\."/);
    assert.match(r.stderr, /mappings\[0\]\.uniqueIdentifier: "imei" must also be mapped under "fields"/);
    assert.match(r.stderr, /mappings\[0\]\.fields: .*"colour"/);
    assertNoSecretPrinted(r);
  });

  it('missing ASSETPANDA_API_KEY and ASSETPANDA_API_SECRET exit 1, naming both variables', async () => {
    const r = await runCli(['test-connection', '--config', configPath], {
      env: { ABM_PRIVATE_KEY: sandbox.env.ABM_PRIVATE_KEY },
    });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /ASSETPANDA_API_KEY is not set/);
    assert.match(r.stderr, /ASSETPANDA_API_SECRET is not set/);
    assertNoSecretPrinted(r);
  });

  it('a missing API key is named without printing the API secret that is set, or the ABM key', async () => {
    const r = await runCli(['test-connection', '--config', configPath], {
      env: {
        ASSETPANDA_API_SECRET: sandbox.env.ASSETPANDA_API_SECRET,
        ABM_PRIVATE_KEY: sandbox.env.ABM_PRIVATE_KEY,
      },
    });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /ASSETPANDA_API_KEY is not set/);
    assert.doesNotMatch(r.stderr, /ASSETPANDA_API_SECRET is not set/);
    assertNoSecretPrinted(r);
  });

  it('an unusable ABM_PRIVATE_KEY is named without echoing what it holds', async () => {
    const notAKey = 'ZmFrZS1rZXktbWF0ZXJpYWwtdGhhdC1tdXN0LW5vdC1sZWFr';
    const r = await runCli(['test-connection', '--config', configPath], {
      env: { ...secretsEnv(sandbox), ABM_PRIVATE_KEY: notAKey },
    });
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /ABM_PRIVATE_KEY is unusable/);
    assert.ok(!(r.stdout + r.stderr).includes(notAKey), printed(r));
    assertNoSecretPrinted(r);
  });

  it('an unknown command exits 1 and shows the help', async () => {
    const r = await runCli(['synk', '--config', configPath]);
    assert.equal(r.code, 1, printed(r));
    assert.match(r.stderr, /unknown command 'synk'/);
    assert.match(r.stderr, /Usage: abm-sync/);
  });
});
