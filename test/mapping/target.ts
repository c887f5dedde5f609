import type { CollectionTarget, Column } from '../../src/assetpanda';
import type { MappingConfig } from '../../src/config/schema';

export function column(id: string, displayName: string, more: Partial<Column> = {}): Column {
  return { id, displayName, type: 'text', isUnique: false, isRequired: false, deleted: false, ...more };
}

/** A small collection as discovery returns it, for tests that need no server. */
export function smallTarget(columns: Column[] = defaultColumns()): CollectionTarget {
  return {
    tenant: { accountId: 'acc_1', moduleId: 'mod_1' },
    collectionId: 'col_1',
    collectionName: 'Apple Devices',
    columns,
  };
}

export function defaultColumns(): Column[] {
  return [
    column('c_serial', 'Serial Number', { isUnique: true, isRequired: true }),
    column('c_model', 'Model'),
    column('c_imei', 'IMEI', { isUnique: true }),
    column('c_status', 'ABM Status', { type: 'list', options: ['ASSIGNED', 'UNASSIGNED'] }),
    column('c_added', 'Added', { type: 'date' }),
    column('c_updated', 'Last Change', { type: 'datetime' }),
    column('c_count', 'Count', { type: 'number' }),
  ];
}

export function smallMapping(overrides: Partial<MappingConfig> = {}): MappingConfig {
  return {
    id: 'apple-devices',
    collection: 'Apple Devices',
    uniqueIdentifier: 'serialNumber',
    fields: { serialNumber: 'Serial Number', deviceModel: 'Model' },
    ...overrides,
  };
}
