import type { AbmDevice } from '../abm/device';
import type { AbmFieldKey } from '../config/schema';
import { updatedAt } from './planner';
import { rawText } from './transform';

/**
 * One device per identifier across a whole page, before the page is split into batches that run in
 * parallel: two batches must never both create the same record, and a device listed twice counts
 * once. The copy ABM updated last wins. Devices without an identifier are kept (each fails alone).
 */
export function dedupeByIdentifier(
  devices: readonly AbmDevice[],
  field: AbmFieldKey,
): { devices: AbmDevice[]; repeats: number } {
  const at = new Map<string, number>();
  const out: AbmDevice[] = [];
  for (const device of devices) {
    const key = rawText(device, field);
    const seen = key === null ? undefined : at.get(key);
    if (seen === undefined) {
      if (key !== null) at.set(key, out.length);
      out.push(device);
    } else if (updatedAt(device) >= updatedAt(out[seen])) {
      out[seen] = device;
    }
  }
  return { devices: out, repeats: devices.length - out.length };
}
