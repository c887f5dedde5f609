export { AssetPandaClient, MAX_BATCH_RECORDS, MAX_IN_VALUES, type AssetPandaClientOptions } from './client';
export { resolveByNameOrId } from './resolve';
export {
  COLUMN_TYPES,
  columnSchema,
  columnTypeSchema,
  type Column,
  type ColumnType,
  type RecordError,
  type WriteResult,
} from './schemas';
export type {
  ApRecord,
  AssetPandaApi,
  CollectionRef,
  CollectionTarget,
  ColumnValue,
  RecordStore,
  RecordUpdate,
  RecordValues,
  Tenant,
} from './types';
