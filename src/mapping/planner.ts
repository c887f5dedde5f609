import type { ApRecord, RecordValues } from '../assetpanda';
import type { AbmDevice } from '../abm/device';
import type { DeviceFailure } from '../shared/types';
import type { ResolvedMapping } from './resolved';
import { deviceValues, identifierValue, normaliseSerial, sameValue } from './transform';

/** A device the report names: by serial, or by ABM id when it has no serial. */
export type DeviceNote = DeviceFailure;

/** A device ready to upsert: its identifier and every mapped column's value (null = empty). */
export interface Candidate {
  key: string;
  serialNumber: string;
  values: RecordValues;
}

export interface PlannedCreate {
  key: string;
  serialNumber: string;
  /** Only columns with a value: an empty column is left unset on create. */
  values: RecordValues;
}

export interface PlannedUpdate {
  key: string;
  serialNumber: string;
  recordId: string;
  /** Only the columns that differ; null clears a column that holds a value. */
  changes: RecordValues;
}

export interface PreparedBatch {
  candidates: Candidate[];
  failures: DeviceNote[];
  /** Worth reporting but not failures: devices listed more than once. */
  notices: DeviceNote[];
}

export interface Decisions {
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  unchanged: Candidate[];
  failures: DeviceNote[];
}

export type UpsertPlan = Decisions & { notices: DeviceNote[]; devicesSeen: number };

export function reportName(device: AbmDevice): string {
  const serial = device.serialNumber?.trim();
  return serial ? normaliseSerial(serial) : `(no serial; ABM id ${device.id})`;
}

/** When ABM last changed the device; devices without a readable time sort first. */
export function updatedAt(device: AbmDevice): number {
  const ms = device.updatedDateTime === undefined ? NaN : Date.parse(device.updatedDateTime);
  return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * Turns a batch into one candidate per identifier. A device listed twice becomes one (the latest
 * `updatedDateTime` wins, the later copy on a tie); a device without an identifier value or with a
 * value its column cannot take fails alone.
 */
export function prepareDevices(devices: readonly AbmDevice[], mapping: ResolvedMapping): PreparedBatch {
  const failures: DeviceNote[] = [];
  const notices: DeviceNote[] = [];
  const winners = new Map<string, { device: AbmDevice; copies: number }>();
  const withoutIdentifier = new Map<string, AbmDevice>();

  for (const device of devices) {
    const key = identifierValue(device, mapping);
    if (key === null) {
      withoutIdentifier.set(device.id, device);
      continue;
    }
    const seen = winners.get(key);
    if (!seen) winners.set(key, { device, copies: 1 });
    else {
      seen.copies += 1;
      if (updatedAt(device) >= updatedAt(seen.device)) seen.device = device;
    }
  }

  for (const device of withoutIdentifier.values()) {
    failures.push({
      serialNumber: reportName(device),
      reason: `NO_IDENTIFIER: ABM sent no ${mapping.identifier.field} for this device, so it cannot be matched to a record in column '${mapping.identifier.columnName}'`,
    });
  }

  const candidates: Candidate[] = [];
  for (const [key, { device, copies }] of winners) {
    const serialNumber = reportName(device);
    if (copies > 1) {
      notices.push({
        serialNumber,
        reason: `listed ${copies} times in one batch; synced once from the copy updated ${device.updatedDateTime ?? 'at an unknown time'}`,
      });
    }
    const outcome = deviceValues(device, mapping);
    if (outcome.ok) candidates.push({ key, serialNumber, values: outcome.values });
    else failures.push({ serialNumber, reason: outcome.reason });
  }
  return { candidates, failures, notices };
}

/**
 * Decides per candidate: create when no record holds its identifier, update (changed columns only)
 * when one does and differs, unchanged otherwise. Two records holding one identifier are an error in
 * the collection that only a person can resolve: the device is skipped and reported.
 */
export function decide(
  candidates: readonly Candidate[],
  existing: readonly ApRecord[],
  mapping: ResolvedMapping,
): Decisions {
  const byKey = new Map<string, ApRecord[]>();
  for (const record of existing) {
    const key = record.values[mapping.identifier.columnId];
    if (typeof key !== 'string') continue;
    byKey.set(key, [...(byKey.get(key) ?? []), record]);
  }

  const decisions: Decisions = { creates: [], updates: [], unchanged: [], failures: [] };
  for (const candidate of candidates) {
    const records = byKey.get(candidate.key) ?? [];
    if (records.length > 1) {
      decisions.failures.push({
        serialNumber: candidate.serialNumber,
        reason: `DUPLICATE_RECORDS: records ${records.map((r) => r.id).join(', ')} all hold '${candidate.key}' in column '${mapping.identifier.columnName}'; skipped until only one is left`,
      });
      continue;
    }
    if (records.length === 0) {
      const values: RecordValues = {};
      for (const [columnId, value] of Object.entries(candidate.values))
        if (value !== null) values[columnId] = value;
      decisions.creates.push({ key: candidate.key, serialNumber: candidate.serialNumber, values });
      continue;
    }
    const record = records[0];
    const changes: RecordValues = {};
    for (const field of mapping.fields) {
      const wanted = candidate.values[field.columnId] ?? null;
      if (!sameValue(field, record.values[field.columnId], wanted)) changes[field.columnId] = wanted;
    }
    if (Object.keys(changes).length === 0) decisions.unchanged.push(candidate);
    else
      decisions.updates.push({
        key: candidate.key,
        serialNumber: candidate.serialNumber,
        recordId: record.id,
        changes,
      });
  }
  return decisions;
}

/** The whole plan for a batch and the records found by its identifiers. Pure. */
export function planUpsert(
  devices: readonly AbmDevice[],
  existing: readonly ApRecord[],
  mapping: ResolvedMapping,
): UpsertPlan {
  const prepared = prepareDevices(devices, mapping);
  const decisions = decide(prepared.candidates, existing, mapping);
  return {
    ...decisions,
    failures: [...prepared.failures, ...decisions.failures],
    notices: prepared.notices,
    devicesSeen: prepared.candidates.length + prepared.failures.length,
  };
}
