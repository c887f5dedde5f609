'use strict';
// V8 heap settings for a worker. Without them V8 sizes its heaps for the whole machine and collects
// lazily, so a worker that only ever holds one page of devices grows past 300 MiB; with them it
// stays near 200 MiB at the same speed (see README, Performance). One live page never needs more.
const WORKER_NODE_FLAGS = ['--max-old-space-size=192', '--max-semi-space-size=2'];

/** True when the process (or NODE_OPTIONS) already sets its own heap sizes. */
function hasHeapFlags(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS || '') {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((f) => /^--max-(old|semi)-space-size/.test(f));
}

module.exports = { WORKER_NODE_FLAGS, hasHeapFlags };
