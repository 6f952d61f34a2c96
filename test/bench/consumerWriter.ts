import type { SQSRecord } from 'aws-lambda';
import {
  createUserSyncHandler,
  type UserSyncHandler,
} from '../../services/user-sync/createUserSyncHandler.js';
import { loadUserSyncConfig } from '../../services/user-sync/config.js';
import { createAdminSecretProvider } from '../../shared/hasura/adminSecretProvider.js';
import { createHasuraClient } from '../../shared/hasura/createHasuraClient.js';
import { createLogger, createMetrics } from '../../shared/observability.js';
import { pipeline } from '../../shared/pipeline.js';
import { chunk, runWithConcurrency, startStopwatch } from './benchStats.js';

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
}

/** The real consumer, built as `services/user-sync/handler.ts` builds it, minus middy. */
export interface BenchConsumer {
  readonly handler: UserSyncHandler;
  /** What the `logMetrics` middleware does after each invocation (EMF output disabled). */
  flushMetrics(): void;
}

/**
 * Builds the user-sync consumer exactly as its Lambda module does (config from an env object,
 * one Hasura client, Powertools logger and metrics), pointed at `graphqlUrl`.
 */
export const createBenchConsumer = (options: BenchConsumerOptions): BenchConsumer => {
  const config = loadUserSyncConfig({
    HASURA_GRAPHQL_ENDPOINT: options.graphqlUrl,
    HASURA_ADMIN_SECRET: options.adminSecret,
    SYNC_WRITE_MODE: options.writeMode ?? 'guard',
    HASURA_REQUEST_TIMEOUT_MS: '30000',
  });
  const metrics = createMetrics('user-sync');
  const hasura = createHasuraClient({
    endpoint: config.hasuraEndpoint,
    adminSecret: createAdminSecretProvider(config.adminSecret),
    timeoutMs: config.requestTimeoutMs,
  });
  return {
    handler: createUserSyncHandler({ config, hasura, logger: createLogger('user-sync'), metrics }),
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
  /** Records reported in `batchItemFailures`. */
  readonly failedRecords: number;
}

/**
 * Feeds `records` to the consumer in consecutive SQS batches of `batchSize` with at most
 * `inFlight` invocations running, as the event source mapping would (no SQS in between).
 *
 * @param consumer - from {@link createBenchConsumer}.
 * @param records - the SQS records, in delivery order.
 * @param batchSize - records per invocation.
 * @param inFlight - concurrent invocations.
 */
export const runConsumer = async (
  consumer: BenchConsumer,
  records: readonly SQSRecord[],
  batchSize: number,
  inFlight: number,
): Promise<ConsumerRun> => {
  const batches = chunk(records, batchSize);
  const batchMs: number[] = [];
  let failedRecords = 0;
  const timeoutMs = pipeline.consumer.timeoutSeconds * 1000;
  const watch = startStopwatch();
  await runWithConcurrency(batches, inFlight, async (batch) => {
    const deadline = Date.now() + timeoutMs;
    const started = performance.now();
    const response = await consumer.handler(
      { Records: batch },
      { getRemainingTimeInMillis: () => deadline - Date.now() },
    );
    consumer.flushMetrics();
    batchMs.push(performance.now() - started);
    failedRecords += response.batchItemFailures.length;
  });
  return { wallMs: watch.wallMs(), cpuMs: watch.cpuMs(), batchMs, failedRecords };
};
