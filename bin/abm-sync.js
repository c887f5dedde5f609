#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (lib/, built by `npm ci` through `prepare`), or the TypeScript sources via
// tsx when there is no build (a checkout without `npm run build`).
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'lib', 'client.js');
let cli;
if (fs.existsSync(compiled) && !process.env.ABM_SYNC_FROM_SOURCE) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require(path.join(__dirname, '..', 'src', 'client.ts'));
}
cli.main().then((code) => process.exit(code));
