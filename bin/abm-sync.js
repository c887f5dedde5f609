#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (lib/, built by `npm ci` through `prepare`), or the TypeScript sources via
// tsx when there is no build (a checkout without `npm run build`).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { WORKER_NODE_FLAGS, hasHeapFlags } = require('../scripts/node-flags');

/** The command word: the first argument that is not an option or an option's value. */
function commandOf(args) {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--config') i += 1;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

function runCli() {
  const compiled = path.join(__dirname, '..', 'lib', 'client.js');
  let cli;
  if (fs.existsSync(compiled) && !process.env.ABM_SYNC_FROM_SOURCE) {
    cli = require(compiled);
  } else {
    require('tsx/cjs');
    cli = require(path.join(__dirname, '..', 'src', 'client.ts'));
  }
  cli.main().then((code) => process.exit(code));
}

// A worker runs with bounded V8 heaps: start it again with them unless heap sizes were chosen.
const args = process.argv.slice(2);
if (commandOf(args) === 'worker' && !hasHeapFlags()) {
  // The IPC channel lets the worker notice if this process dies, even by SIGKILL: it then drains
  // and exits instead of living on as an orphan.
  const child = spawn(process.execPath, [...process.execArgv, ...WORKER_NODE_FLAGS, __filename, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  // The worker drains on SIGINT/SIGTERM; this process only passes them on and reports its exit.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else {
  runCli();
}
