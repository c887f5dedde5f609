import type { Column, ColumnType } from '../../assetpanda';
import type { AbmFieldKey, MappingConfig } from '../../config/schema';
import { FIELD_CATALOGUE, type FieldValueType } from '../../mapping/catalogue';
import type { AssetPandaSimulator } from './simulator';
import type { SimColumnSpec } from './store';

export const APPLE_DEVICES = {
  account: 'Acme Corp',
  module: 'IT Assets',
  collection: 'Apple Devices',
} as const;

/** ABM's device statuses plus the option an admin adds to mark devices released from ABM. */
export const STATUS_OPTIONS = ['ASSIGNED', 'UNASSIGNED', 'RELEASED'];

const COLUMN_TYPE_FOR: Record<FieldValueType, ColumnType> = {
  text: 'text',
  textList: 'text',
  datetime: 'datetime',
  enum: 'text',
};

export interface AppleDevicesSeedOptions {
  /** Extra columns people keep by hand; none of them is mapped. Default: "Asset Tag" and "Notes". */
  extraColumns?: SimColumnSpec[];
  /** Display names of columns to mark required besides Serial Number (e.g. "Asset Tag"). */
  required?: string[];
}

export interface AppleDevicesCollection {
  accountId: string;
  moduleId: string;
  collectionId: string;
  columns: Column[];
  /** Column id by display name. */
  columnIds: Record<string, string>;
  /** Column id by the ABM field mapped onto it. */
  fieldColumnIds: Record<AbmFieldKey, string>;
}

/**
 * Seeds account "Acme Corp", module "IT Assets" and collection "Apple Devices" with one column per
 * catalogue field (named as in the catalogue), Serial Number unique and required, Status a list.
 */
export function seedAppleDevicesCollection(
  sim: AssetPandaSimulator,
  opts: AppleDevicesSeedOptions = {},
): AppleDevicesCollection {
  const required = new Set(opts.required ?? []);
  const account = sim.addAccount(APPLE_DEVICES.account);
  const module = sim.addModule(account.id, APPLE_DEVICES.module);
  const fieldColumns: SimColumnSpec[] = FIELD_CATALOGUE.map((f) => ({
    displayName: f.name,
    type: f.key === 'status' ? 'list' : COLUMN_TYPE_FOR[f.valueType],
    isUnique: f.key === 'serialNumber',
    isRequired: f.key === 'serialNumber' || required.has(f.name),
    ...(f.key === 'status' ? { options: STATUS_OPTIONS } : {}),
  }));
  const extra = (
    opts.extraColumns ?? [
      { displayName: 'Asset Tag', type: 'text' },
      { displayName: 'Notes', type: 'text' },
    ]
  ).map((c) => ({ ...c, isRequired: c.isRequired ?? required.has(c.displayName) }));
  const collection = sim.addCollection(account.id, module.id, {
    displayName: APPLE_DEVICES.collection,
    columns: [...fieldColumns, ...extra],
  });
  const columnIds = Object.fromEntries(collection.columns.map((c) => [c.displayName, c.id]));
  const fieldColumnIds = Object.fromEntries(FIELD_CATALOGUE.map((f) => [f.key, columnIds[f.name]])) as Record<
    AbmFieldKey,
    string
  >;
  return {
    accountId: account.id,
    moduleId: module.id,
    collectionId: collection.id,
    columns: collection.columns,
    columnIds,
    fieldColumnIds,
  };
}

/** Every catalogue field onto its column of the seeded collection, identified by serial number. */
export function appleDevicesMapping(): MappingConfig {
  return {
    id: 'apple-devices',
    name: 'Apple Devices',
    collection: APPLE_DEVICES.collection,
    uniqueIdentifier: 'serialNumber',
    fields: Object.fromEntries(FIELD_CATALOGUE.map((f) => [f.key, f.name])),
  };
}
