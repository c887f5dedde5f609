import type { CollectionTarget, Column, ColumnType } from '../assetpanda';
import type { AbmFieldKey, MappingConfig } from '../config/schema';
import { catalogueField, type FieldValueType } from './catalogue';
import type { ResolvedField, ResolvedMapping } from './resolved';

export interface MappingValidation {
  /** Each one blocks the sync; all are reported at once. */
  problems: string[];
  /** Allowed but worth telling the admin. */
  warnings: string[];
  /** Present only when there are no problems. */
  resolved?: ResolvedMapping;
}

/** Which column types each ABM value type can go into without losing meaning. */
const ACCEPTED_COLUMN_TYPES: Record<FieldValueType, readonly ColumnType[]> = {
  text: ['text', 'barcode', 'list'],
  textList: ['text', 'barcode'],
  datetime: ['datetime', 'date', 'text', 'barcode'],
  enum: ['text', 'barcode', 'list'],
};

const VALUE_TYPE_WORDS: Record<FieldValueType, string> = {
  text: 'text',
  textList: 'a list of text values',
  datetime: 'a date and time',
  enum: 'one of a fixed set of values',
};

/** Identifiers are looked up with exact string matches, so only string columns can hold them. */
const IDENTIFIER_COLUMN_TYPES: readonly ColumnType[] = ['text', 'barcode'];

type ColumnLookup = { column: Column } | { problem: string };

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function findColumn(target: CollectionTarget, wanted: string, where: string): ColumnLookup {
  const byId = target.columns.find((c) => c.id === wanted);
  const key = wanted.trim().toLowerCase();
  const byName = target.columns.filter((c) => c.displayName.trim().toLowerCase() === key);
  const live = byId && !byId.deleted ? [byId] : byName.filter((c) => !c.deleted);
  if (live.length === 1) return { column: live[0] };
  if (live.length > 1) {
    return {
      problem: `${where}: column "${wanted}" is ambiguous in collection "${target.collectionName}" (ids ${live.map((c) => c.id).join(', ')}); use the column id`,
    };
  }
  if (byId || byName.length > 0) {
    return { problem: `${where}: column "${wanted}" is deleted in collection "${target.collectionName}"` };
  }
  const names = target.columns.filter((c) => !c.deleted).map((c) => c.displayName);
  return {
    problem: `${where}: column "${wanted}" does not exist in collection "${target.collectionName}" (columns: ${quoteList(names)})`,
  };
}

/**
 * Checks a mapping against the live collection before any write, and resolves column names to ids.
 * Every problem is reported at once, in the names the admin wrote in the config.
 */
export function validateMapping(mapping: MappingConfig, target: CollectionTarget): MappingValidation {
  const problems: string[] = [];
  const warnings: string[] = [];

  // The schema already restricts both; a config that skipped the schema still gets a clear answer.
  const direction: unknown = mapping.syncDirection;
  if (direction !== undefined && direction !== 'abm-to-assetpanda') {
    problems.push(
      `syncDirection: "${String(direction)}" is not supported; only "abm-to-assetpanda" (ABM to Asset Panda)`,
    );
  }
  const entity: unknown = mapping.externalEntity;
  if (entity !== undefined && entity !== 'devices') {
    problems.push(`externalEntity: "${String(entity)}" is not supported; only "devices"`);
  }

  const resolvedFields: ResolvedField[] = [];
  const writers = new Map<string, AbmFieldKey[]>();
  for (const [key, wanted] of Object.entries(mapping.fields) as [AbmFieldKey, string][]) {
    const where = `fields.${key}`;
    const found = findColumn(target, wanted, where);
    if ('problem' in found) {
      problems.push(found.problem);
      continue;
    }
    const { column } = found;
    const spec = catalogueField(key);
    if (!ACCEPTED_COLUMN_TYPES[spec.valueType].includes(column.type)) {
      problems.push(
        `${where}: ABM's ${spec.name} is ${VALUE_TYPE_WORDS[spec.valueType]} and cannot go into column "${wanted}" of type ${column.type} (use a ${ACCEPTED_COLUMN_TYPES[spec.valueType].join(', ')} column)`,
      );
    }
    if (column.type === 'list' && spec.values) {
      const missing = spec.values.filter(
        (v) => !(column.options ?? []).some((o) => o.toLowerCase() === v.toLowerCase()),
      );
      if (missing.length > 0) {
        warnings.push(
          `${where}: list column "${wanted}" has no option for ${quoteList(missing)}; devices with that ${spec.name} will fail with INVALID_VALUE`,
        );
      }
    }
    if (column.isRequired && spec.presentOn !== 'every device') {
      warnings.push(
        `${where}: column "${wanted}" is required but ABM sends ${spec.name} only for ${spec.presentOn}; creates of the others will fail with REQUIRED`,
      );
    }
    writers.set(column.id, [...(writers.get(column.id) ?? []), key]);
    resolvedFields.push({
      field: key,
      columnId: column.id,
      columnName: column.displayName,
      type: column.type,
      ...(column.options ? { options: [...column.options] } : {}),
    });
  }

  for (const [columnId, keys] of writers) {
    if (keys.length > 1) {
      const name = target.columns.find((c) => c.id === columnId)?.displayName ?? columnId;
      problems.push(
        `fields: ${keys.map((k) => `fields.${k}`).join(' and ')} all write column "${name}"; map one ABM field per column`,
      );
    }
  }

  for (const column of target.columns) {
    if (column.isRequired && !column.deleted && !writers.has(column.id)) {
      problems.push(
        `required column "${column.displayName}" of collection "${target.collectionName}" is left empty by the mapping, so every create would fail with REQUIRED; map an ABM field to it or make it optional in Asset Panda`,
      );
    }
  }

  const idKey = mapping.uniqueIdentifier;
  const idSpec = catalogueField(idKey);
  const idField = resolvedFields.find((f) => f.field === idKey);
  const idWanted = mapping.fields[idKey];
  if (idWanted === undefined) {
    problems.push(`uniqueIdentifier: "${idKey}" must also be mapped under "fields"`);
  }
  if (!idSpec.uniquePerDevice) {
    problems.push(
      `uniqueIdentifier: ABM's ${idSpec.name} ("${idKey}") is not unique per device; use serialNumber (recommended), imei, meid, eid, bluetoothMacAddress or wifiMacAddress`,
    );
  } else if (idKey !== 'serialNumber') {
    const why =
      idSpec.presentOn === 'every device'
        ? ''
        : `; ABM sends ${idSpec.name} only for ${idSpec.presentOn}, and a device without it cannot be synced`;
    warnings.push(
      `uniqueIdentifier: "${idKey}" is allowed, but serialNumber is the recommended identifier${why}`,
    );
  }
  if (idField) {
    const column = target.columns.find((c) => c.id === idField.columnId);
    if (column && !column.isUnique) {
      problems.push(
        `uniqueIdentifier: column "${idWanted}" is not marked unique in collection "${target.collectionName}"; only unique columns can identify records (mark it unique in Asset Panda)`,
      );
    }
    if (column && !IDENTIFIER_COLUMN_TYPES.includes(column.type)) {
      problems.push(
        `uniqueIdentifier: column "${idWanted}" has type ${column.type}; the identifier needs a text or barcode column`,
      );
    }
  }

  if (problems.length > 0 || !idField) return { problems, warnings };
  return {
    problems,
    warnings,
    resolved: {
      mappingId: mapping.id,
      identifier: { field: idKey, columnId: idField.columnId, columnName: idField.columnName },
      fields: resolvedFields,
    },
  };
}
