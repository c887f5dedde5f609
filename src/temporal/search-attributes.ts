import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/**
 * Registers the sync's search attributes on the namespace if they are missing. A workflow that sets
 * an unregistered attribute cannot make progress, so a worker checks this before it polls.
 * Returns the names it could not register (e.g. on a server where this client lacks the right).
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let existing: Record<string, unknown> = {};
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    existing = { ...res.customAttributes, ...res.systemAttributes };
  } catch {
    // an older server or a restricted client: try to add them all
  }
  const missing = SEARCH_ATTRIBUTES.filter((k) => !(k.name in existing));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, KEYWORD])),
    });
    return [];
  } catch (err) {
    if (/already exists/i.test((err as Error).message)) return [];
    return missing.map((k) => k.name);
  }
}
