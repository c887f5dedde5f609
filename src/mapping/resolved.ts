import type { ColumnType } from '../assetpanda';
import type { AbmFieldKey } from '../config/schema';

/** One mapped field with its column resolved to an id. Plain JSON: it travels through Temporal. */
export interface ResolvedField {
  field: AbmFieldKey;
  columnId: string;
  columnName: string;
  type: ColumnType;
  options?: string[];
}

export interface ResolvedMapping {
  mappingId: string;
  identifier: { field: AbmFieldKey; columnId: string; columnName: string };
  /** Every mapped field, the identifier included. */
  fields: ResolvedField[];
}
