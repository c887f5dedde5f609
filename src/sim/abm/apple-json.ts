/**
 * JSON the way Apple's servers print it (Jackson's default pretty printer): two-space indents,
 * `"key" : value`, arrays inline as `[ a, b ]` and `[ {` ... `}, {` ... `} ]`. Clients that
 * only ever saw compact JSON in tests have been surprised by this before.
 */
export function appleJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v: unknown) => write(v, depth)).join(', ')} ]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{ }';
  const pad = '  '.repeat(depth + 1);
  const body = entries.map(([k, v]) => `${pad}${JSON.stringify(k)} : ${write(v, depth + 1)}`).join(',\n');
  return `{\n${body}\n${'  '.repeat(depth)}}`;
}
