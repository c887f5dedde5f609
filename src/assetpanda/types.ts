import type { Column, WriteResult } from './schemas';

export interface Tenant {
  accountId: string;
  moduleId: string;
}

/** Where a mapping writes. Plain JSON: it travels through Temporal as activity input. */
export interface CollectionTarget {
  tenant: Tenant;
  collectionId: string;
  collectionName: string;
  columns: Column[];
}

/** What the admin configured: each one a display name (case-insensitive) or an id. */
export interface CollectionRef {
  account: string;
  module: string;
  collection: string;
}

/** A value a column can hold; `null` clears the column on update. */
export type ColumnValue = string | number | boolean | null;

/** A record keyed by column id, without the server's own id and timestamps. */
export type RecordValues = Record<string, ColumnValue>;

export interface RecordUpdate {
  recordId: string;
  values: RecordValues;
}

/** A stored record: `values` holds every set column, keyed by column id. */
export interface ApRecord {
  id: string;
  createdAt?: string;
  updatedAt?: string;
  values: Record<string, unknown>;
}

/**
 * What the upsert executor needs from a record store. Asset Panda Pro implements it over its
 * collection API; a classic Asset Panda client (groups, `field_N`) can implement it the same way.
 */
export interface RecordStore {
  /** Every record whose `columnId` equals one of `values` (exact, case-sensitive). */
  findByUnique(target: CollectionTarget, columnId: string, values: readonly string[]): Promise<ApRecord[]>;
  /** One result per input record, in input order (`index` is the position in `records`). */
  createRecords(target: CollectionTarget, records: readonly RecordValues[]): Promise<WriteResult[]>;
  updateRecords(target: CollectionTarget, records: readonly RecordUpdate[]): Promise<WriteResult[]>;
}

/** The whole client surface the sync uses: discovery plus the record store. */
export interface AssetPandaApi extends RecordStore {
  discover(ref: CollectionRef): Promise<CollectionTarget>;
  close(): Promise<void>;
}
