/**
 * The one definition of the pipeline's names and settings. The CDK stack (`infra/`) and the
 * local launcher (`local/`) both read it, so the local stack and AWS cannot drift apart.
 */
export const pipeline = {
  /** Name of the EventBridge bus that carries login events. */
  eventBusName: 'cognito-hasura-sync',
  /** Default `Source` of published events (override with `EVENT_SOURCE`). */
  eventSource: 'cognito-hasura-sync',
  /** `DetailType` of the login event (also `detailTypes.authenticated`). */
  detailType: 'UserAuthenticated',
  /** `DetailType` of every event of the contract (see `shared/events/`). */
  detailTypes: {
    authenticated: 'UserAuthenticated',
    signedUp: 'UserSignedUp',
    updated: 'UserUpdated',
    deleted: 'UserDeleted',
  },
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
  /** The post-confirmation trigger: publishes `UserSignedUp` under the same budget as logins. */
  postConfirmation: {
    timeoutSeconds: 3,
    budgetMs: 1000,
    memoryMiB: 256,
  },
  /**
   * The lifecycle path: CloudTrail's Cognito API calls on the account's default bus, a rule
   * filtered to this pool and to successful calls, its queue + DLQ, and the `user-lifecycle`
   * function that re-reads each user in Cognito and publishes the lifecycle event.
   */
  lifecycle: {
    ruleName: 'cognito-hasura-sync-user-lifecycle',
    queue: {
      name: 'cognito-hasura-sync-user-lifecycle',
      dlqName: 'cognito-hasura-sync-user-lifecycle-dlq',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 180,
      retentionDays: 4,
      dlqRetentionDays: 14,
    },
    function: {
      timeoutSeconds: 30,
      memoryMiB: 256,
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      /**
       * Concurrent batches (the SQS event source's minimum): a burst of admin changes must not
       * throttle the pool's ListUsers / AdminGetUser quotas, which the application shares.
       */
      maxConcurrency: 2,
    },
    /** CloudTrail event names (source `aws.cognito-idp`) that change a user's state. */
    eventNames: [
      'AdminCreateUser',
      'AdminUpdateUserAttributes',
      'UpdateUserAttributes',
      'AdminDeleteUserAttributes',
      'DeleteUserAttributes',
      'VerifyUserAttribute',
      'AdminDisableUser',
      'AdminEnableUser',
      'AdminDeleteUser',
      'DeleteUser',
      'AdminConfirmSignUp',
      'AdminAddUserToGroup',
      'AdminRemoveUserFromGroup',
    ],
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
 * The EventBridge pattern that selects events of the given detail types (default: all of the
 * contract's), for subscribers that want lifecycle events too.
 *
 * @param source - the events' `Source`.
 * @param detailTypes - the detail types to select.
 * @default source - {@link pipeline.eventSource}
 * @default detailTypes - every detail type of {@link pipeline.detailTypes}
 */
export const userEventPattern = (
  source: string = pipeline.eventSource,
  detailTypes: readonly string[] = Object.values(pipeline.detailTypes),
): { source: string[]; 'detail-type': string[] } => ({
  source: [source],
  'detail-type': [...detailTypes],
});

/**
 * The pattern of the sync rule: every event of the contract (logins and lifecycle) of the
 * schema versions the consumer reads.
 *
 * @param source - the events' `Source`.
 * @default source - {@link pipeline.eventSource}
 */
export const syncEventPattern = (
  source: string = pipeline.eventSource,
): ReturnType<typeof userEventPattern> & { detail: { schemaVersion: number[] } } => ({
  ...userEventPattern(source),
  detail: { schemaVersion: [...pipeline.syncSchemaVersions] },
});

/** How CloudTrail puts a Cognito user pool API call on the default bus. */
export const COGNITO_CLOUDTRAIL = {
  /** The event's `source`. */
  source: 'aws.cognito-idp',
  /** The event's `detail-type` (every management event CloudTrail delivers). */
  detailType: 'AWS API Call via CloudTrail',
  /** `detail.eventSource` of a user pool call. */
  eventSource: 'cognito-idp.amazonaws.com',
} as const;

/**
 * The pattern of the lifecycle rule on the account's default bus, as CloudTrail puts Cognito's
 * management events there: source `aws.cognito-idp`, detail type `AWS API Call via CloudTrail`,
 * the event names of `pipeline.lifecycle.eventNames`, calls on the given pools, successful calls
 * only (no `errorCode`). The CDK stack and the local stack both build the rule from it.
 *
 * @param userPoolIds - the pools whose calls the rule selects.
 *
 * @example
 * lifecycleRulePattern(['eu-west-1_AbCdEf123']);
 */
export const lifecycleRulePattern = (
  userPoolIds: readonly string[],
): {
  source: string[];
  'detail-type': string[];
  detail: {
    eventSource: string[];
    eventName: string[];
    requestParameters: { userPoolId: string[] };
    errorCode: [{ exists: false }];
  };
} => ({
  source: [COGNITO_CLOUDTRAIL.source],
  'detail-type': [COGNITO_CLOUDTRAIL.detailType],
  detail: {
    eventSource: [COGNITO_CLOUDTRAIL.eventSource],
    eventName: [...pipeline.lifecycle.eventNames],
    requestParameters: { userPoolId: [...userPoolIds] },
    errorCode: [{ exists: false }],
  },
});
