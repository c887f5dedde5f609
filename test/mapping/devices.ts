import type { AbmDevice } from '../../src/abm/device';

/** An ABM-like device: a Mac with every common attribute, numbered so serials are unique. */
export function makeDevice(n: number, overrides: Partial<AbmDevice> = {}): AbmDevice {
  const hex = n.toString(16).padStart(6, '0');
  return {
    id: `ABM${String(n).padStart(8, '0')}`,
    serialNumber: `C02T${String(n).padStart(8, '0')}`,
    deviceModel: 'MacBook Air (13-inch, M2, 2022)',
    productFamily: 'Mac',
    productType: 'Mac14,2',
    deviceCapacity: '256GB',
    partNumber: 'MLY33LL/A',
    orderNumber: `ORD-${1000 + (n % 50)}`,
    color: 'MIDNIGHT',
    status: 'ASSIGNED',
    addedToOrgDateTime: '2025-01-02T03:04:05.000Z',
    orderDateTime: '2024-12-30T10:00:00.000Z',
    updatedDateTime: '2025-02-01T12:00:00.000Z',
    purchaseSourceId: '1234567',
    purchaseSourceType: 'APPLE',
    wifiMacAddress: `a0:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:00:01`,
    bluetoothMacAddress: `a0:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:00:02`,
    ethernetMacAddress: [`a0:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:00:03`],
    ...overrides,
  };
}

/** A cellular iPad with two IMEIs, a MEID and an eSIM. */
export function makeCellularDevice(n: number, overrides: Partial<AbmDevice> = {}): AbmDevice {
  return makeDevice(n, {
    deviceModel: 'iPad Pro 11-inch (M4)',
    productFamily: 'iPad',
    productType: 'iPad16,3',
    imei: [`35${String(n).padStart(13, '0')}`, `36${String(n).padStart(13, '0')}`],
    meid: [`35${String(n).padStart(12, '0')}`],
    eid: `8904${String(n).padStart(28, '0')}`,
    ethernetMacAddress: undefined,
    ...overrides,
  });
}

export function makeDevices(count: number, from = 1): AbmDevice[] {
  return Array.from({ length: count }, (_, i) => makeDevice(from + i));
}
