import type { Duration, StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ClaimsFormat, TokenKind } from '../../services/pre-token-generation/config.js';
import type { SyncDeleteMode, SyncWriteMode } from '../../services/user-sync/config.js';
import type { ServiceLogLevel } from '../../shared/observability.js';
import type { ScheduledReconcileProps } from '../constructs/ScheduledReconcile.js';

/** Version of the pre-token-generation event Cognito sends. */
export type PreTokenGenerationVersion = 'V1' | 'V2';

/**
 * How the pre-token trigger writes the Hasura claims into V2 events (`HASURA_CLAIMS_FORMAT_V2`,
 * Hasura's `claims_format`). V1 events always use `stringified_json`.
 */
export type HasuraClaimsFormat = ClaimsFormat;

/** A token of a V2 pre-token event that can carry the Hasura claims (`id` or `access`). */
export type HasuraClaimsToken = TokenKind;

/** Properties of {@link CognitoHasuraSyncStack}. */
export interface CognitoHasuraSyncStackProps extends StackProps {
  /**
   * Hasura's GraphQL endpoint, e.g. `https://hasura.example.com/v1/graphql` (https only).
   * @default - a CloudFormation parameter `HasuraGraphqlEndpoint`, given at deploy time
   */
  readonly hasuraGraphqlEndpoint?: string;
  /**
   * Id of an existing user pool (e.g. `eu-west-1_AbCdEf123`). The triggers of an existing pool
   * are not changed by CloudFormation: the stack allows Cognito to invoke the functions and
   * outputs their ARNs, which you attach with `aws cognito-idp update-user-pool`.
   * @default - a new user pool with the three triggers attached
   */
  readonly userPoolId?: string;
  /**
   * ARN of an existing Secrets Manager secret holding the Hasura admin secret.
   * @default - a new secret with a generated value
   */
  readonly hasuraAdminSecretArn?: string;
  /**
   * ARN of the customer-managed KMS key that encrypts the secret given by
   * `hasuraAdminSecretArn`: the consumer is granted `kms:Decrypt` on it, only through Secrets
   * Manager (`kms:ViaService`). Without it, reading a secret encrypted with such a key fails
   * with AccessDenied. Not needed for the AWS managed key `aws/secretsmanager`.
   * @default - the secret uses the AWS managed key
   */
  readonly hasuraAdminSecretKmsKeyArn?: string;
  /**
   * Version of the pre-token-generation event (V2 can also shape access tokens; needs the
   * Essentials or Plus feature plan).
   * @default 'V2'
   */
  readonly preTokenGenerationVersion?: PreTokenGenerationVersion;
  /**
   * How long the bus archive keeps login events (whole days; 0 = forever).
   * @default Duration.days(pipeline.archive.retentionDays)
   */
  readonly archiveRetention?: Duration;
  /**
   * AWS accounts allowed to subscribe to the login events (create rules on the bus).
   * @default - none
   */
  readonly subscriberAccountIds?: readonly string[];
  /**
   * AWS Organization whose accounts may subscribe to the login events.
   * @default - none
   */
  readonly subscriberOrganizationId?: string;
  /**
   * `Source` of the published events (`EVENT_SOURCE`).
   * @default pipeline.eventSource
   */
  readonly eventSource?: string;
  /**
   * Cognito attributes copied into the events (`PUBLISHED_ATTRIBUTES` of the publishers:
   * post-authentication, post-confirmation, user-lifecycle, and of the consumer). Every `attributes.<name>` that `usersColumnMap` reads must be listed, or synth fails.
   * @default ['email']
   */
  readonly publishedAttributes?: readonly string[];
  /**
   * IAM role ARNs, besides the roles of the post-authentication and post-confirmation triggers
   * and of `user-lifecycle`, that may put user events (`eventSource`) on the bus, e.g. the roles
   * that run `backfill` and `reconcile`. The bus policy denies `events:PutEvents` of that source
   * to every other principal of the account.
   * @default - none: only the stack's publishers publish
   */
  readonly publisherRoleArns?: readonly string[];
  /**
   * IAM role ARNs, besides the sync rule and the triggers' roles (their fallback), that may send
   * to the sync queue and to the lifecycle queue: the operators' roles that run `replay-dlq` (a
   * dead-letter move sends with the caller's permissions). The queue policies deny
   * `sqs:SendMessage` to everyone else.
   * @default - none: dead letters cannot be moved back into the sync or lifecycle queue
   */
  readonly dlqReplayRoleArns?: readonly string[];
  /**
   * Timeout of the consumer; the sync queue's visibility timeout must stay ≥ 6× it.
   * @default Duration.seconds(pipeline.consumer.timeoutSeconds)
   */
  readonly consumerTimeout?: Duration;
  /**
   * Records per consumer invocation.
   * @default pipeline.consumer.batchSize
   */
  readonly consumerBatchSize?: number;
  /**
   * Concurrent consumer batches, which caps the load on Hasura (2–1000).
   * @default pipeline.consumer.maxConcurrency
   */
  readonly consumerMaxConcurrency?: number;
  /**
   * Create a CloudTrail trail of this region's write management events, with its own bucket
   * (SSE-S3, TLS-only, no public access, log files expire after `trailLogRetention`). The
   * lifecycle path (updates, disables, deletions made through the Cognito API) receives nothing
   * unless some trail logs management events in the region: CloudTrail delivers
   * `AWS API Call via CloudTrail` events to EventBridge only then. Leave it unset when the
   * account already has one (an organization trail counts); set it in an account without any.
   * The first copy of management events in a region is free; a further trail's are charged per
   * 100,000 events (docs/infrastructure.md).
   * @default false - rely on an existing trail
   */
  readonly createTrail?: boolean;
  /**
   * How long the created trail's bucket keeps its log files (whole days); only with `createTrail`.
   * @default Duration.days(90)
   */
  readonly trailLogRetention?: Duration;
  /**
   * The scheduled reconcile of the pool with the users table (EventBridge Scheduler → Step
   * Functions → the `reconcile` function, docs/reconcile.md): `false` leaves it out of the
   * stack; an object sets its schedule and guards.
   * @default - daily, repairing, at most 10 deletions a run (`ScheduledReconcile`'s defaults)
   */
  readonly reconcile?:
    | false
    | Pick<
        ScheduledReconcileProps,
        | 'schedule'
        | 'enabled'
        | 'dryRun'
        | 'maxDeletes'
        | 'callsPerSecond'
        | 'partitionDepth'
        | 'maxConcurrency'
        | 'driftAlarmThreshold'
      >;
  /**
   * Hasura table the consumer writes (`USERS_TABLE`).
   * @default - the consumer's default (`users`)
   */
  readonly usersTable?: string;
  /**
   * Primary-key constraint of the table (`USERS_CONSTRAINT`).
   * @default - the consumer's default (`users_pkey`)
   */
  readonly usersConstraint?: string;
  /**
   * Event field → column map (`USERS_COLUMN_MAP`), e.g.
   * `{ sub: 'id', username: 'username', 'attributes.email': 'email', authenticatedAt:
   * 'last_seen_at', eventId: 'last_event_id' }`; it must map `sub`, `authenticatedAt` and
   * `eventId` (checked at synth time with the consumer's own rules).
   * @default - the consumer's default, matching the `hasura/` project
   */
  readonly usersColumnMap?: Readonly<Record<string, string>>;
  /**
   * `SYNC_WRITE_MODE` of the consumer: `guard` (the `hasura/` migration's trigger) or `where`.
   * @default - the consumer's default (`guard`)
   */
  readonly syncWriteMode?: SyncWriteMode;
  /**
   * `SYNC_DELETE_MODE` of the consumer: `soft` (a deleted user's row stays as a tombstone with
   * every mapped column erased) or `hard` (the row is deleted; `user_tombstones` remembers the
   * sub; needs `syncWriteMode` `guard`). See docs/lifecycle.md.
   * @default - the consumer's default (`soft`)
   */
  readonly syncDeleteMode?: SyncDeleteMode;
  /**
   * Namespace of the Hasura claims (`HASURA_CLAIMS_NAMESPACE`).
   * @default - the trigger's default (`https://hasura.io/jwt/claims`)
   */
  readonly hasuraClaimsNamespace?: string;
  /**
   * Role every signed-in user gets, `x-hasura-default-role` (`HASURA_DEFAULT_ROLE`). `admin`
   * (Hasura's superuser) or a look-alike fails `cdk synth`.
   * @default - the trigger's default (`user`)
   */
  readonly hasuraDefaultRole?: string;
  /**
   * Cognito group → Hasura role (`HASURA_GROUP_ROLE_MAP`). An entry naming `admin` (or a
   * look-alike) fails `cdk synth`: grant the superuser role with `hasuraAdminGroups`.
   * @default - the trigger's default (`{}`, no group is renamed)
   */
  readonly hasuraGroupRoleMap?: Readonly<Record<string, string>>;
  /**
   * Whether a Cognito group missing from `hasuraGroupRoleMap` becomes a Hasura role of the
   * same name (`HASURA_UNMAPPED_GROUPS_AS_ROLES`). A group whose name reads as `admin` never
   * does.
   * @default false - only mapped groups (and `hasuraAdminGroups`) give roles
   */
  readonly hasuraUnmappedGroupsAsRoles?: boolean;
  /**
   * Cognito groups whose members get Hasura's superuser role `admin` (all data, metadata,
   * `run_sql`) in their tokens (`HASURA_ADMIN_GROUPS`): the only way the trigger grants it.
   * @default - none: no token carries `admin`
   */
  readonly hasuraAdminGroups?: readonly string[];
  /**
   * User attributes trusted to carry extra roles (`HASURA_TRUSTED_ROLE_ATTRIBUTES`); a value
   * that reads as `admin` is dropped.
   * @default - the trigger's default (none)
   */
  readonly hasuraTrustedRoleAttributes?: readonly string[];
  /**
   * Tokens of V2 events that carry the Hasura claims (`HASURA_CLAIMS_TOKENS_V2`); V1 events
   * can only change the id token.
   * @default - the trigger's default (`['id', 'access']`)
   */
  readonly hasuraClaimsTokensV2?: readonly HasuraClaimsToken[];
  /**
   * Claims format of V2 events (`HASURA_CLAIMS_FORMAT_V2`); V1 events always get
   * `stringified_json` (`HASURA_CLAIMS_FORMAT_V1`), the only format V1 allows.
   * @default 'json'
   */
  readonly hasuraClaimsFormatV2?: HasuraClaimsFormat;
  /**
   * `POWERTOOLS_LOG_LEVEL` of every function.
   * @default 'INFO'
   */
  readonly logLevel?: ServiceLogLevel;
  /**
   * Retention of the functions' log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Age of the oldest sync-queue message that raises the alarm.
   * @default Duration.minutes(5)
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * Topic the alarms notify.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Also deploy the example second subscriber (`pipeline.exampleSubscriber`: login-audit queue).
   * @default false
   */
  readonly exampleSubscriber?: boolean;
  /**
   * Bundle the functions with esbuild; `false` deploys stubs (infrastructure tests only).
   * @default true
   */
  readonly bundle?: boolean;
}
