import { describe, expect, it } from '@jest/globals';
import { App, Duration, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LoginEventBus } from '../../infra/constructs/LoginEventBus.js';
import { PipelineMonitoring } from '../../infra/constructs/PipelineMonitoring.js';
import { QueueWithDeadLetterQueue } from '../../infra/constructs/QueueWithDeadLetterQueue.js';
import { SyncFunction } from '../../infra/constructs/SyncFunction.js';
import {
  CognitoHasuraSyncStack,
  type CognitoHasuraSyncStackProps,
} from '../../infra/stacks/CognitoHasuraSyncStack.js';
import { HASURA_ENDPOINT, TEST_ENV } from './stackFixture.js';

const build = (props: Partial<CognitoHasuraSyncStackProps>): CognitoHasuraSyncStack =>
  new CognitoHasuraSyncStack(new App(), 'Invalid', {
    hasuraGraphqlEndpoint: HASURA_ENDPOINT,
    bundle: false,
    ...props,
  });

describe('Function: validateStackProps', () => {
  it.each([
    ['an http endpoint', { hasuraGraphqlEndpoint: 'http://hasura.local/v1/graphql' }, /https/],
    ['a server root', { hasuraGraphqlEndpoint: 'https://hasura.example.com' }, /\/v1\/graphql/],
    ['a non-URL endpoint', { hasuraGraphqlEndpoint: 'hasura' }, /must be a URL/],
    ['a malformed pool id', { userPoolId: 'pool' }, /userPoolId must look like/],
    [
      'a pool of another region',
      { userPoolId: 'us-east-1_AbC123', env: TEST_ENV },
      /in us-east-1 but the stack deploys to eu-west-1/,
    ],
    ['a malformed secret ARN', { hasuraAdminSecretArn: 'hasura-admin' }, /hasuraAdminSecretArn/],
    [
      'a KMS key for the secret the stack creates itself',
      { hasuraAdminSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd' },
      /hasuraAdminSecretKmsKeyArn needs hasuraAdminSecretArn/,
    ],
    [
      'a KMS alias instead of a key ARN',
      {
        hasuraAdminSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin',
        hasuraAdminSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/hasura',
      },
      /hasuraAdminSecretKmsKeyArn must be a KMS key ARN/,
    ],
    [
      'a consumer timeout above 1/6 of the visibility timeout',
      { consumerTimeout: Duration.seconds(60) },
      /at least 6 times the consumer's timeout/,
    ],
    [
      'a consumer timeout shorter than its safety margin allows',
      { consumerTimeout: Duration.seconds(3) },
      /consumerTimeout 3 s is too short/,
    ],
    ['a batch size of 0', { consumerBatchSize: 0 }, /consumerBatchSize/],
    ['a concurrency of 1', { consumerMaxConcurrency: 1 }, /consumerMaxConcurrency .* 2 to 1000/],
    ['a bad attribute name', { publishedAttributes: ['e mail'] }, /publishedAttributes/],
    ['no published attribute', { publishedAttributes: [] }, /must not be empty/],
    [
      'an unknown pre-token version',
      { preTokenGenerationVersion: 'V3' as 'V2' },
      /preTokenGenerationVersion must be "V1" or "V2"/,
    ],
    ['a bad account id', { subscriberAccountIds: ['1234'] }, /12-digit AWS account ids/],
    ['a bad organization id', { subscriberOrganizationId: 'org-1' }, /o-a1b2c3d4e5/],
    [
      'an archive retention in hours',
      { archiveRetention: Duration.hours(36) },
      /whole number of days/,
    ],
    [
      'a column map the consumer refuses (no eventId)',
      { usersColumnMap: { sub: 'id', authenticatedAt: 'last_seen_at' } },
      /usersColumnMap is not accepted by the function .*must map "eventId"/,
    ],
    [
      'an unknown write mode',
      { syncWriteMode: 'fast' as 'guard' },
      /syncWriteMode is not accepted by the function .*"guard" or "where"/,
    ],
    [
      'hard deletes without the guard',
      { syncWriteMode: 'where' as const, syncDeleteMode: 'hard' as const },
      /syncDeleteMode is not accepted by the function \(SYNC_DELETE_MODE=hard requires SYNC_WRITE_MODE=guard.*SYNC_WRITE_MODE is syncWriteMode/,
    ],
    ['a table name that is not a GraphQL name', { usersTable: 'app-users' }, /usersTable/],
    [
      'a group mapped to an empty role',
      { hasuraGroupRoleMap: { admins: ' ' } },
      /hasuraGroupRoleMap is not accepted by the function/,
    ],
    [
      "Hasura's superuser role as the default role",
      { hasuraDefaultRole: 'admin' },
      /^hasuraDefaultRole is not accepted by the function .*superuser.*HASURA_ADMIN_GROUPS is hasuraAdminGroups/,
    ],
    [
      'a look-alike of admin as the default role',
      { hasuraDefaultRole: 'Admin', hasuraAdminGroups: ['Administrators'] },
      /^hasuraDefaultRole is not accepted by the function .*superuser/,
    ],
    [
      'a group mapped to admin',
      { hasuraGroupRoleMap: { Administrators: 'admin' } },
      /^hasuraGroupRoleMap is not accepted by the function .*"Administrators".*superuser.*HASURA_ADMIN_GROUPS is hasuraAdminGroups/,
    ],
    [
      'an admin group name with a comma',
      { hasuraAdminGroups: ['ops,admins'] },
      /hasuraAdminGroups must hold Cognito group names without commas/,
    ],
    [
      'an unknown token for the claims',
      { hasuraClaimsTokensV2: ['refresh' as 'id'] },
      /^hasuraClaimsTokensV2 is not accepted by the function .*"refresh"/,
    ],
    [
      'no token for the claims',
      { hasuraClaimsTokensV2: [] },
      /hasuraClaimsTokensV2 must not be empty/,
    ],
    [
      'an unmapped-groups switch that is not a boolean',
      { hasuraUnmappedGroupsAsRoles: 'yes' as unknown as boolean },
      /^hasuraUnmappedGroupsAsRoles is not accepted by the function .*true or false/,
    ],
    ['an unknown log level', { logLevel: 'VERBOSE' as 'INFO' }, /logLevel must be one of/],
    [
      'a trail retention without a trail',
      { trailLogRetention: Duration.days(30) },
      /trailLogRetention needs createTrail/,
    ],
    [
      'a trail retention in hours',
      { createTrail: true, trailLogRetention: Duration.hours(36) },
      /trailLogRetention must be a whole number of days, at least 1/,
    ],
    [
      'a log retention CloudWatch Logs does not offer',
      { logRetention: 2 as RetentionDays },
      /logRetention must be a CloudWatch Logs retention/,
    ],
  ])('throws a readable error for %s', (_name, props, message) => {
    // Act
    const act = (): CognitoHasuraSyncStack => build(props);

    // Assess
    expect(act).toThrow(message);
  });
});

describe('Class: QueueWithDeadLetterQueue', () => {
  it('throws when the DLQ would drop messages before the source queue does', () => {
    // Act
    const act = (): QueueWithDeadLetterQueue =>
      new QueueWithDeadLetterQueue(new Stack(), 'Queues', {
        retentionPeriod: Duration.days(14),
        deadLetterRetentionPeriod: Duration.days(14),
      });

    // Assess
    expect(act).toThrow(/deadLetterRetentionPeriod must be longer than retentionPeriod/);
  });

  it.each([0, 1.5, 1001])('throws when maxReceiveCount is %s', (maxReceiveCount) => {
    // Act
    const act = (): QueueWithDeadLetterQueue =>
      new QueueWithDeadLetterQueue(new Stack(), 'Queues', { maxReceiveCount });

    // Assess
    expect(act).toThrow(/maxReceiveCount must be an integer from 1 to 1000/);
  });

  it('throws when a retention exceeds what SQS allows', () => {
    // Act
    const act = (): QueueWithDeadLetterQueue =>
      new QueueWithDeadLetterQueue(new Stack(), 'Queues', {
        deadLetterRetentionPeriod: Duration.days(15),
      });

    // Assess
    expect(act).toThrow(/deadLetterRetentionPeriod must be 1 min to 14 days/);
  });
});

describe('Class: SyncFunction', () => {
  it('throws when the entry file does not exist', () => {
    // Act
    const act = (): SyncFunction =>
      new SyncFunction(new Stack(), 'Missing', {
        entry: 'services/missing/handler.ts',
        serviceName: 'missing',
        description: 'missing',
        timeout: Duration.seconds(3),
      });

    // Assess
    expect(act).toThrow(/entry services\/missing\/handler.ts does not exist/);
  });

  it('throws when the timeout is longer than Lambda allows', () => {
    // Act
    const act = (): SyncFunction =>
      new SyncFunction(new Stack(), 'Long', {
        entry: 'services/user-sync/handler.ts',
        serviceName: 'user-sync',
        description: 'too long',
        timeout: Duration.minutes(16),
        bundle: false,
      });

    // Assess
    expect(act).toThrow(/timeout must be 1 s to 15 min/);
  });
});

describe('Class: LoginEventBus', () => {
  it('throws when the bus name holds characters EventBridge rejects', () => {
    // Act
    const act = (): LoginEventBus =>
      new LoginEventBus(new Stack(), 'Bus', { eventBusName: 'my bus/1' });

    // Assess
    expect(act).toThrow(/eventBusName may hold only/);
  });
});

describe('Class: PipelineMonitoring', () => {
  it('throws when the oldest-message threshold is under a minute', () => {
    // Prepare
    const stack = build({});

    // Act
    const act = (): PipelineMonitoring =>
      new PipelineMonitoring(stack, 'Again', {
        syncQueue: stack.syncQueue,
        deadLetterQueues: {},
        consumer: stack.consumer,
        postAuthentication: stack.postAuthentication,
        oldestMessageAgeThreshold: Duration.seconds(30),
      });

    // Assess
    expect(act).toThrow(/oldestMessageAgeThreshold must be at least 1 minute/);
  });
});
