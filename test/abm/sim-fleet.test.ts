import assert from 'node:assert/strict';
import { orgDeviceSchema } from '../../src/abm';
import { SimFleet, type SimDevice } from '../../src/sim/abm';

const PRODUCT_TYPE: Record<string, RegExp> = {
  Mac: /^(Mac|MacBookPro|iMac)\d+,\d+$/,
  iPhone: /^iPhone\d+,\d+$/,
  iPad: /^iPad\d+,\d+$/,
  Watch: /^Watch\d+,\d+$/,
  AppleTV: /^AppleTV\d+,\d+$/,
  Vision: /^RealityDevice\d+,\d+$/,
};

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('ABM simulator: fleet', () => {
  const fleet = new SimFleet({ devices: 3000, seed: 42 });
  const devices = fleet.all();

  it('is the same for the same seed and different for another', () => {
    assert.deepEqual(new SimFleet({ devices: 50, seed: 42 }).all(), devices.slice(0, 50));
    assert.notDeepEqual(new SimFleet({ devices: 50, seed: 43 }).all(), devices.slice(0, 50));
  });

  it('generates 100,000 devices with unique, realistic serials in well under a few seconds', () => {
    const start = Date.now();
    const big = new SimFleet({ devices: 100_000, seed: 'big' });
    const serials = new Set<string>();
    for (const [, d] of big.entries()) serials.add(d.serialNumber);
    assert.ok(Date.now() - start < 3000, `took ${Date.now() - start} ms`);
    assert.equal(serials.size, 100_000);
    for (const s of [...serials].slice(0, 5000))
      assert.match(s, /^(?:[0-9A-HJ-NP-Z]{10}|[0-9A-HJ-NP-Z]{12})$/);
  });

  it('mixes 12-character and 10-character serials', () => {
    const lengths = new Set(devices.map((d) => d.serialNumber.length));
    assert.deepEqual([...lengths].sort(), [10, 12]);
  });

  it('covers every product family with matching product types', () => {
    const families = new Set(devices.map((d) => d.productFamily));
    assert.deepEqual([...families].sort(), ['AppleTV', 'Mac', 'Vision', 'Watch', 'iPad', 'iPhone']);
    for (const d of devices) assert.match(d.productType, PRODUCT_TYPE[d.productFamily], d.serialNumber);
  });

  it('gives every iPhone IMEIs (valid Luhn), an MEID list and an EID; some iPads and Watches too', () => {
    const cellular = (f: string): SimDevice[] => devices.filter((d) => d.productFamily === f && d.imei);
    assert.equal(cellular('iPhone').length, devices.filter((d) => d.productFamily === 'iPhone').length);
    assert.ok(cellular('iPad').length > 0 && cellular('Watch').length > 0);
    assert.equal(cellular('Mac').length, 0);
    for (const d of cellular('iPhone')) {
      assert.ok(Array.isArray(d.imei) && Array.isArray(d.meid));
      for (const imei of d.imei ?? []) assert.ok(/^\d{15}$/.test(imei) && luhnValid(imei), imei);
      assert.match(d.eid ?? '', /^\d{32}$/);
    }
  });

  it('gives some Macs a list of Ethernet MACs, and other families none', () => {
    const withEthernet = devices.filter((d) => d.ethernetMacAddress);
    assert.ok(withEthernet.length > 0);
    for (const d of withEthernet) {
      assert.equal(d.productFamily, 'Mac');
      for (const mac of d.ethernetMacAddress ?? []) assert.match(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    }
  });

  it('mixes ASSIGNED and UNASSIGNED, purchase source types, and timestamps with and without milliseconds', () => {
    assert.deepEqual([...new Set(devices.map((d) => d.status))].sort(), ['ASSIGNED', 'UNASSIGNED']);
    assert.deepEqual([...new Set(devices.map((d) => d.purchaseSourceType))].sort(), [
      'APPLE',
      'MANUALLY_ADDED',
      'RESELLER',
    ]);
    const stamps = devices.map((d) => d.addedToOrgDateTime);
    assert.ok(stamps.some((s) => /\.\d{3}Z$/.test(s)) && stamps.some((s) => /:\d{2}Z$/.test(s)));
  });

  it('produces devices the client schema accepts', () => {
    for (const d of devices.slice(0, 500)) {
      const parsed = orgDeviceSchema.safeParse({ type: 'orgDevices', id: d.serialNumber, attributes: d });
      assert.ok(parsed.success, d.serialNumber);
    }
  });

  it('finds a device by serial and nothing for a serial it never issued', () => {
    assert.deepEqual(fleet.get(devices[1234].serialNumber), devices[1234]);
    const s = devices[1234].serialNumber;
    const altered = s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');
    assert.equal(fleet.get(altered), undefined);
  });

  it('edits a device and moves its updatedDateTime forward', () => {
    const f = new SimFleet({ devices: 10, seed: 'edit' });
    const before = f.all()[3];
    const after = f.edit(before.serialNumber, {
      status: before.status === 'ASSIGNED' ? 'UNASSIGNED' : 'ASSIGNED',
      color: null,
    });
    assert.notEqual(after.status, before.status);
    assert.equal('color' in after, false);
    assert.ok(Date.parse(after.updatedDateTime) > Date.parse(before.updatedDateTime));
    assert.deepEqual(f.get(before.serialNumber), after);
  });

  it('adds new devices at the end and removes devices', () => {
    const f = new SimFleet({ devices: 10, seed: 'change' });
    const added = f.add(3);
    assert.equal(f.size, 13);
    assert.deepEqual(f.all().slice(10), added);
    assert.deepEqual(f.get(added[0].serialNumber), added[0]);
    const gone = f.all()[2].serialNumber;
    assert.equal(f.remove(gone), true);
    assert.equal(f.remove(gone), false);
    assert.equal(f.size, 12);
    assert.equal(f.get(gone), undefined);
    assert.equal(f.all().length, 12);
  });
});
