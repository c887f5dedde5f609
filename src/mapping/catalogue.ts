import type { AbmFieldKey } from '../config/schema';

/** How ABM sends an attribute; decides which column types can take it. */
export type FieldValueType = 'text' | 'textList' | 'datetime' | 'enum';

/** Whether the Asset Panda ABM integration recommends the field as the sync identifier. */
export type IdentifierAdvice = 'recommended' | 'cellular-fleets' | 'alternate' | 'no';

export interface CatalogueField {
  key: AbmFieldKey;
  /** The name Asset Panda's ABM integration shows for the field. */
  name: string;
  valueType: FieldValueType;
  /** One device never shares the value with another, so it can identify a record. */
  uniquePerDevice: boolean;
  /** When the value exists at all (a Wi-Fi-only iPad has no IMEI). */
  presentOn: 'every device' | 'cellular devices' | 'devices with an eSIM' | 'some devices';
  identifier: IdentifierAdvice;
  /** Known values of an enum; a list column should offer them all. */
  values?: readonly string[];
}

const field = (f: CatalogueField): CatalogueField => f;

/** Every ABM device attribute a mapping may use, in the order the integration lists them. */
export const FIELD_CATALOGUE: readonly CatalogueField[] = [
  field({
    key: 'serialNumber',
    name: 'Serial Number',
    valueType: 'text',
    uniquePerDevice: true,
    presentOn: 'every device',
    identifier: 'recommended',
  }),
  field({
    key: 'imei',
    name: 'IMEI',
    valueType: 'textList',
    uniquePerDevice: true,
    presentOn: 'cellular devices',
    identifier: 'cellular-fleets',
  }),
  field({
    key: 'meid',
    name: 'MEID',
    valueType: 'textList',
    uniquePerDevice: true,
    presentOn: 'cellular devices',
    identifier: 'cellular-fleets',
  }),
  field({
    key: 'eid',
    name: 'EID',
    valueType: 'text',
    uniquePerDevice: true,
    presentOn: 'devices with an eSIM',
    identifier: 'no',
  }),
  field({
    key: 'bluetoothMacAddress',
    name: 'Bluetooth MAC Address',
    valueType: 'text',
    uniquePerDevice: true,
    presentOn: 'some devices',
    identifier: 'alternate',
  }),
  field({
    key: 'wifiMacAddress',
    name: 'WiFi MAC Address',
    valueType: 'text',
    uniquePerDevice: true,
    presentOn: 'some devices',
    identifier: 'alternate',
  }),
  field({
    key: 'deviceModel',
    name: 'Device Model',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'productType',
    name: 'Product Type',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'status',
    name: 'Status',
    valueType: 'enum',
    uniquePerDevice: false,
    presentOn: 'every device',
    identifier: 'no',
    values: ['ASSIGNED', 'UNASSIGNED'],
  }),
  field({
    key: 'color',
    name: 'Color',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'addedToOrgDateTime',
    name: 'Added to Org Date Time',
    valueType: 'datetime',
    uniquePerDevice: false,
    presentOn: 'every device',
    identifier: 'no',
  }),
  field({
    key: 'orderNumber',
    name: 'Order Number',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'partNumber',
    name: 'Part Number',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'purchaseSourceId',
    name: 'Purchase Source ID',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'purchaseSourceType',
    name: 'Purchase Source Type',
    valueType: 'enum',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
    values: ['APPLE', 'RESELLER', 'MANUALLY_ADDED'],
  }),
  field({
    key: 'deviceCapacity',
    name: 'Device Capacity',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'productFamily',
    name: 'Product Family',
    valueType: 'text',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'updatedDateTime',
    name: 'Updated Date Time',
    valueType: 'datetime',
    uniquePerDevice: false,
    presentOn: 'every device',
    identifier: 'no',
  }),
  field({
    key: 'orderDateTime',
    name: 'Order Date Time',
    valueType: 'datetime',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'ethernetMacAddress',
    name: 'Ethernet MAC Address',
    valueType: 'textList',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
  field({
    key: 'releasedFromOrgDateTime',
    name: 'Released From Org Date Time',
    valueType: 'datetime',
    uniquePerDevice: false,
    presentOn: 'some devices',
    identifier: 'no',
  }),
];

const BY_KEY = new Map(FIELD_CATALOGUE.map((f) => [f.key, f]));

export function catalogueField(key: AbmFieldKey): CatalogueField {
  const f = BY_KEY.get(key);
  if (!f) throw new Error(`ABM field "${key}" is missing from the catalogue`);
  return f;
}
