import { randomUUID } from 'node:crypto';
import type { SimOrgDevice } from './faults';
import type { SimDevice } from './fleet';

/** Attribute names in the order Apple lists (and sends) them. */
export const ORG_DEVICE_ATTRIBUTES = [
  'serialNumber',
  'addedToOrgDateTime',
  'releasedFromOrgDateTime',
  'updatedDateTime',
  'deviceModel',
  'productFamily',
  'productType',
  'deviceCapacity',
  'partNumber',
  'orderNumber',
  'color',
  'status',
  'orderDateTime',
  'imei',
  'meid',
  'eid',
  'wifiMacAddress',
  'bluetoothMacAddress',
  'ethernetMacAddress',
  'purchaseSourceId',
  'purchaseSourceType',
] as const;
const RELATIONSHIPS = ['assignedServer', 'appleCareCoverage'] as const;
export const ORG_DEVICE_FIELDS: ReadonlySet<string> = new Set<string>([
  ...ORG_DEVICE_ATTRIBUTES,
  ...RELATIONSHIPS,
]);

/**
 * One device as `OrgDevice`. `releasedFromOrgDateTime` only appears on single-device reads: Apple
 * says list queries do not support it yet (spec 3).
 */
export function orgDevice(
  d: SimDevice,
  base: string,
  fields: ReadonlySet<string> | undefined,
  single: boolean,
): SimOrgDevice {
  const wanted = (name: string): boolean => !fields || fields.has(name);
  const attributes: Record<string, unknown> = {};
  const record = d as unknown as Record<string, unknown>;
  for (const name of ORG_DEVICE_ATTRIBUTES) {
    if (!wanted(name)) continue;
    if (name === 'releasedFromOrgDateTime') {
      if (single) attributes[name] = null;
      continue;
    }
    if (record[name] !== undefined) attributes[name] = record[name];
  }
  const self = `${base}/v1/orgDevices/${encodeURIComponent(d.serialNumber)}`;
  const relationships: Record<string, unknown> = {};
  if (wanted('assignedServer')) {
    relationships.assignedServer = {
      links: { self: `${self}/relationships/assignedServer`, related: `${self}/assignedServer` },
    };
  }
  if (wanted('appleCareCoverage'))
    relationships.appleCareCoverage = { links: { related: `${self}/appleCareCoverage` } };
  const out: SimOrgDevice = { type: 'orgDevices', id: d.serialNumber, attributes, links: { self } };
  if (Object.keys(relationships).length > 0) out.relationships = relationships;
  return out;
}

export interface AppleError {
  status: number;
  code: string;
  title: string;
  detail: string;
  parameter?: string;
}

/** Apple's `ErrorResponse`. */
export function errorResponse(e: AppleError): { errors: Record<string, unknown>[] } {
  const item: Record<string, unknown> = {
    id: randomUUID(),
    status: String(e.status),
    code: e.code,
    title: e.title,
    detail: e.detail,
  };
  if (e.parameter) item.source = { parameter: e.parameter };
  return { errors: [item] };
}

export const invalidParameter = (parameter: string, detail: string): AppleError => ({
  status: 400,
  code: 'PARAMETER_ERROR.INVALID',
  title: 'A parameter has an invalid value',
  detail,
  parameter,
});
