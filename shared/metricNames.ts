/**
 * Names of the metrics the services emit (CloudWatch EMF, namespace `pipeline.metricsNamespace`).
 * The CDK alarms and dashboard use the same constants.
 */
export const MetricName = {
  /** post-authentication: event accepted by EventBridge. */
  Published: 'Published',
  /** post-authentication: EventBridge failed, the event went straight to the sync queue. */
  FallbackUsed: 'FallbackUsed',
  /** post-authentication: both EventBridge and SQS failed; `backfill` must repair. */
  PublishFailed: 'PublishFailed',
  /** post-authentication: the trigger payload was unusable (no `sub`, …). */
  InvalidTrigger: 'InvalidTrigger',
  /** user-sync: users written (inserted or updated). */
  UsersSynced: 'UsersSynced',
  /** user-sync: users turned into tombstones (soft) or deleted (hard) by a `UserDeleted`. */
  UsersTombstoned: 'UsersTombstoned',
  /** user-sync: events older than the row already stored (newest wins). */
  StaleEventsSkipped: 'StaleEventsSkipped',
  /** user-sync: records failed back to SQS, dimension `class`. */
  RecordsFailed: 'RecordsFailed',
  /** user-sync: HTTP requests sent to Hasura. */
  HasuraRequests: 'HasuraRequests',
  /** user-sync: now − authenticatedAt, milliseconds. */
  SyncLag: 'SyncLag',
  /** user-sync: records in the SQS batch. */
  BatchSize: 'BatchSize',
  /** pre-token-generation: token events without a usable `sub`. */
  ClaimsSkipped: 'ClaimsSkipped',
  /** reconcile (scheduled): users in step with their row, per run. */
  ReconcileInStep: 'ReconcileInStep',
  /** reconcile: users in Cognito without a row, per run. */
  ReconcileMissing: 'ReconcileMissing',
  /** reconcile: users whose row differs, per run. */
  ReconcileStale: 'ReconcileStale',
  /** reconcile: live rows without a Cognito user (confirmed), per run. */
  ReconcileOrphaned: 'ReconcileOrphaned',
  /** reconcile: missing + stale + orphaned, per run (the drift alarm's metric). */
  ReconcileDrift: 'ReconcileDrift',
  /** reconcile: 1 when a run stopped at its max-deletes limit (nothing deleted). */
  ReconcileStoppedAtMaxDeletes: 'ReconcileStoppedAtMaxDeletes',
} as const;

/** One of {@link MetricName}. */
export type MetricNameValue = (typeof MetricName)[keyof typeof MetricName];

/**
 * user-sync, per detail type of the written event: rows written (`<type>Applied`, e.g.
 * `UserUpdatedApplied`) and events left unapplied by newest wins or a tombstone
 * (`<type>Skipped`). Names rather than a `type` dimension: a dimension needs a single-metric
 * object per value, which Powertools builds and flushes at a cost per batch.
 *
 * @example
 * detailTypeMetric('UserDeleted', 'Skipped'); // 'UserDeletedSkipped'
 */
export const detailTypeMetric = (type: string, outcome: 'Applied' | 'Skipped'): string =>
  `${type}${outcome}`;
