/**
 * Child-process entry of the benchmark's clients: the consumer, and the naive per-login writer
 * it replaces. It runs as a bundle built like the Lambda's ({@link bundleLikeLambda}) under plain
 * `node` with the function's `NODE_OPTIONS`, as the deployed code runs, and generates the same
 * seeded login stream as the parent.
 *
 * The job arrives as JSON in `BENCH_CLIENT_JOB` ({@link ClientJob}). Protocol (IPC): after its
 * warm-up the child sends `{ type: 'warm' }` and waits for `{ type: 'go' }` (the parent empties
 * the table in between), then sends `{ type: 'result', records, maxRssKiB, runs }`, or
 * `{ type: 'failed', error }` at any point.
 */
import { collectGarbage } from './benchStats.js';
import {
  type BenchHasuraClient,
  type ConsumerRun,
  createBenchConsumer,
  runConsumer,
} from './consumerWriter.js';
import { generateLoginStream, toSqsRecords } from './loginStream.js';
import { writeNaively } from './naiveWriter.js';

/** What the child runs. */
export type ClientJob =
  | {
      readonly kind: 'consumer';
      readonly graphqlUrl: string;
      readonly adminSecret: string;
      readonly logins: number;
      readonly users: number;
      /** Only the first `count` logins of the stream are fed. */
      readonly count: number;
      readonly writeMode: 'guard' | 'where';
      readonly batchSize: number;
      readonly inFlight: number;
      /** Whole unmeasured passes over the stream after the warm-up stream. */
      readonly warmUpPasses: number;
      /** Measured passes (of each client). */
      readonly passes: number;
      /**
       * The Hasura clients measured, one consumer each, their passes alternating in this
       * process (side by side: the same warm process, the same moments of the machine).
       * @default ['graphql-request']
       */
      readonly hasuraClients?: readonly BenchHasuraClient[];
    }
  | {
      readonly kind: 'naive';
      readonly graphqlUrl: string;
      readonly adminSecret: string;
      readonly logins: number;
      readonly users: number;
      readonly concurrency: number;
      /**
       * Only the first `count` logins of the stream are sent.
       * @default logins
       */
      readonly count?: number;
    };

/** One measured pass. */
export type ClientRun = Pick<
  ConsumerRun,
  'wallMs' | 'cpuMs' | 'batchMs' | 'failedRecords' | 'redelivered' | 'unresolved'
> & {
  /** The Hasura client of a consumer pass. */
  readonly hasuraClient?: BenchHasuraClient;
};

/** The warm-up stream: other users and event ids than the measured stream's. */
const warmUpStream = () =>
  generateLoginStream({ logins: 2000, users: 500, eventIdPrefix: 'warmup', seed: 3 });

const send = (message: unknown): Promise<void> =>
  new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('clientChild must be forked with an IPC channel'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });

const go = (): Promise<void> =>
  new Promise((resolve) => {
    const onMessage = (message: { type?: unknown }): void => {
      if (message.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });

const runConsumerJob = async (job: Extract<ClientJob, { kind: 'consumer' }>) => {
  const stream = generateLoginStream({ logins: job.logins, users: job.users });
  const records = toSqsRecords(stream.slice(0, job.count));
  const consumers = (job.hasuraClients ?? ['graphql-request']).map((hasuraClient) => ({
    hasuraClient,
    consumer: createBenchConsumer({
      graphqlUrl: job.graphqlUrl,
      adminSecret: job.adminSecret,
      writeMode: job.writeMode,
      hasuraClient,
    }),
  }));
  const settings = { batchSize: job.batchSize, inFlight: job.inFlight };
  for (const { consumer } of consumers) {
    await runConsumer(consumer, toSqsRecords(warmUpStream()), settings);
    for (let pass = 0; pass < job.warmUpPasses; pass += 1) {
      await runConsumer(consumer, records, settings);
    }
  }
  await send({ type: 'warm' });
  await go();
  const runs: ClientRun[] = [];
  for (let pass = 0; pass < job.passes; pass += 1) {
    // A B, B A, A B, …: neither client always runs right after the garbage of the other.
    const order = pass % 2 === 0 ? consumers : [...consumers].reverse();
    for (const { hasuraClient, consumer } of order) {
      collectGarbage();
      runs.push({ ...(await runConsumer(consumer, records, settings)), hasuraClient });
    }
  }
  return { records: records.length, runs };
};

const runNaiveJob = async (job: Extract<ClientJob, { kind: 'naive' }>) => {
  const stream = generateLoginStream({ logins: job.logins, users: job.users }).slice(
    0,
    job.count ?? job.logins,
  );
  await writeNaively(job.graphqlUrl, job.adminSecret, warmUpStream(), job.concurrency);
  await send({ type: 'warm' });
  await go();
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const run = await writeNaively(job.graphqlUrl, job.adminSecret, stream, job.concurrency);
  const cpu = process.cpuUsage(cpuStart);
  const result: ClientRun = {
    wallMs: run.wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    batchMs: run.requestMs,
    failedRecords: run.failed,
    redelivered: 0,
    unresolved: run.failed,
  };
  return { records: stream.length, runs: [result] };
};

const main = async (): Promise<void> => {
  const job = JSON.parse(process.env.BENCH_CLIENT_JOB ?? '') as ClientJob;
  const outcome = job.kind === 'consumer' ? await runConsumerJob(job) : await runNaiveJob(job);
  await send({ type: 'result', maxRssKiB: process.resourceUsage().maxRSS, ...outcome });
};

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: 'failed', error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  },
);
