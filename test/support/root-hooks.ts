import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { stopSharedServers } from './temporal';

const level = process.env.ABM_SYNC_TEST_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'ERROR';

// Runtime.install may run once per process, before any worker or connection exists. Expected
// failures (429s, injected faults) are logged by the worker as warnings: tests keep only errors.
export const mochaHooks = {
  beforeAll(): void {
    Runtime.install({
      logger: new DefaultLogger(level),
      shutdownSignals: [],
      telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) } },
    });
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await stopSharedServers();
  },
};
