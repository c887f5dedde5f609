export {
  FIELD_CATALOGUE,
  catalogueField,
  type CatalogueField,
  type FieldValueType,
  type IdentifierAdvice,
} from './catalogue';
export { fieldsToFetch } from './fields';
export type { ResolvedField, ResolvedMapping } from './resolved';
export { validateMapping, type MappingValidation } from './validate';
export {
  columnValue,
  deviceValues,
  identifierValue,
  normaliseSerial,
  sameValue,
  type RecordOutcome,
  type ValueOutcome,
} from './transform';
export {
  decide,
  planUpsert,
  prepareDevices,
  reportName,
  type Candidate,
  type Decisions,
  type DeviceNote,
  type PlannedCreate,
  type PlannedUpdate,
  type PreparedBatch,
  type UpsertPlan,
} from './planner';
export { upsertDevices, type BatchResult, type UpsertInput } from './executor';
export { dedupeByIdentifier } from './dedupe';
