/**
 * The one definition of the pipeline's names and settings. The CDK stack (`infra/`) and the
 * local launcher (`local/`) both read it, so the local stack and AWS cannot drift apart.
 */
export const pipeline = {
  /** Name of the EventBridge bus that carries login events. */
  eventBusName: 'cognito-hasura-sync',
  /** Default `Source` of published events (override with `EVENT_SOURCE`). */
  eventSource: 'cognito-hasura-sync',
  /** `DetailType` of the login event. */
  detailType: 'UserAuthenticated',
  /** Archive of every event on the bus, for `replay-archive`. */
  archive: { name: 'cognito-hasura-sync-archive', retentionDays: 30 },
  /** Name of the rule that routes login events to the sync queue. */
  syncRuleName: 'cognito-hasura-sync-user-sync',
  /**
   * Schema versions the sync rule routes to the consumer. A v2 published side by side during a
   * deprecation period then never reaches (and never dead-letters in) a v1 consumer.
   */
  syncSchemaVersions: [1],
  /** The sync queue, its DLQ and the consumer's event source mapping. */
  syncQueue: {
    name: 'cognito-hasura-sync-user-sync',
    dlqName: 'cognito-hasura-sync-user-sync-dlq',
    /** Receives before a message moves to the DLQ. */
    maxReceiveCount: 5,
    /** Six times the consumer's timeout, as AWS recommends for SQS event sources. */
    visibilityTimeoutSeconds: 180,
    retentionDays: 4,
    dlqRetentionDays: 14,
  },
  /** The `user-sync` Lambda and its SQS event source mapping. */
  consumer: {
    timeoutSeconds: 30,
    memoryMiB: 512,
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    /** Caps concurrent batches so Hasura is never flooded. */
    maxConcurrency: 5,
  },
  /** The post-authentication trigger. */
  postAuthentication: {
    /** Lambda timeout; Cognito gives a trigger 5 s. */
    timeoutSeconds: 3,
    /** Time the handler may spend publishing before it lets the sign-in proceed. */
    budgetMs: 1000,
    memoryMiB: 256,
  },
  /** The pre-token-generation trigger. */
  preTokenGeneration: { timeoutSeconds: 3, memoryMiB: 256 },
  /** The example second subscriber: another service receiving the same login events. */
  exampleSubscriber: {
    ruleName: 'cognito-hasura-sync-login-audit',
    queueName: 'cognito-hasura-sync-login-audit',
    dlqName: 'cognito-hasura-sync-login-audit-dlq',
  },
  /** CloudWatch namespace of the services' metrics. */
  metricsNamespace: 'CognitoHasuraSync',
} as const;

/** The pipeline definition's type. */
export type PipelineDefinition = typeof pipeline;

/**
 * The EventBridge pattern that selects login events.
 *
 * @param source - the events' `Source`.
 * @default source - {@link pipeline.eventSource}
 */
export const loginEventPattern = (
  source: string = pipeline.eventSource,
): { source: string[]; 'detail-type': string[] } => ({
  source: [source],
  'detail-type': [pipeline.detailType],
});

/**
 * The pattern of the sync rule: login events of the schema versions the consumer reads.
 *
 * @param source - the events' `Source`.
 * @default source - {@link pipeline.eventSource}
 */
export const syncEventPattern = (
  source: string = pipeline.eventSource,
): ReturnType<typeof loginEventPattern> & { detail: { schemaVersion: number[] } } => ({
  ...loginEventPattern(source),
  detail: { schemaVersion: [...pipeline.syncSchemaVersions] },
});
