import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AbmDevicePage } from '../../src/abm';
import { startRig, type SimRig } from './support';

/** A real gc() even when mocha runs without --expose-gc, so heap readings are not garbage noise. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const MiB = 1024 * 1024;

/**
 * Walks the fleet and returns the live heap growth between the end of page `from` and the end of
 * page `to` (after full collections). `keep` makes the consumer hold on to pages, to show the
 * measurement notices when memory is not flat.
 */
async function heapGrowth(
  rig: SimRig,
  from: number,
  to: number,
  keep: boolean,
): Promise<{ growth: number; devices: number }> {
  const gc = collector();
  const kept: AbmDevicePage[] = [];
  let pages = 0;
  let devices = 0;
  let base = 0;
  for await (const page of rig.client().pages({ limit: 1000 })) {
    pages++;
    devices += page.devices.length;
    if (keep && pages > from) kept.push(page);
    if (pages === from) {
      gc();
      base = process.memoryUsage().heapUsed;
    }
    if (pages === to) break;
  }
  gc();
  const growth = process.memoryUsage().heapUsed - base;
  assert.ok(kept.length === 0 || kept.length === to - from);
  return { growth, devices };
}

describe('ABM client: memory while paging a large fleet', function () {
  this.timeout(60_000);
  let rig: SimRig;

  before(async () => {
    rig = await startRig({ devices: 100_000, seed: 'memory' });
  });
  after(async () => {
    await rig.close();
  });

  it('pages through 100,000 devices with flat memory', async () => {
    const { growth, devices } = await heapGrowth(rig, 10, 100, false);
    assert.equal(devices, 100_000);
    assert.ok(growth < 8 * MiB, `heap grew by ${(growth / MiB).toFixed(1)} MiB over 90 pages`);
  });

  it('would notice a consumer that keeps the pages it was given', async () => {
    // The control for the test above: 20,000 retained devices must show clearly in the same measurement.
    const { growth } = await heapGrowth(rig, 5, 25, true);
    assert.ok(growth > 8 * MiB, `retaining 20 pages grew the heap by only ${(growth / MiB).toFixed(1)} MiB`);
  });
});
