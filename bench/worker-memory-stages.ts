/**
 * Where a worker's resident memory goes before it runs anything: RSS after each start-up step
 * (modules, Temporal's Rust runtime and connection, webpack bundling of the workflows, Worker.create
 * with the bundle, a forced GC). Investigation aid for the bench's memory target:
 *
 *   node --expose-gc --import tsx bench/worker-memory-stages.ts
 */
import { readMemory } from './proc';
import { mib } from './report';

const stages: { stage: string; rss: number; hwm: number; heap: number }[] = [];
function mark(stage: string): void {
  const m = readMemory(process.pid) ?? { rssBytes: 0, hwmBytes: 0 };
  stages.push({ stage, rss: m.rssBytes, hwm: m.hwmBytes, heap: process.memoryUsage().heapTotal });
}
function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

async function main(): Promise<void> {
  mark('node + tsx');
  const { bundleWorkflowCode, NativeConnection, Runtime, Worker, DefaultLogger } =
    await import('@temporalio/worker');
  await import('../src/activities');
  mark('+ @temporalio/worker and the activities');
  const { resolveTemporalBinary } = await import('../src/temporal/binaries');
  const { startDevServer } = await import('../src/temporal/dev-server');
  const bin = resolveTemporalBinary('cli');
  if (bin.source === 'sdk-download') throw new Error('no temporal CLI');
  const server = await startDevServer({ executable: bin.path });
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const connection = await NativeConnection.connect({ address: server.address });
    mark('+ Rust runtime and a connection');
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../src/workflows'),
      logger: new DefaultLogger('WARN'),
    });
    mark(`+ webpack bundle (${(bundle.code.length / 1024).toFixed(0)} KiB)`);
    gc();
    mark('  after GC');
    const worker = await Worker.create({
      connection,
      taskQueue: 'memory-stages',
      workflowBundle: bundle,
      activities: {},
    });
    mark('+ Worker.create with the bundle');
    await worker.runUntil(async () => {
      await new Promise((r) => setTimeout(r, 1500));
      mark('  running 1.5 s (threads up)');
    });
    gc();
    mark('  after shutdown + GC');
    await connection.close();
  } finally {
    await server.stop();
  }
  for (const s of stages) {
    process.stdout.write(
      `${s.stage.padEnd(42)} RSS ${mib(s.rss).padStart(10)}  VmHWM ${mib(s.hwm).padStart(10)}  main heap ${mib(s.heap).padStart(10)}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
