/**
 * What the console shows, independent of where it comes from (the local stack or a deployed
 * stack): the page's JSON API returns these shapes.
 */

/** One queue of the pipeline. */
export interface QueueView {
  /** What the queue is for, e.g. `sync`, `sync DLQ`, `lifecycle`, `subscriber login-audit`. */
  readonly label: string;
  readonly name: string;
  /** `false` when the queue does not exist on this endpoint (e.g. no lifecycle path). */
  readonly found: boolean;
  readonly depth: number;
  readonly inFlight: number;
  /** Age of the oldest message in seconds, when known (never from peeking a source queue). */
  readonly oldestAgeSeconds: number | null;
  /** Whether this is a dead-letter queue (its messages can be browsed and replayed). */
  readonly deadLetter: boolean;
  /** For a DLQ: the label of the queue its messages go back to. */
  readonly sourceLabel?: string;
}

/** Counters of the pipeline since the console (or the local stack) started. */
export interface PipelineCounters {
  readonly published?: number;
  readonly fallback?: number;
  readonly publishFailed?: number;
  readonly rowsWritten?: number;
  readonly staleSkipped?: number;
}

/** One point of a chart: epoch ms and a value. */
export type Point = readonly [number, number];

/** The charts of the last hour. */
export interface PipelineSeries {
  /** Where the figures come from, shown under the charts. */
  readonly source: string;
  readonly lagP50Ms: readonly Point[];
  readonly lagP99Ms: readonly Point[];
  /** Rows written per minute. */
  readonly throughputPerMinute: readonly Point[];
}

/** The whole picture, refreshed by the page. */
export interface PipelineView {
  readonly at: string;
  readonly target: string;
  readonly queues: readonly QueueView[];
  readonly counters: PipelineCounters;
  readonly series: PipelineSeries;
}

/** A dead letter as the page lists it: decoded, attribute values hidden. */
export interface DeadLetterView {
  readonly messageId: string;
  readonly eventType: string;
  readonly sub?: string;
  readonly eventId?: string;
  /** When the event happened (`authenticatedAt` or `occurredAt`). */
  readonly occurredAt?: string;
  readonly ageSeconds: number | null;
  readonly receiveCount: number | null;
  /** Why it failed: the consumer's logged reason for this message id, when one was found. */
  readonly reason: string | null;
  /** Names of the attributes the event carries (values only through `reveal`). */
  readonly attributeNames: readonly string[];
}
