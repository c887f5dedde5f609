import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stopSharedServers } from './temporal';

// Runtime.install may run once per process, before any worker or connection exists.
export const mochaHooks = {
  beforeAll(): void {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await stopSharedServers();
  },
};
