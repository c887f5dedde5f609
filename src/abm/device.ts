import { z } from 'zod';

/** ISO-8601 timestamps, with or without milliseconds; kept as sent (strings survive JSON and history). */
const timestamp = z.iso.datetime({ offset: true }).nullish();
const text = z.string().nullish();
/** Apple documents these as arrays; older payloads (and some tools) send a lone string. */
const stringList = z
  .union([z.array(z.string()), z.string()], { error: 'expected a list of strings (or a single string)' })
  .nullish()
  .transform((v) => (typeof v === 'string' ? [v] : v));

/** `OrgDevice.attributes` as ABM sends it. Unknown attributes are ignored (Apple adds them without a version bump). */
export const orgDeviceAttributesSchema = z
  .object({
    serialNumber: text,
    addedToOrgDateTime: timestamp,
    releasedFromOrgDateTime: timestamp,
    updatedDateTime: timestamp,
    deviceModel: text,
    productFamily: text,
    productType: text,
    deviceCapacity: text,
    partNumber: text,
    orderNumber: text,
    color: text,
    status: text,
    orderDateTime: timestamp,
    imei: stringList,
    meid: stringList,
    eid: text,
    wifiMacAddress: text,
    bluetoothMacAddress: text,
    ethernetMacAddress: stringList,
    purchaseSourceId: text,
    /** Apple's own example spells it this way; read as purchaseSourceId. */
    purchaseSourceUid: text,
    purchaseSourceType: text,
  })
  .transform(({ purchaseSourceUid, ...rest }) => ({
    ...rest,
    purchaseSourceId: rest.purchaseSourceId ?? purchaseSourceUid,
  }));

export const orgDeviceSchema = z.object({
  type: z.literal('orgDevices'),
  id: z.string().min(1),
  attributes: z.preprocess((v) => v ?? {}, orgDeviceAttributesSchema),
});

/**
 * One device as abm-sync carries it: the ABM id plus the attributes asked for. Absent attributes are
 * left out (not null) so pages stay small in workflow history.
 */
export type AbmDevice = { id: string } & Partial<{
  serialNumber: string;
  addedToOrgDateTime: string;
  releasedFromOrgDateTime: string;
  updatedDateTime: string;
  deviceModel: string;
  productFamily: string;
  productType: string;
  deviceCapacity: string;
  partNumber: string;
  orderNumber: string;
  color: string;
  status: string;
  orderDateTime: string;
  imei: string[];
  meid: string[];
  eid: string;
  wifiMacAddress: string;
  bluetoothMacAddress: string;
  ethernetMacAddress: string[];
  purchaseSourceId: string;
  purchaseSourceType: string;
}>;

export function toAbmDevice(raw: z.infer<typeof orgDeviceSchema>): AbmDevice {
  const device: Record<string, unknown> = { id: raw.id };
  for (const [k, v] of Object.entries(raw.attributes)) {
    if (v !== null && v !== undefined) device[k] = v;
  }
  return device as AbmDevice;
}
