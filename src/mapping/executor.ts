import type { CollectionTarget, RecordError, RecordStore, WriteResult } from '../assetpanda';
import type { AbmDevice } from '../abm/device';
import { decide, prepareDevices, type Candidate, type DeviceNote, type PlannedUpdate } from './planner';
import type { ResolvedMapping } from './resolved';

export interface BatchResult {
  /** created + updated + unchanged + failed; a device listed twice counts once. */
  devicesSeen: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: DeviceNote[];
  /** Devices listed more than once in the batch (each synced once). */
  notices: DeviceNote[];
}

export interface UpsertInput {
  client: RecordStore;
  target: CollectionTarget;
  mapping: ResolvedMapping;
  devices: readonly AbmDevice[];
}

function reasonOf(errors: readonly RecordError[]): string {
  return errors.map((e) => `${e.code}: ${e.message}`).join('; ') || 'UNKNOWN: Asset Panda gave no reason';
}

function failedErrors(result: WriteResult | undefined): RecordError[] | undefined {
  if (!result) return [{ code: 'NO_RESULT', message: 'Asset Panda returned no result for this record' }];
  return result.success ? undefined : result.errors;
}

/**
 * Upserts one batch: looks every identifier up first, creates the missing, updates the changed.
 * Per-record failures are collected and the rest lands. Whole-request failures (429, 5xx, a lost
 * answer) are thrown as ApiError for the caller to retry the whole batch; because the batch looks up
 * before it writes, a retry writes nothing that already landed.
 */
export async function upsertDevices({ client, target, mapping, devices }: UpsertInput): Promise<BatchResult> {
  const idColumn = mapping.identifier.columnId;
  const prepared = prepareDevices(devices, mapping);
  const failures: DeviceNote[] = [...prepared.failures];
  const result: BatchResult = {
    devicesSeen: prepared.candidates.length + prepared.failures.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    failures,
    notices: prepared.notices,
  };
  if (prepared.candidates.length === 0) return finish(result);

  const existing = await client.findByUnique(
    target,
    idColumn,
    prepared.candidates.map((c) => c.key),
  );
  const decisions = decide(prepared.candidates, existing, mapping);
  failures.push(...decisions.failures);
  result.unchanged += decisions.unchanged.length;
  const updates: PlannedUpdate[] = [...decisions.updates];

  if (decisions.creates.length > 0) {
    const answers = await client.createRecords(
      target,
      decisions.creates.map((c) => c.values),
    );
    const taken: { candidate: Candidate; reason: string }[] = [];
    decisions.creates.forEach((create, i) => {
      const errors = failedErrors(answers[i]);
      if (!errors) {
        result.created += 1;
        return;
      }
      // Another record already holds the identifier (e.g. created by a run whose answer was lost):
      // it is the device's record, so it gets updated instead.
      const exists = errors.some(
        (e) => e.code === 'UNIQUE_VIOLATION' && (e.columnId === undefined || e.columnId === idColumn),
      );
      const candidate = prepared.candidates.find((c) => c.key === create.key);
      if (exists && candidate) taken.push({ candidate, reason: reasonOf(errors) });
      else failures.push({ serialNumber: create.serialNumber, reason: reasonOf(errors) });
    });

    if (taken.length > 0) {
      const found = await client.findByUnique(
        target,
        idColumn,
        taken.map((t) => t.candidate.key),
      );
      const again = decide(
        taken.map((t) => t.candidate),
        found,
        mapping,
      );
      failures.push(...again.failures);
      result.unchanged += again.unchanged.length;
      updates.push(...again.updates);
      // Still no record by that identifier: the violation was on another unique column.
      for (const create of again.creates) {
        const reason = taken.find((t) => t.candidate.key === create.key)?.reason ?? 'UNIQUE_VIOLATION';
        failures.push({ serialNumber: create.serialNumber, reason });
      }
    }
  }

  if (updates.length > 0) {
    const answers = await client.updateRecords(
      target,
      updates.map((u) => ({ recordId: u.recordId, values: u.changes })),
    );
    updates.forEach((update, i) => {
      const errors = failedErrors(answers[i]);
      if (!errors) result.updated += 1;
      else failures.push({ serialNumber: update.serialNumber, reason: reasonOf(errors) });
    });
  }
  return finish(result);
}

function finish(result: BatchResult): BatchResult {
  result.failed = result.failures.length;
  return result;
}
