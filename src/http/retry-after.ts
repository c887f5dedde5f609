/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Returns undefined when absent or unreadable so the caller can apply its default backoff.
 */
export function parseRetryAfter(
  value: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
