import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type LatencySummary, summarizeLatencies } from '../cli/latencySummary.js';
import type { HasuraEngine } from '../engine/src/server.js';
import { describeError } from '../shared/errors.js';
import { MetricName } from '../shared/metricNames.js';
import type { MetricTotals } from '../shared/recordingMetrics.js';
import type { SqsBatchReport } from './sqsPoller.js';

/** The local stack's counters at one moment. */
export interface StackSnapshot {
  /** post-authentication: events EventBridge accepted. */
  readonly published: number;
  /** post-authentication: events sent straight to the sync queue (EventBridge failed). */
  readonly fallback: number;
  /** post-authentication: events lost (EventBridge and SQS failed). */
  readonly publishFailed: number;
  readonly invalidTrigger: number;
  /** post-confirmation: sign-up events by path (its own totals, apart from the logins'). */
  readonly signUps: {
    readonly published: number;
    readonly fallback: number;
    readonly failed: number;
  };
  /** user-lifecycle: lifecycle events published, hints ignored, hints failed back to SQS. */
  readonly lifecycle: {
    readonly published: number;
    readonly ignored: number;
    readonly failed: number;
  };
  /** user-sync: rows inserted or updated. */
  readonly usersSynced: number;
  /** user-sync: events older than the stored row. */
  readonly staleSkipped: number;
  /** user-sync: HTTP requests it sent to Hasura. */
  readonly hasuraRequests: number;
  /** Requests the embedded engine served to /v1/graphql (absent for an external Hasura). */
  readonly engineRequests?: number;
  /** Sync records deleted after a successful invocation. */
  readonly recordsSucceeded: number;
  /** Sync records left for redelivery (batch item failures, failed invocations). */
  readonly recordsFailed: number;
  readonly invocations: number;
  /** Login events the example second subscriber received (distinct event ids). */
  readonly subscriberEvents: number;
  /** Now − `authenticatedAt` when the record's batch succeeded. */
  readonly syncLagMs: LatencySummary;
  readonly pollerErrors: number;
  readonly lastPollerError?: string;
}

/** Collects what the local stack's parts report. */
export interface StackRecorder {
  /** `onBatch` of the sync poller. */
  readonly onSyncBatch: (report: SqsBatchReport) => void;
  /** `onError` of the pollers. */
  readonly onPollerError: (error: unknown) => void;
  /** The example subscriber's consumer: remembers the event ids it receives. */
  readonly subscriberHandler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Distinct event ids (`detail.eventId`) the subscriber received. */
  subscriberEventIds(): ReadonlySet<string>;
  snapshot(): StackSnapshot;
  /** Sync lags (ms) recorded since the previous call: the console charts them per interval. */
  takeNewLags(): number[];
}

/** `detail.eventId` and `detail.authenticatedAt` of a message body, when it has them. */
const detailOf = (body: string): { eventId?: string; authenticatedAt?: string } => {
  try {
    const parsed: unknown = JSON.parse(body);
    const detail =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { detail?: unknown }).detail
        : undefined;
    if (typeof detail !== 'object' || detail === null) return {};
    const { eventId, authenticatedAt } = detail as Record<string, unknown>;
    return {
      ...(typeof eventId === 'string' ? { eventId } : {}),
      ...(typeof authenticatedAt === 'string' ? { authenticatedAt } : {}),
    };
  } catch {
    return {};
  }
};

/**
 * Creates the recorder of a local stack.
 *
 * @param totals - the services' metric totals.
 * @param engine - the embedded engine, for its request count.
 * @param signUpTotals - the post-confirmation trigger's totals (its metric names are the
 *   login trigger's).
 * @default signUpTotals - none: the sign-up counts are 0
 */
export const createStackRecorder = (
  totals: MetricTotals,
  engine?: HasuraEngine,
  signUpTotals?: MetricTotals,
): StackRecorder => {
  const lags: number[] = [];
  let lagsTaken = 0;
  const subscriberIds = new Set<string>();
  const counters = { succeeded: 0, failed: 0, invocations: 0, pollerErrors: 0 };
  let lastPollerError: string | undefined;

  return {
    onSyncBatch: (report) => {
      const now = Date.now();
      counters.invocations += 1;
      counters.failed += report.failedIds.length;
      counters.succeeded += report.succeeded;
      const failed = new Set(report.failedIds);
      for (const record of report.event.Records) {
        if (failed.has(record.messageId)) continue;
        const { authenticatedAt } = detailOf(record.body);
        if (authenticatedAt !== undefined)
          lags.push(Math.max(0, now - Date.parse(authenticatedAt)));
      }
    },
    takeNewLags: () => {
      const fresh = lags.slice(lagsTaken);
      lagsTaken = lags.length;
      return fresh;
    },
    onPollerError: (error) => {
      counters.pollerErrors += 1;
      lastPollerError = describeError(error);
    },
    subscriberHandler: async (event) => {
      for (const record of event.Records) {
        const { eventId } = detailOf(record.body);
        if (eventId !== undefined) subscriberIds.add(eventId);
      }
      return { batchItemFailures: [] };
    },
    subscriberEventIds: () => subscriberIds,
    snapshot: () => ({
      published: totals.get(MetricName.Published),
      fallback: totals.get(MetricName.FallbackUsed),
      publishFailed: totals.get(MetricName.PublishFailed),
      invalidTrigger: totals.get(MetricName.InvalidTrigger),
      signUps: {
        published: signUpTotals?.get(MetricName.Published) ?? 0,
        fallback: signUpTotals?.get(MetricName.FallbackUsed) ?? 0,
        failed: signUpTotals?.get(MetricName.PublishFailed) ?? 0,
      },
      lifecycle: {
        published: totals.get(MetricName.LifecycleEventsPublished),
        ignored: totals.get(MetricName.HintsIgnored),
        failed: totals.get(MetricName.HintsFailed),
      },
      usersSynced: totals.get(MetricName.UsersSynced),
      staleSkipped: totals.get(MetricName.StaleEventsSkipped),
      hasuraRequests: totals.get(MetricName.HasuraRequests),
      ...(engine === undefined ? {} : { engineRequests: engine.requestCount() }),
      recordsSucceeded: counters.succeeded,
      recordsFailed: counters.failed,
      invocations: counters.invocations,
      subscriberEvents: subscriberIds.size,
      syncLagMs: summarizeLatencies(lags),
      pollerErrors: counters.pollerErrors,
      ...(lastPollerError === undefined ? {} : { lastPollerError }),
    }),
  };
};
