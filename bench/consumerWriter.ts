import type { SQSRecord } from 'aws-lambda';
import { composeUserSync, USER_SYNC_SERVICE } from '../services/user-sync/compose.js';
import type { UserSyncHandler } from '../services/user-sync/createUserSyncHandler.js';
import { createAdminSecretProvider } from '../shared/hasuraClient/adminSecretProvider.js';
import { RedactedSecret } from '../shared/hasuraClient/RedactedSecret.js';
import { createMetrics } from '../shared/observability.js';
import { pipeline } from '../shared/pipeline.js';
import { lambdaContext } from '../test/helpers/lambdaContexts.js';
import { chunk, runWithConcurrency, startStopwatch } from './benchStats.js';
import { BENCH_USER_POOL_ID } from './loginStream.js';
import { createPreviousHasuraClient } from './previousHasuraClient.js';

/** Which Hasura client the bench consumer writes with. */
export type BenchHasuraClient = 'graphql-request' | 'previous';

/** Options of {@link createBenchConsumer}. */
export interface BenchConsumerOptions {
  /** Hasura's `/v1/graphql`. */
  readonly graphqlUrl: string;
  readonly adminSecret: string;
  /**
   * `SYNC_WRITE_MODE`.
   * @default 'guard'
   */
  readonly writeMode?: 'guard' | 'where';
  /**
   * The shipped client (graphql-request), or the previous one (`bench/previousHasuraClient.ts`),
   * measured beside it.
   * @default 'graphql-request'
   */
  readonly hasuraClient?: BenchHasuraClient;
}

/** The real consumer, built as `services/user-sync/handler.ts` builds it, minus middy. */
export interface BenchConsumer {
  readonly handler: UserSyncHandler;
  /** What the `logMetrics` middleware does after each invocation (EMF output disabled). */
  flushMetrics(): void;
}

/**
 * Builds the user-sync consumer with `composeUserSync`, as its Lambda module does (config from
 * an env object, one Hasura client, Powertools logger and metrics), pointed at `graphqlUrl`.
 */
export const createBenchConsumer = (options: BenchConsumerOptions): BenchConsumer => {
  const metrics = createMetrics(USER_SYNC_SERVICE);
  const timeoutMs = 30_000;
  const previous =
    options.hasuraClient === 'previous'
      ? {
          hasura: createPreviousHasuraClient({
            endpoint: options.graphqlUrl,
            adminSecret: createAdminSecretProvider({
              kind: 'value',
              secret: new RedactedSecret(options.adminSecret),
            }),
            timeoutMs,
          }),
        }
      : {};
  const { handler } = composeUserSync({
    ...previous,
    env: {
      HASURA_GRAPHQL_ENDPOINT: options.graphqlUrl,
      HASURA_ADMIN_SECRET: options.adminSecret,
      USER_POOL_IDS: BENCH_USER_POOL_ID,
      SYNC_WRITE_MODE: options.writeMode ?? 'guard',
      HASURA_REQUEST_TIMEOUT_MS: String(timeoutMs),
    },
    metrics,
  });
  return {
    handler,
    flushMetrics() {
      JSON.stringify(metrics.serializeMetrics());
      metrics.publishStoredMetrics();
    },
  };
};

/** Outcome of {@link runConsumer}. */
export interface ConsumerRun {
  readonly wallMs: number;
  /** CPU ms this process used during the run (the consumer; servers run elsewhere). */
  readonly cpuMs: number;
  /** Duration of each invocation (one SQS batch), ms. */
  readonly batchMs: number[];
  /** Records reported in `batchItemFailures` on first delivery. */
  readonly failedRecords: number;
  /** Records delivered again (all rounds) because an invocation reported them failed. */
  readonly redelivered: number;
  /** Records still failing after the last redelivery round. */
  readonly unresolved: number;
}

/** Options of {@link runConsumer}. */
export interface RunConsumerOptions {
  /** Records per invocation. */
  readonly batchSize: number;
  /** Concurrent invocations. */
  readonly inFlight: number;
  /**
   * Redelivery rounds for failed records (SQS would redeliver them after the visibility timeout;
   * here they are fed again at once, after the first pass).
   * @default 5
   */
  readonly redeliveryRounds?: number;
}

/**
 * Feeds `records` to the consumer in consecutive SQS batches with at most `inFlight`
 * invocations running, as the event source mapping would (no SQS in between), then feeds the
 * records it reported failed again, as SQS would redeliver them.
 *
 * @param consumer - from {@link createBenchConsumer}.
 * @param records - the SQS records, in delivery order.
 */
export const runConsumer = async (
  consumer: BenchConsumer,
  records: readonly SQSRecord[],
  options: RunConsumerOptions,
): Promise<ConsumerRun> => {
  const batchMs: number[] = [];
  const timeoutMs = pipeline.consumer.timeoutSeconds * 1000;
  // Built only when a record fails: a 100,000-entry map per pass would be the harness's CPU and
  // garbage, counted as the consumer's.
  let byId: Map<string, SQSRecord> | undefined;
  const recordOf = (messageId: string): SQSRecord | undefined => {
    byId ??= new Map(records.map((record) => [record.messageId, record]));
    return byId.get(messageId);
  };
  const pass = async (input: readonly SQSRecord[]): Promise<SQSRecord[]> => {
    const failed: SQSRecord[] = [];
    await runWithConcurrency(chunk(input, options.batchSize), options.inFlight, async (batch) => {
      const context = lambdaContext(timeoutMs);
      const started = performance.now();
      const response = await consumer.handler({ Records: batch }, context);
      consumer.flushMetrics();
      batchMs.push(performance.now() - started);
      for (const failure of response.batchItemFailures) {
        const record = recordOf(failure.itemIdentifier);
        if (record !== undefined) failed.push(record);
      }
    });
    return failed;
  };
  const watch = startStopwatch();
  let failed = await pass(records);
  const failedRecords = failed.length;
  let redelivered = 0;
  for (let round = 0; round < (options.redeliveryRounds ?? 5) && failed.length > 0; round += 1) {
    redelivered += failed.length;
    failed = await pass(failed);
  }
  return {
    wallMs: watch.wallMs(),
    cpuMs: watch.cpuMs(),
    batchMs,
    failedRecords,
    redelivered,
    unresolved: failed.length,
  };
};
