import type { ColumnValue, RecordValues } from '../assetpanda';
import type { AbmDevice } from '../abm/device';
import type { ResolvedField, ResolvedMapping } from './resolved';

export type ValueOutcome = { ok: true; value: ColumnValue } | { ok: false; reason: string };

/** Serial numbers are compared and stored trimmed and upper-cased (ABM and admins differ in case). */
export function normaliseSerial(serial: string): string {
  return serial.trim().toUpperCase();
}

/** The device's attribute as one string, or null when ABM left it out or sent it empty. */
export function rawText(device: AbmDevice, field: ResolvedField['field']): string | null {
  const raw: unknown = device[field];
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) {
    const parts = raw.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    return parts.length === 0 ? null : parts.join(', ');
  }
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  return field === 'serialNumber' ? normaliseSerial(raw) : raw;
}

function invalid(field: ResolvedField, detail: string): ValueOutcome {
  return { ok: false, reason: `INVALID_VALUE: column '${field.columnName}' ${detail}` };
}

function instant(field: ResolvedField, text: string): number | ValueOutcome {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? invalid(field, `cannot take '${text}': not a date and time`) : ms;
}

/** What the device's attribute becomes in the column (interface.md, "How values land"). */
export function columnValue(device: AbmDevice, field: ResolvedField): ValueOutcome {
  const text = rawText(device, field.field);
  if (text === null) return { ok: true, value: null };
  switch (field.type) {
    case 'text':
    case 'barcode':
      return { ok: true, value: text };
    case 'list': {
      const options = field.options ?? [];
      // An option differing only in case is the same choice; the column's own spelling is written.
      const option =
        options.find((o) => o === text) ?? options.find((o) => o.toLowerCase() === text.toLowerCase());
      return option === undefined
        ? invalid(field, `has no option '${text}' (options: ${options.join(', ')})`)
        : { ok: true, value: option };
    }
    case 'date': {
      const ms = instant(field, text);
      // The UTC calendar date, whatever the machine's time zone.
      return typeof ms === 'number' ? { ok: true, value: new Date(ms).toISOString().slice(0, 10) } : ms;
    }
    case 'datetime': {
      const ms = instant(field, text);
      return typeof ms === 'number' ? { ok: true, value: new Date(ms).toISOString() } : ms;
    }
    case 'number':
    case 'boolean':
      return invalid(field, `of type ${field.type} cannot take '${text}'`);
  }
}

/** The identifier as it is stored and searched, or null when the device has none. */
export function identifierValue(device: AbmDevice, mapping: ResolvedMapping): string | null {
  const field = mapping.fields.find((f) => f.field === mapping.identifier.field);
  if (!field) return null;
  const outcome = columnValue(device, field);
  return outcome.ok && typeof outcome.value === 'string' ? outcome.value : null;
}

export type RecordOutcome = { ok: true; values: RecordValues } | { ok: false; reason: string };

/** Every mapped column's value for the device (null = empty); all value errors at once. */
export function deviceValues(device: AbmDevice, mapping: ResolvedMapping): RecordOutcome {
  const values: RecordValues = {};
  const reasons: string[] = [];
  for (const field of mapping.fields) {
    const outcome = columnValue(device, field);
    if (outcome.ok) values[field.columnId] = outcome.value;
    else reasons.push(outcome.reason);
  }
  return reasons.length > 0 ? { ok: false, reason: reasons.join('; ') } : { ok: true, values };
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Whether a stored value already equals the wanted one (datetimes compared as instants). */
export function sameValue(field: ResolvedField, stored: unknown, wanted: ColumnValue): boolean {
  if (isEmpty(wanted) || isEmpty(stored)) return isEmpty(wanted) && isEmpty(stored);
  if (field.type === 'datetime' && typeof stored === 'string' && typeof wanted === 'string') {
    const a = Date.parse(stored);
    return !Number.isNaN(a) && a === Date.parse(wanted);
  }
  return stored === wanted;
}
