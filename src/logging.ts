import { DefaultLogger, type LogLevel, type LogMetadata } from '@temporalio/worker';

/**
 * One JSON object per line on stderr. Metadata comes from the SDK (workflow and activity ids, types,
 * attempts) and from our own messages; neither carries arguments, tokens or keys.
 */
export function jsonLogger(
  level: LogLevel = 'INFO',
  out: NodeJS.WritableStream = process.stderr,
): DefaultLogger {
  return new DefaultLogger(level, ({ level: lvl, message, meta, timestampNanos }) => {
    const ts = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    out.write(`${JSON.stringify({ ts, level: lvl, msg: message, ...sanitize(meta) })}\n`);
  });
}

function sanitize(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
  }
  return out;
}

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const v = (env.ABM_SYNC_LOG_LEVEL ?? 'INFO').toUpperCase();
  return (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === v) ?? 'INFO';
}
