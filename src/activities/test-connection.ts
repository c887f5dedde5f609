import type { AbmClient } from '../abm';
import type { MappingConfig } from '../config/schema';
import { isApiError } from '../http/errors';
import type { ConnectionCheck, TestConnectionResult } from '../shared/types';
import { ConfigurationError, CredentialsError } from './failures';
import type { TargetCache } from './targets';
import { DEFAULT_SETTINGS } from '../shared/defaults';

/** A failure that says something about the setup (a verdict), as opposed to one worth retrying. */
function isVerdict(err: unknown): boolean {
  if (err instanceof ConfigurationError || err instanceof CredentialsError) return true;
  if (isApiError(err)) return err.kind === 'fatal' || err.kind === 'auth';
  return err instanceof Error && err.name === 'AbmKeyError';
}

type Check = (name: string, run: () => Promise<string>) => Promise<boolean>;

/**
 * Runs one check into `checks`. A verdict on the setup (refused credentials, a mapping that does not
 * fit) fails the check. Throttling or an outage is no verdict: the activity lets it be retried, while
 * a person at the CLI sees the check as unfinished, with why.
 */
function checker(checks: ConnectionCheck[], retryable: 'throw' | 'report'): Check {
  return async (name, run) => {
    try {
      checks.push({ name, ok: true, detail: await run() });
      return true;
    } catch (err) {
      if (!isVerdict(err) && retryable === 'throw') throw err;
      const detail = isVerdict(err)
        ? (err as Error).message
        : `could not complete: ${(err as Error).message}`;
      checks.push({ name, ok: false, detail });
      return false;
    }
  };
}

/**
 * Checks, in order, everything a sync needs: an ABM token, one ABM device page, the Asset Panda
 * account, module, collection and columns, and the mapping against those columns. Every check is
 * reported; a check that cannot run because an earlier one failed is reported as skipped.
 */
export async function checkConnection(opts: {
  abm: AbmClient;
  targets: TargetCache;
  mapping: MappingConfig;
  fresh?: boolean;
  /** 'throw' (the activity: Temporal retries) or 'report' (the CLI: a person reads every check). */
  retryable?: 'throw' | 'report';
}): Promise<TestConnectionResult> {
  const checks: ConnectionCheck[] = [];
  const check = checker(checks, opts.retryable ?? 'throw');
  let fleetSize: number | null = null;
  let warnings: string[] = [];

  const tokenOk = await check('ABM credentials', async () => {
    const { expiresAt } = await opts.abm.ensureToken();
    return `access token issued, valid until ${expiresAt.toISOString()}`;
  });
  if (tokenOk) {
    await check('ABM device list', async () => {
      const page = await opts.abm.listDevices({ limit: 1, fields: ['serialNumber'] });
      fleetSize = page.total ?? null;
      const first = page.devices[0]?.serialNumber ?? page.devices[0]?.id;
      const size = fleetSize === null ? 'fleet size not reported' : `${fleetSize} devices`;
      return first ? `first device ${first} (${size})` : 'the organisation has no devices yet';
    });
  } else {
    checks.push({ name: 'ABM device list', ok: false, detail: 'skipped: no ABM token' });
  }

  await check('Asset Panda collection and mapping', async () => {
    const v = await opts.targets.get(opts.mapping, { fresh: opts.fresh });
    warnings = v.warnings;
    const t = v.target;
    return `collection "${t.collectionName}" (${t.collectionId}) with ${t.columns.filter((c) => !c.deleted).length} columns; mapping "${opts.mapping.id}" fits (${Object.keys(opts.mapping.fields).length} fields)`;
  });

  return {
    ok: checks.every((c) => c.ok),
    checks,
    warnings,
    fleetSize,
    settings: {
      pageSize: opts.mapping.pageSize ?? DEFAULT_SETTINGS.pageSize,
      batchSize: opts.mapping.batchSize ?? DEFAULT_SETTINGS.batchSize,
      parallelism: opts.mapping.parallelism ?? DEFAULT_SETTINGS.parallelism,
    },
  };
}
