import { ABM_FIELD_KEYS, type AbmFieldKey, type MappingConfig } from '../config/schema';

/**
 * The ABM attributes a sync must ask for: the mapped ones plus the identifier, the serial (failures
 * are reported by serial) and updatedDateTime (decides which copy of a device listed twice wins).
 */
export function fieldsToFetch(mapping: MappingConfig): AbmFieldKey[] {
  const wanted = new Set<AbmFieldKey>(Object.keys(mapping.fields) as AbmFieldKey[]);
  wanted.add(mapping.uniqueIdentifier);
  wanted.add('serialNumber');
  wanted.add('updatedDateTime');
  return ABM_FIELD_KEYS.filter((k) => wanted.has(k));
}
