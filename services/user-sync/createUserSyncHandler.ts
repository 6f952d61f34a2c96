import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { DETAIL_TYPES, occurredAtOf } from '../../shared/events/syncEvent.js';
import type { HasuraClient } from '../../shared/hasuraClient/createHasuraClient.js';
import type { HasuraFailureClass } from '../../shared/hasuraClient/HasuraRequestError.js';
import { detailTypeMetric, MetricName } from '../../shared/metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import type { UserSyncConfig } from './config.js';
import { createUserUpsert } from './createUserUpsert.js';
import { dedupeByUser } from './dedupeByUser.js';
import {
  type InvalidSyncRecord,
  parseSyncRecord,
  type ValidSyncRecord,
} from './parseSyncRecord.js';
import { type Clock, systemClock } from './retryTransient.js';
import { syncUserGroups } from './syncUserGroups.js';

/** Why a record failed: a Hasura failure class, or `invalid` for a record that does not parse. */
export type RecordFailureClass = HasuraFailureClass | 'invalid';

/** Everything the consumer needs, injected (`composeUserSync` wires it; unit tests pass their own). */
export interface UserSyncDependencies {
  /** The consumer's configuration (`loadUserSyncConfig`). */
  readonly config: UserSyncConfig;
  /** The container's Hasura client. */
  readonly hasura: HasuraClient;
  /** Structured logger; never given the secret or attribute values. */
  readonly logger: ServiceLogger;
  /** EMF metrics of the batch. */
  readonly metrics: ServiceMetrics;
  /**
   * Time, sleep and jitter source.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The consumer: an SQS batch in, the ids of the records to redeliver out. */
export type UserSyncHandler = (
  event: SQSEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<SQSBatchResponse>;

/** The SQS event fields the consumer reads; the rest of each record is ignored. */
const SqsBatchSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })),
});

/**
 * Creates the user-sync consumer. Per batch: parse every record of any detail type (bad ones
 * fail at once), keep one write per user (its deletion, else its newest event with the newest
 * login riding along), upsert all users in ONE Hasura request (retry and bisect
 * each failure as its class says in `HASURA_FAILURE_REACTIONS`, within the remaining time), and
 * return `batchItemFailures` with exactly the message ids to redeliver. Records deduplicated away
 * share the outcome of their user's newest record.
 *
 * @example
 * const sync = createUserSyncHandler({ config, hasura, logger, metrics });
 * const { batchItemFailures } = await sync(sqsEvent, context);
 */
export const createUserSyncHandler = (deps: UserSyncDependencies): UserSyncHandler => {
  const { config, logger, metrics } = deps;
  const clock = deps.clock ?? systemClock;
  const upsert = createUserUpsert({
    client: deps.hasura,
    table: config.table,
    constraint: config.constraint,
    columnMap: config.columnMap,
    mode: config.writeMode,
    deleteMode: config.deleteMode,
  });

  return async (event, context) => {
    const startedAt = clock.now();
    const deadline = startedAt + context.getRemainingTimeInMillis() - config.retry.safetyMarginMs;
    const { Records: records } = SqsBatchSchema.parse(event);
    metrics.addMetric(MetricName.BatchSize, MetricUnit.Count, records.length);

    const valid: ValidSyncRecord[] = [];
    const invalid: InvalidSyncRecord[] = [];
    for (const record of records) {
      const parsed = parseSyncRecord(record, config, startedAt);
      if (parsed.ok) valid.push(parsed);
      else invalid.push(parsed);
    }
    for (const record of invalid) {
      logger.warn('Record rejected: it will reach the DLQ', {
        messageId: record.messageId,
        reason: record.reason,
      });
    }

    const groups = dedupeByUser(valid);
    const outcome = await syncUserGroups(groups, {
      upsert,
      retry: config.retry,
      clock,
      deadline,
      onRetry: (error, attempt, delayMs) =>
        logger.warn('Hasura request failed, retrying', {
          failureClass: error.failureClass,
          code: error.code,
          sqlState: error.sqlState,
          attempt,
          delayMs,
        }),
    });

    const failures: SQSBatchItemFailure[] = invalid.map((record) => ({
      itemIdentifier: record.messageId,
    }));
    const failedByClass = new Map<RecordFailureClass, number>();
    if (invalid.length > 0) failedByClass.set('invalid', invalid.length);
    for (const { groups: failedGroups, error } of outcome.failed) {
      const messageIds = failedGroups.flatMap((group) => group.messageIds);
      for (const messageId of messageIds) failures.push({ itemIdentifier: messageId });
      failedByClass.set(
        error.failureClass,
        (failedByClass.get(error.failureClass) ?? 0) + messageIds.length,
      );
      logger.error('Records not written: they return to the queue', {
        failureClass: error.failureClass,
        code: error.code,
        sqlState: error.sqlState,
        error: error.message,
        users: failedGroups.length,
        messageIds,
      });
    }

    metrics.addMetric(MetricName.UsersSynced, MetricUnit.Count, outcome.written);
    metrics.addMetric(MetricName.StaleEventsSkipped, MetricUnit.Count, outcome.skipped);
    metrics.addMetric(MetricName.HasuraRequests, MetricUnit.Count, outcome.requests);
    // Per detail type, under names of their own (see detailTypeMetric).
    for (const [type, counts] of outcome.byType) {
      metrics.addMetric(detailTypeMetric(type, 'Applied'), MetricUnit.Count, counts.written);
      metrics.addMetric(detailTypeMetric(type, 'Skipped'), MetricUnit.Count, counts.skipped);
    }
    const tombstoned = outcome.byType.get(DETAIL_TYPES.deleted)?.written ?? 0;
    if (tombstoned > 0) metrics.addMetric(MetricName.UsersTombstoned, MetricUnit.Count, tombstoned);
    for (const [failureClass, count] of failedByClass) {
      const single = metrics.singleMetric();
      single.addDimension('class', failureClass);
      single.addMetric(MetricName.RecordsFailed, MetricUnit.Count, count);
    }
    // Lag of the oldest event stored by this batch: ISO strings with ms compare as instants.
    let oldest: string | undefined;
    for (const group of outcome.succeeded) {
      const at = occurredAtOf(group.representative.event);
      if (oldest === undefined || at < oldest) oldest = at;
    }
    if (oldest !== undefined) {
      metrics.addMetric(
        MetricName.SyncLag,
        MetricUnit.Milliseconds,
        Math.max(0, clock.now() - Date.parse(oldest)),
      );
    }
    if (failures.length > 0) {
      logger.info('Batch done with failures', {
        records: records.length,
        users: groups.length,
        written: outcome.written,
        skipped: outcome.skipped,
        failed: failures.length,
        requests: outcome.requests,
      });
    }
    return { batchItemFailures: failures };
  };
};
