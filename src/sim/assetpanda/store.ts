import type { Column, ColumnType, ColumnValue, RecordError, WriteResult } from '../../assetpanda';

export interface SimColumnSpec {
  id?: string;
  displayName: string;
  type: ColumnType;
  isUnique?: boolean;
  isRequired?: boolean;
  deleted?: boolean;
  options?: string[];
}

export interface SimCollectionSpec {
  id?: string;
  displayName: string;
  isActive?: boolean;
  deleted?: boolean;
  columns: SimColumnSpec[];
}

/** A record as the API shows it: id, timestamps and one key per set column id. */
export type SimRecord = { id: string; createdAt: string; updatedAt: string } & Record<string, ColumnValue>;

export interface DuplicateValue {
  collectionId: string;
  columnId: string;
  value: string;
  recordIds: string[];
}

interface StoredRecord {
  id: string;
  seq: number;
  createdAt: string;
  updatedAt: string;
  values: Record<string, ColumnValue>;
}

export interface Filter {
  columnId: string;
  values: ColumnValue[];
}

const indexKey = (v: unknown): string => `${typeof v}:${String(v)}`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why a column refuses a value, or undefined when it takes it. */
function typeError(column: Column, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  const refuse = (what: string): string => `column '${column.displayName}' takes ${what}, not ${shown}`;
  switch (column.type) {
    case 'text':
    case 'barcode':
      return typeof value === 'string' ? undefined : refuse('text');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : refuse('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : refuse('true or false');
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : refuse('a date YYYY-MM-DD');
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : refuse('an ISO 8601 date and time');
    case 'list':
      return typeof value === 'string' && (column.options ?? []).includes(value)
        ? undefined
        : `column '${column.displayName}' has no option ${shown} (options: ${(column.options ?? []).join(', ')})`;
  }
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';

/** One collection's columns and records, with an index per unique column so writes stay O(batch). */
export class SimCollection {
  readonly columns: Column[];
  private readonly columnsById: Map<string, Column>;
  private readonly records = new Map<string, StoredRecord>();
  private readonly unique = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly accountId: string,
    readonly moduleId: string,
    readonly id: string,
    public displayName: string,
    public isActive: boolean,
    public deleted: boolean,
    columns: Column[],
    private readonly nextRecordId: () => { id: string; seq: number },
    private readonly now: () => string,
  ) {
    this.columns = columns;
    this.columnsById = new Map(columns.map((c) => [c.id, c]));
    for (const c of columns) if (c.isUnique) this.unique.set(c.id, new Map());
  }

  get size(): number {
    return this.records.size;
  }

  all(): SimRecord[] {
    return [...this.records.values()].map(present);
  }

  /** Records matching every filter, in creation order. */
  search(filters: readonly Filter[]): StoredRecord[] {
    const indexed = filters.find((f) => this.unique.has(f.columnId));
    let pool: Iterable<StoredRecord>;
    if (indexed) {
      const index = this.unique.get(indexed.columnId) as Map<string, Set<string>>;
      const ids = new Set<string>();
      for (const v of indexed.values) for (const id of index.get(indexKey(v)) ?? []) ids.add(id);
      pool = [...ids].map((id) => this.records.get(id) as StoredRecord).sort((a, b) => a.seq - b.seq);
    } else {
      pool = this.records.values();
    }
    const out: StoredRecord[] = [];
    for (const r of pool) {
      if (filters.every((f) => f.values.some((v) => r.values[f.columnId] === v))) out.push(r);
    }
    return out;
  }

  create(records: readonly unknown[], enforce = true): WriteResult[] {
    return records.map((input, index) => {
      const values = asValues(input);
      if (!values)
        return failure(index, [{ code: 'INVALID_VALUE', message: 'a record must be a JSON object' }]);
      const errors = enforce ? this.check(values, undefined) : [];
      if (errors.length > 0) return failure(index, errors);
      const { id, seq } = this.nextRecordId();
      const at = this.now();
      const stored: StoredRecord = { id, seq, createdAt: at, updatedAt: at, values: {} };
      for (const [k, v] of Object.entries(values)) if (v !== null) stored.values[k] = v as ColumnValue;
      this.records.set(id, stored);
      this.indexRecord(stored, 'add');
      return { index, success: true as const, id };
    });
  }

  update(records: readonly unknown[]): WriteResult[] {
    return records.map((input, index) => {
      const raw = asValues(input);
      if (!raw) return failure(index, [{ code: 'INVALID_VALUE', message: 'a record must be a JSON object' }]);
      const { recordId, ...values } = raw;
      if (typeof recordId !== 'string') {
        return failure(index, [
          { code: 'INVALID_VALUE', message: 'recordId must name the record to update' },
        ]);
      }
      const stored = this.records.get(recordId);
      if (!stored)
        return failure(index, [{ code: 'NOT_FOUND', message: `record ${recordId} does not exist` }]);
      const errors = this.check(values, stored);
      if (errors.length > 0) return failure(index, errors);
      this.indexRecord(stored, 'remove');
      for (const [k, v] of Object.entries(values)) {
        if (v === null) delete stored.values[k];
        else stored.values[k] = v as ColumnValue;
      }
      stored.updatedAt = this.now();
      this.indexRecord(stored, 'add');
      return { index, success: true as const, id: stored.id };
    });
  }

  duplicates(): DuplicateValue[] {
    const out: DuplicateValue[] = [];
    for (const [columnId, index] of this.unique) {
      for (const [key, ids] of index) {
        if (ids.size > 1) {
          out.push({
            collectionId: this.id,
            columnId,
            value: key.slice(key.indexOf(':') + 1),
            recordIds: [...ids],
          });
        }
      }
    }
    return out;
  }

  column(id: string): Column | undefined {
    return this.columnsById.get(id);
  }

  /** Every reason the values cannot be written; `existing` is the record being updated, if any. */
  private check(values: Record<string, unknown>, existing: StoredRecord | undefined): RecordError[] {
    const errors: RecordError[] = [];
    for (const [columnId, value] of Object.entries(values)) {
      const column = this.columnsById.get(columnId);
      if (!column || column.deleted) {
        errors.push({ code: 'UNKNOWN_COLUMN', message: `column ${columnId} does not exist`, columnId });
        continue;
      }
      if (value === null) continue;
      const wrong = typeError(column, value);
      if (wrong) errors.push({ code: 'INVALID_VALUE', message: wrong, columnId });
    }
    for (const column of this.columns) {
      if (!column.isRequired || column.deleted) continue;
      const after = column.id in values ? values[column.id] : existing?.values[column.id];
      if (isEmpty(after)) {
        errors.push({
          code: 'REQUIRED',
          message: `column '${column.displayName}' has no value`,
          columnId: column.id,
        });
      }
    }
    for (const [columnId, index] of this.unique) {
      const value = values[columnId];
      if (value === undefined || value === null || this.columnsById.get(columnId)?.deleted) continue;
      const holders = [...(index.get(indexKey(value)) ?? [])].filter((id) => id !== existing?.id);
      if (holders.length > 0) {
        const name = this.columnsById.get(columnId)?.displayName ?? columnId;
        errors.push({
          code: 'UNIQUE_VIOLATION',
          message: `column '${name}' already holds ${JSON.stringify(value)} (record ${holders[0]})`,
          columnId,
        });
      }
    }
    return errors;
  }

  private indexRecord(record: StoredRecord, op: 'add' | 'remove'): void {
    for (const [columnId, index] of this.unique) {
      const value = record.values[columnId];
      if (value === undefined || value === null) continue;
      const key = indexKey(value);
      let ids = index.get(key);
      if (op === 'add') {
        if (!ids) index.set(key, (ids = new Set()));
        ids.add(record.id);
      } else if (ids) {
        ids.delete(record.id);
        if (ids.size === 0) index.delete(key);
      }
    }
  }
}

export function present(r: StoredRecord): SimRecord {
  return { ...r.values, id: r.id, createdAt: r.createdAt, updatedAt: r.updatedAt } as SimRecord;
}

function failure(index: number, errors: RecordError[]): WriteResult {
  return { index, success: false, errors };
}

function asValues(input: unknown): Record<string, unknown> | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  return input as Record<string, unknown>;
}
