import { Rng, hashSeed } from '../shared/prng';
import {
  APPLE_OUIS,
  FAMILY_WEIGHTS,
  MODELS_BY_FAMILY,
  PART_REGIONS,
  SERIAL_SITES,
  type CatalogModel,
} from './catalog';

/** A simulated device: the attributes ABM's list returns, in Apple's order. Absent keys are not sent. */
export interface SimDevice {
  serialNumber: string;
  addedToOrgDateTime: string;
  updatedDateTime: string;
  deviceModel: string;
  productFamily: string;
  productType: string;
  deviceCapacity: string;
  partNumber?: string;
  orderNumber?: string;
  color: string;
  status: 'ASSIGNED' | 'UNASSIGNED';
  orderDateTime?: string;
  imei?: string[];
  meid?: string[];
  eid?: string;
  wifiMacAddress?: string;
  bluetoothMacAddress?: string;
  ethernetMacAddress?: string[];
  purchaseSourceId?: string;
  purchaseSourceType?: 'APPLE' | 'RESELLER' | 'MANUALLY_ADDED';
}

/** A change to a device; `null` removes an attribute. The serial number is the id and cannot change. */
export type SimDevicePatch = { [K in Exclude<keyof SimDevice, 'serialNumber'>]?: SimDevice[K] | null };

/** Serial characters: Apple leaves out I and O. */
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const B = SERIAL_ALPHABET.length;
/** Five characters of every serial encode the device's position, which makes serials unique by construction. */
const UNIQUE_CHARS = 5;
const UNIQUE_SPACE = B ** UNIQUE_CHARS;

const DAY = 86_400_000;

/**
 * The fleet, generated lazily: device i is a pure function of (seed, i), and only edits, removals
 * and additions are stored. 100,000 devices cost nothing until they are read, one page at a time.
 * Positions only grow, so "everything after position p" stays a correct cursor while the fleet
 * is edited between (or during) syncs.
 */
export class SimFleet {
  private readonly seed: string;
  private readonly referenceTime: number;
  private readonly mul: number;
  private readonly mulInverse: bigint;
  private readonly offset: number;
  private readonly purchaseSources: ReadonlyArray<{ id: string; type: 'APPLE' | 'RESELLER' }>;
  private readonly now: () => number;
  private readonly removed = new Set<number>();
  private readonly patches = new Map<number, SimDevicePatch>();
  private end: number;

  constructor(opts: { devices: number; seed: number | string; referenceTime?: Date; now?: () => number }) {
    if (!Number.isInteger(opts.devices) || opts.devices < 0 || opts.devices > UNIQUE_SPACE) {
      throw new RangeError(`devices must be an integer from 0 to ${UNIQUE_SPACE}`);
    }
    this.seed = String(opts.seed);
    this.referenceTime = (opts.referenceTime ?? new Date('2026-01-01T00:00:00Z')).getTime();
    this.now = opts.now ?? Date.now;
    this.end = opts.devices;
    const rng = new Rng(hashSeed('fleet', this.seed));
    // An affine map i -> (mul*i + offset) mod B^5 is a bijection when mul is coprime with B (34 = 2*17).
    let mul = rng.int(1_000_003, UNIQUE_SPACE - 1);
    while (mul % 2 === 0 || mul % 17 === 0) mul++;
    this.mul = mul;
    this.mulInverse = modInverse(BigInt(mul), BigInt(UNIQUE_SPACE));
    this.offset = rng.int(0, UNIQUE_SPACE - 1);
    this.purchaseSources = [
      { id: rng.digits(7), type: 'APPLE' },
      { id: rng.digits(7), type: 'APPLE' },
      { id: `-${rng.digits(16)}`, type: 'RESELLER' },
      { id: rng.digits(8), type: 'RESELLER' },
    ];
  }

  /** Devices currently in the organisation. */
  get size(): number {
    return this.end - this.removed.size;
  }

  /** Every device, materialised: meant for small fleets and assertions in tests. */
  all(): SimDevice[] {
    return [...this.entries()].map(([, d]) => d);
  }

  /** Devices in position order, generated as they are read. */
  *entries(after = -1): Generator<[position: number, device: SimDevice]> {
    for (let i = Math.max(0, after + 1); i < this.end; i++) {
      if (!this.removed.has(i)) yield [i, this.at(i)];
    }
  }

  /** Up to `limit` devices after `after`, and whether any follow. */
  page(after: number, limit: number): { devices: SimDevice[]; last: number; more: boolean } {
    const devices: SimDevice[] = [];
    let last = after;
    let i = Math.max(0, after + 1);
    for (; i < this.end && devices.length < limit; i++) {
      if (this.removed.has(i)) continue;
      devices.push(this.at(i));
      last = i;
    }
    for (; i < this.end; i++) if (!this.removed.has(i)) return { devices, last, more: true };
    return { devices, last, more: false };
  }

  get(serial: string): SimDevice | undefined {
    const i = this.position(serial);
    return i === undefined ? undefined : this.at(i);
  }

  /** Changes a device the way ABM would: `updatedDateTime` moves forward unless the patch sets it. */
  edit(serial: string, patch: SimDevicePatch): SimDevice {
    const i = this.position(serial);
    if (i === undefined) throw new Error(`no device with serial ${serial}`);
    if ('serialNumber' in patch) throw new Error('the serial number is the device id and cannot be edited');
    const before = this.at(i);
    const merged: SimDevicePatch = { ...this.patches.get(i), ...patch };
    if (patch.updatedDateTime === undefined) {
      merged.updatedDateTime = new Date(
        Math.max(this.now(), Date.parse(before.updatedDateTime) + 1),
      ).toISOString();
    }
    this.patches.set(i, merged);
    return this.at(i);
  }

  /** Adds `n` devices at the end of the order, as if just purchased; returns them. */
  add(n: number): SimDevice[] {
    if (this.end + n > UNIQUE_SPACE) throw new RangeError('fleet is full');
    const stamp = new Date(this.now()).toISOString();
    const added: SimDevice[] = [];
    for (let k = 0; k < n; k++) {
      const i = this.end++;
      const order = new Date(Math.floor(this.now() / DAY) * DAY - 3 * DAY + 7 * 3_600_000);
      this.patches.set(i, {
        addedToOrgDateTime: stamp,
        updatedDateTime: stamp,
        orderDateTime: order.toISOString().replace('.000Z', 'Z'),
      });
      added.push(this.at(i));
    }
    return added;
  }

  /** Releases a device from the organisation; false when it was not there. */
  remove(serial: string): boolean {
    const i = this.position(serial);
    if (i === undefined) return false;
    this.removed.add(i);
    return true;
  }

  /** Position of a serial, decoded from its unique characters; undefined when not in the fleet. */
  private position(serial: string): number | undefined {
    const block = serial.length === 12 ? serial.slice(5, 10) : serial.length === 10 ? serial.slice(2, 7) : '';
    if (block.length !== UNIQUE_CHARS) return undefined;
    let v = 0;
    for (const ch of block) {
      const d = SERIAL_ALPHABET.indexOf(ch);
      if (d < 0) return undefined;
      v = v * B + d;
    }
    const space = BigInt(UNIQUE_SPACE);
    const i = Number((((BigInt(v - this.offset) % space) + space) * this.mulInverse) % space);
    if (i >= this.end || this.removed.has(i)) return undefined;
    return this.serialAt(i, new Rng(hashSeed(this.seed, i))) === serial ? i : undefined;
  }

  private uniqueBlock(i: number): string {
    let v = (this.mul * i + this.offset) % UNIQUE_SPACE;
    let s = '';
    for (let k = 0; k < UNIQUE_CHARS; k++) {
      s = SERIAL_ALPHABET[v % B] + s;
      v = Math.floor(v / B);
    }
    return s;
  }

  /**
   * Older devices carry 12-character serials (site, year, week, unit, model); devices since 2021
   * carry randomised 10-character ones. The serial is drawn first so `position` can recompute it.
   */
  private serialAt(i: number, rng: Rng): string {
    const model = pickModel(rng);
    const block = this.uniqueBlock(i);
    if (model.year >= 2021) return rng.chars(2, SERIAL_ALPHABET) + block + rng.chars(3, SERIAL_ALPHABET);
    return rng.pick(SERIAL_SITES) + rng.chars(2, SERIAL_ALPHABET) + block + rng.chars(2, SERIAL_ALPHABET);
  }

  private at(i: number): SimDevice {
    const rng = new Rng(hashSeed(this.seed, i));
    const serialNumber = this.serialAt(i, rng);
    // serialAt consumed the model pick; replay it from a fresh generator with the same seed.
    const model = pickModel(new Rng(hashSeed(this.seed, i)));
    const base = this.generate(serialNumber, model, rng);
    const patch = this.patches.get(i);
    if (!patch) return base;
    const merged: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else if (v !== undefined) merged[k] = v;
    }
    return merged as unknown as SimDevice;
  }

  private generate(serialNumber: string, model: CatalogModel, rng: Rng): SimDevice {
    const cellular = rng.chance(model.cellularShare);
    const releaseStart = Date.UTC(model.year, 8, 1);
    const latest = this.referenceTime - 30 * DAY;
    const orderDay = Math.floor(Math.min(latest, releaseStart + rng.next() * 4 * 365 * DAY) / DAY);
    const orderDateTime = orderDay * DAY + 7 * 3_600_000;
    const added = orderDateTime + rng.int(1, 20) * DAY + rng.int(0, 86_399_999);
    const updated = added + Math.floor(rng.next() * (this.referenceTime - added));
    const manual = rng.chance(0.04);
    const source = rng.pick(this.purchaseSources);
    const region = rng.pick(PART_REGIONS);
    const device: SimDevice = {
      serialNumber,
      addedToOrgDateTime: timestamp(added, rng.chance(0.8)),
      updatedDateTime: timestamp(updated, rng.chance(0.8)),
      deviceModel: model.deviceModel,
      productFamily: model.family,
      productType: cellular && model.cellularProductType ? model.cellularProductType : model.productType,
      deviceCapacity: rng.pick(model.capacities),
      color: rng.pick(model.colors),
      status: rng.chance(0.7) ? 'ASSIGNED' : 'UNASSIGNED',
    };
    if (!manual) {
      device.partNumber = `${rng.chance(0.05) ? 'F' : 'M'}${rng.chars(4, SERIAL_ALPHABET)}${region}`;
      device.orderNumber = source.type === 'APPLE' ? rng.digits(10) : `PO-${rng.digits(6)}`;
      device.orderDateTime = timestamp(orderDateTime, false);
    }
    if (cellular) {
      const tac = `35${rng.digits(6)}`;
      device.imei = Array.from({ length: model.imeiCount }, () => luhn(tac + rng.digits(6)));
      if (model.meid) device.meid = [device.imei[0].slice(0, 14)];
      device.eid = `89049032${rng.digits(24)}`;
    }
    device.wifiMacAddress = mac(rng);
    device.bluetoothMacAddress = mac(rng);
    if (model.ethernetPorts > 0)
      device.ethernetMacAddress = Array.from({ length: model.ethernetPorts }, () => mac(rng));
    if (manual) {
      device.purchaseSourceType = 'MANUALLY_ADDED';
    } else {
      device.purchaseSourceId = source.id;
      device.purchaseSourceType = source.type;
    }
    return device;
  }
}

function pickModel(rng: Rng): CatalogModel {
  const family = rng.weighted(FAMILY_WEIGHTS);
  return rng.pick(MODELS_BY_FAMILY.get(family) ?? []);
}

/** ABM sends some timestamps with milliseconds and some without. */
function timestamp(ms: number, withMillis: boolean): string {
  const iso = new Date(ms).toISOString();
  return withMillis ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
}

function mac(rng: Rng): string {
  const tail = rng.hex(6, false);
  return `${rng.pick(APPLE_OUIS).toLowerCase()}:${tail.slice(0, 2)}:${tail.slice(2, 4)}:${tail.slice(4, 6)}`;
}

/** Appends the Luhn check digit that makes a 14-digit body a valid IMEI. */
function luhn(body: string): string {
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = body.charCodeAt(body.length - 1 - k) - 48;
    if (k % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
