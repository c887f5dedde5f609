import type { z } from 'zod';

/** One line per zod issue, each with the JSON path of the bad field (e.g. `data[3].attributes.imei`). */
export function validationMessage(error: z.ZodError, at: ReadonlyArray<PropertyKey> = []): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${formatPath([...at, ...i.path])}: ${i.message}`)
    .join('; ');
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
