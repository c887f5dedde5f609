import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig, resolveConfigPath } from './config/load';
import {
  codecServerCommand,
  demoCommand,
  devServerCommand,
  simCommand,
  workerCommand,
} from './cli/local-commands';
import { scheduleCommand } from './cli/schedule-commands';
import { signalCommand, statusCommand, syncCommand, testConnectionCommand } from './cli/sync-commands';

function integer(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** The `abm-sync` command line (interface.md). Returns the process exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  let exitCode = 0;
  const program = new Command('abm-sync')
    .description(
      'Keeps an Asset Panda Pro collection equal to the Apple Business Manager device fleet, durably, on Temporal.',
    )
    .option('--config <path>', 'config file (else $ABM_SYNC_CONFIG, else ./abm-sync.config.json)')
    .showHelpAfterError()
    .exitOverride();

  const config = () => loadConfig(resolveConfigPath(program.opts<{ config?: string }>().config));
  const mapping = new Option('--mapping <id>', 'the mapping (may be left out when the config has one)');
  const json = new Option('--json', 'print exact JSON');
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      exitCode = await fn(...args);
    };

  program
    .command('test-connection')
    .description(
      'check ABM credentials and one device page, the Asset Panda key, collection, columns and the mapping',
    )
    .addOption(mapping)
    .addOption(json)
    .action(run((o: { mapping?: string; json?: boolean }) => testConnectionCommand(config(), o)));

  program
    .command('worker')
    .description('run a worker until SIGINT/SIGTERM, then drain')
    .action(run(() => workerCommand(config())));

  program
    .command('sync')
    .description("start the mapping's sync, or attach to the one running")
    .addOption(mapping)
    .option(
      '--wait',
      'wait for the end and print the report (exit 0 completed, 2 completed with errors, 1 failed)',
    )
    .addOption(json)
    .action(run((o: { mapping?: string; json?: boolean; wait?: boolean }) => syncCommand(config(), o)));

  program
    .command('status')
    .description("the running or last sync's progress")
    .addOption(mapping)
    .addOption(json)
    .option('--watch', 'follow a running sync with a live progress bar until it ends')
    .action(run((o: { mapping?: string; json?: boolean; watch?: boolean }) => statusCommand(config(), o)));

  for (const [name, what] of [
    ['pause', 'pause the running sync after the batch in flight (the cursor is kept)'],
    ['resume', 'resume a paused sync where it stopped'],
    ['resync', 'restart the running sync from the first page after the batch in flight'],
  ] as const) {
    program
      .command(name)
      .description(what)
      .addOption(mapping)
      .addOption(json)
      .action(run((o: { mapping?: string; json?: boolean }) => signalCommand(config(), name, o)));
  }

  program
    .command('schedule')
    .description(
      'a Temporal Schedule per mapping (overlapping runs skipped): set, show, pause, unpause, trigger, remove',
    )
    .argument('<action>', 'set | show | pause | unpause | trigger | remove')
    .option('--every <duration>', 'with set: run every DURATION (e.g. 6h, 30m, 1d)')
    .option('--cron <expr>', 'with set: run on a cron expression (e.g. "0 2 * * *")')
    .addOption(mapping)
    .addOption(json)
    .action(
      run((action: string, o: { mapping?: string; json?: boolean; every?: string; cron?: string }) =>
        scheduleCommand(action, config(), o),
      ),
    );

  program
    .command('dev-server')
    .description("the embedded Temporal dev server (with Web UI) from the project's own binary")
    .option('--port <port>', 'gRPC port', integer('--port', 1, 65535), 7233)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', integer('--ui-port', 1, 65535))
    .option('--db-filename <file>', 'persist to this SQLite file (in memory otherwise)')
    .action(run((o: { port?: number; uiPort?: number; dbFilename?: string }) => devServerCommand(o)));

  program
    .command('codec-server')
    .description('decodes the payloads abm-sync compresses, for the Temporal Web UI (--ui-codec-endpoint)')
    .option('--port <port>', 'port', integer('--port', 1, 65535), 8888)
    .option('--host <ip>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--ui-origin <url...>',
      'origins of the Web UI allowed to call it (default http://localhost:8233)',
    )
    .action(run((o: { port?: number; host?: string; uiOrigin?: string[] }) => codecServerCommand(o)));

  program
    .command('sim')
    .description('both simulators, seeded; prints a ready config and the env to use with them')
    .option('--abm-port <port>', 'ABM simulator port', integer('--abm-port', 0, 65535), 8801)
    .option('--ap-port <port>', 'Asset Panda simulator port', integer('--ap-port', 0, 65535), 8802)
    .option('--devices <n>', 'devices in the fleet', integer('--devices', 0, 1_000_000), 2000)
    .option('--seed <s>', 'seed of the generated fleet', integer('--seed', 0, 2 ** 31), 1)
    .action(
      run((o: { abmPort?: number; apPort?: number; devices?: number; seed?: number }) => simCommand(o)),
    );

  program
    .command('demo')
    .description(
      'dev server + simulators + worker + one full sync with live progress; prints the report and the UI address',
    )
    .option('--devices <n>', 'devices in the simulated fleet', integer('--devices', 1, 1_000_000), 2000)
    .option('--keep', 'leave everything running after the sync (Ctrl-C stops it)')
    .addOption(json)
    .action(run((o: { devices?: number; keep?: boolean; json?: boolean }) => demoCommand(o)));

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    const code = (err as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 1;
    }
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`abm-sync: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
