import { ApiError } from '../http';

export interface Named {
  id: string;
  name: string;
}

function describeCandidates(items: readonly Named[]): string {
  if (items.length === 0) return 'none exist';
  const shown = items.slice(0, 20).map((i) => `"${i.name}" (id ${i.id})`);
  if (items.length > 20) shown.push(`and ${items.length - 20} more`);
  return shown.join(', ');
}

/**
 * Finds the one item the admin meant: an exact id wins, else a case-insensitive display name.
 * Unknown and ambiguous names fail with the candidates so the admin can correct the config.
 */
export function resolveByNameOrId<T extends Named>(
  what: string,
  wanted: string,
  items: readonly T[],
  path: string,
): T {
  const byId = items.find((i) => i.id === wanted);
  if (byId) return byId;
  const key = wanted.trim().toLowerCase();
  const byName = items.filter((i) => i.name.trim().toLowerCase() === key);
  if (byName.length === 1) return byName[0];
  const message =
    byName.length === 0
      ? `Asset Panda ${what} "${wanted}" not found; candidates: ${describeCandidates(items)}`
      : `Asset Panda ${what} "${wanted}" is ambiguous; it matches ${describeCandidates(byName)}. Use the id instead`;
  throw new ApiError(
    {
      kind: 'fatal',
      service: 'Asset Panda',
      method: 'GET',
      path,
      code: byName.length === 0 ? 'NOT_FOUND' : 'AMBIGUOUS',
    },
    message,
  );
}
