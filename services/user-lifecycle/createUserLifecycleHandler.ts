import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { describeError } from '../../shared/errors.js';
import { DETAIL_SCHEMAS_V1 } from '../../shared/events/syncEvent.js';
import { MetricName } from '../../shared/metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { describeIssues } from '../../shared/publishing/userAttributes.js';
import {
  hintKey,
  type IgnoreReason,
  type LifecycleHint,
  parseCloudTrailHint,
} from './cloudTrailHint.js';
import type { UserLifecycleConfig } from './config.js';
import { type LifecycleSyncEvent, lifecycleEventOf, type NoEventReason } from './lifecycleEvent.js';
import { publishLifecycleEvents } from './publishLifecycleEvents.js';
import { readCognitoUser } from './readCognitoUser.js';

/** Cognito reads in flight at once: the batch is small, Cognito's read quotas are not large. */
export const READ_CONCURRENCY = 4;

/** Why a record failed back to SQS (and, after maxReceiveCount, reached the DLQ). */
export type HintFailureClass = 'invalid' | 'cognito' | 'eventbridge';

/** Everything the consumer needs, injected (`composeUserLifecycle` wires it; tests pass their own). */
export interface UserLifecycleDeps {
  /** The consumer's configuration (`loadUserLifecycleConfig`). */
  readonly config: UserLifecycleConfig;
  /** Reads users (ListUsers, AdminGetUser); the consumer never writes to Cognito. */
  readonly cognito: CognitoIdentityProviderClient;
  /** Publishes the lifecycle events (PutEvents). */
  readonly eventBridge: EventBridgeClient;
  /** Structured logger; never given usernames or attribute values. */
  readonly logger: ServiceLogger;
  /** EMF metrics of the batch. */
  readonly metrics: ServiceMetrics;
  /**
   * The clock, epoch milliseconds: the time of each read, the events' `occurredAt`.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The consumer: an SQS batch of CloudTrail events in, the ids of the records to redeliver out. */
export type UserLifecycleHandler = (
  event: SQSEvent,
  context?: unknown,
) => Promise<SQSBatchResponse>;

/** The SQS event fields the consumer reads; the rest of each record is ignored. */
const SqsBatchSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().check(z.minLength(1)), body: z.string() })),
});

/** One user's hints in the batch, and the messages they came in. */
interface UserGroup {
  readonly key: string;
  readonly hints: LifecycleHint[];
  readonly messageIds: string[];
}

/** A group whose event is built and waits for PutEvents. */
interface ReadyGroup {
  readonly group: UserGroup;
  readonly event: LifecycleSyncEvent;
}

/** Runs `task` over `items`, at most `limit` at once. */
const forEachLimited = async <T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

/**
 * Creates the user-lifecycle consumer. Each SQS record is a CloudTrail event of a Cognito API
 * call, taken as a hint: per batch, the hints are grouped per user (several hints for one user
 * make ONE read), each user is re-read in Cognito (ListUsers by sub, or AdminGetUser by
 * username), and the state read is published as `UserUpdated`, `UserSignedUp` (AdminCreateUser)
 * or `UserDeleted` (no such user any more). Events of other pools, failed calls and unknown event
 * names are ignored and counted (`HintsIgnored`, dimension `reason`). A record that cannot be
 * read as a usable hint fails back to SQS with its reason logged and reaches the DLQ; a Cognito
 * or EventBridge failure fails the user's records back to SQS (retried, then the DLQ). Nothing
 * in a record crashes the batch.
 *
 * No loop: the consumer only reads Cognito (ListUsers, AdminGetUser), and reads are not among the
 * event names the rule routes here.
 *
 * @example
 * const consumer = createUserLifecycleHandler({ config, cognito, eventBridge, logger, metrics });
 * const { batchItemFailures } = await consumer(sqsEvent);
 */
export const createUserLifecycleHandler = (deps: UserLifecycleDeps): UserLifecycleHandler => {
  const { config, cognito, eventBridge, logger, metrics } = deps;
  const now = deps.now ?? Date.now;

  const countBy = (name: string, dimension: string, value: string, count: number): void => {
    if (count === 0) return;
    const metric = metrics.singleMetric();
    metric.addDimension(dimension, value);
    metric.addMetric(name, MetricUnit.Count, count);
  };

  return async (event) => {
    const { Records: records } = SqsBatchSchema.parse(event);
    metrics.addMetric(MetricName.BatchSize, MetricUnit.Count, records.length);

    const failures: SQSBatchItemFailure[] = [];
    const failedByClass = new Map<HintFailureClass, number>();
    const fail = (messageIds: readonly string[], failureClass: HintFailureClass): void => {
      for (const itemIdentifier of messageIds) failures.push({ itemIdentifier });
      failedByClass.set(failureClass, (failedByClass.get(failureClass) ?? 0) + messageIds.length);
    };
    const ignoredByReason = new Map<IgnoreReason | NoEventReason, number>();
    const ignore = (reason: IgnoreReason | NoEventReason, count = 1): void => {
      ignoredByReason.set(reason, (ignoredByReason.get(reason) ?? 0) + count);
    };

    const groups = new Map<string, UserGroup>();
    for (const record of records) {
      const parsed = parseCloudTrailHint(record.body, config.userPoolIds);
      if (parsed.kind === 'ignored') {
        ignore(parsed.reason);
      } else if (parsed.kind === 'invalid') {
        logger.error('Unusable CloudTrail event; failing it back to SQS (it will reach the DLQ)', {
          messageId: record.messageId,
          reason: parsed.reason,
        });
        fail([record.messageId], 'invalid');
      } else {
        const key = hintKey(parsed.hint);
        const group = groups.get(key) ?? { key, hints: [], messageIds: [] };
        group.hints.push(parsed.hint);
        group.messageIds.push(record.messageId);
        groups.set(key, group);
      }
    }

    const ready: ReadyGroup[] = [];
    await forEachLimited([...groups.values()], READ_CONCURRENCY, async (group) => {
      const first = group.hints[0] as LifecycleHint;
      let decision: ReturnType<typeof lifecycleEventOf>;
      try {
        const read = await readCognitoUser(cognito, first.userPoolId, first.user);
        decision = lifecycleEventOf(group.hints, read, {
          publishedAttributes: config.publishedAttributes,
          readAtMs: now(),
        });
      } catch (error) {
        logger.warn('Reading the user in Cognito failed; failing the hints back to SQS', {
          userPoolId: first.userPoolId,
          messageIds: group.messageIds,
          error: describeError(error),
        });
        fail(group.messageIds, 'cognito');
        return;
      }
      if (decision.kind === 'none') {
        logger.warn(
          decision.reason === 'deleted-user-without-sub'
            ? 'A user known only by username no longer exists; no sub to publish'
            : 'ListUsers finds no user with the sub and nothing confirms a deletion; nothing published',
          { userPoolId: first.userPoolId, messageIds: group.messageIds, reason: decision.reason },
        );
        ignore(decision.reason, group.messageIds.length);
        return;
      }
      const valid = DETAIL_SCHEMAS_V1[decision.event.type].safeParse(decision.event.detail);
      if (!valid.success) {
        logger.error('The user read does not make a valid event; failing the hints back to SQS', {
          userPoolId: first.userPoolId,
          messageIds: group.messageIds,
          detailType: decision.event.type,
          issues: describeIssues(valid.error),
        });
        fail(group.messageIds, 'invalid');
        return;
      }
      ready.push({ group, event: decision.event });
    });

    const outcomes = await publishLifecycleEvents(
      eventBridge,
      ready.map(({ event: lifecycleEvent }) => lifecycleEvent),
      config,
    );
    const published = new Map<string, number>();
    ready.forEach(({ group, event: lifecycleEvent }, index) => {
      const outcome = outcomes[index];
      if (outcome?.published !== true) {
        logger.warn('Publishing a lifecycle event failed; failing its hints back to SQS', {
          eventId: lifecycleEvent.detail.eventId,
          messageIds: group.messageIds,
          ...(outcome === undefined ? {} : { error: outcome.error }),
          ...(outcome?.entryErrorCode === undefined
            ? {}
            : { entryErrorCode: outcome.entryErrorCode }),
        });
        fail(group.messageIds, 'eventbridge');
        return;
      }
      published.set(lifecycleEvent.type, (published.get(lifecycleEvent.type) ?? 0) + 1);
      logger.debug('Lifecycle event published', {
        eventId: lifecycleEvent.detail.eventId,
        detailType: lifecycleEvent.type,
        cause: lifecycleEvent.detail.cause,
        hints: group.messageIds.length,
      });
    });

    for (const [type, count] of published) {
      countBy(MetricName.LifecycleEventsPublished, 'detailType', type, count);
    }
    for (const [reason, count] of ignoredByReason) {
      countBy(MetricName.HintsIgnored, 'reason', reason, count);
    }
    for (const [failureClass, count] of failedByClass) {
      countBy(MetricName.HintsFailed, 'class', failureClass, count);
    }
    return { batchItemFailures: failures };
  };
};
