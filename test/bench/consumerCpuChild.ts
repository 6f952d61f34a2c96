/**
 * Child-process entry of the consumer CPU benchmark ({@link benchConsumerCpu}), run as a bundle
 * built like the Lambda's ({@link bundleLikeLambda}) with plain `node --enable-source-maps`,
 * as the function runs. Options arrive as JSON in `BENCH_CPU_OPTIONS`
 * (`{ graphqlUrl, adminSecret, scale, warmUpPasses, passes }`); the result goes back over IPC as
 * `{ type: 'result', records, maxRssKiB, passes: [{ cpuMs, wallMs, batchMs }] }` or
 * `{ type: 'failed', error }`.
 */
import { collectGarbage } from './benchStats.js';
import { createBenchConsumer, runConsumer } from './consumerWriter.js';
import { generateLoginStream, toSqsRecords } from './loginStream.js';

interface CpuChildOptions {
  readonly graphqlUrl: string;
  readonly adminSecret: string;
  readonly scale: number;
  readonly warmUpPasses: number;
  readonly passes: number;
}

const send = (message: unknown): Promise<void> =>
  new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('consumerCpuChild must be forked with an IPC channel'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });

const main = async (): Promise<void> => {
  const options = JSON.parse(process.env.BENCH_CPU_OPTIONS ?? '') as CpuChildOptions;
  const records = toSqsRecords(
    generateLoginStream({
      logins: Math.round(100_000 * options.scale),
      users: Math.round(20_000 * options.scale),
    }),
  );
  const consumer = createBenchConsumer({
    graphqlUrl: options.graphqlUrl,
    adminSecret: options.adminSecret,
  });
  const settings = { batchSize: 100, inFlight: 2 };
  for (let pass = 0; pass < options.warmUpPasses; pass += 1) {
    await runConsumer(consumer, records, settings);
  }
  const passes = [];
  for (let pass = 0; pass < options.passes; pass += 1) {
    collectGarbage();
    const run = await runConsumer(consumer, records, settings);
    if (run.unresolved > 0) throw new Error(`${run.unresolved} records were not written`);
    passes.push({ cpuMs: run.cpuMs, wallMs: run.wallMs, batchMs: run.batchMs });
  }
  await send({
    type: 'result',
    records: records.length,
    maxRssKiB: process.resourceUsage().maxRSS,
    passes,
  });
};

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: 'failed', error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  },
);
