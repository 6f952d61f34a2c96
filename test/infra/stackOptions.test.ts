import { describe, expect, it } from '@jest/globals';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { CognitoHasuraSyncStack } from '../../infra/stacks/CognitoHasuraSyncStack.js';
import {
  actionsOf,
  arnOf,
  functionIdOf,
  propertiesOf,
  statementsOfFunction,
  synthStack,
  TEST_ENV,
} from './stackFixture.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura/admin-AbC123';

describe('Class: CognitoHasuraSyncStack (options)', () => {
  it('wires the pre-token trigger as V1 when asked', () => {
    // Act
    const { template } = synthStack({ preTokenGenerationVersion: 'V1' });

    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: Match.objectLike({
        PreTokenGenerationConfig: Match.objectLike({ LambdaVersion: 'V1_0' }),
      }),
    });
  });

  it('uses an existing user pool: no pool is created, Cognito may invoke the three triggers', () => {
    // Act
    const { template } = synthStack({ userPoolId: 'eu-west-1_AbCdEf123', env: TEST_ENV });
    const postAuthId = functionIdOf(template, ServiceName.PostAuthentication);
    const preTokenId = functionIdOf(template, ServiceName.PreTokenGeneration);
    const postConfirmationId = functionIdOf(template, ServiceName.PostConfirmation);

    // Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    for (const id of [postAuthId, preTokenId, postConfirmationId]) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: arnOf(id),
        Principal: 'cognito-idp.amazonaws.com',
        SourceAccount: TEST_ENV.account,
        SourceArn: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([Match.stringLikeRegexp('userpool/eu-west-1_AbCdEf123')]),
          ]),
        }),
      });
    }
    template.hasOutput('PostAuthenticationFunctionArn', { Value: arnOf(postAuthId) });
    template.hasOutput('PreTokenGenerationFunctionArn', { Value: arnOf(preTokenId) });
    template.hasOutput('PostConfirmationFunctionArn', { Value: arnOf(postConfirmationId) });
    // Only the imported pool's invocations: the user-lifecycle function is not a trigger.
    template.resourceCountIs('AWS::Lambda::Permission', 3);
  });

  it('uses an existing secret by ARN: none is created, the consumer reads exactly that one', () => {
    // Act
    const { template } = synthStack({ hasuraAdminSecretArn: SECRET_ARN });
    const consumerId = functionIdOf(template, ServiceName.UserSync);

    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(propertiesOf(template, consumerId).Environment).toEqual({
      Variables: expect.objectContaining({ HASURA_ADMIN_SECRET_ARN: SECRET_ARN }),
    });
    expect(statementsOfFunction(template, consumerId)).toContainEqual(
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: SECRET_ARN,
      }),
    );
  });

  it('lets the consumer decrypt an imported secret with its customer-managed key, only through Secrets Manager', () => {
    // Prepare
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    // Act
    const withKey = synthStack({
      hasuraAdminSecretArn: SECRET_ARN,
      hasuraAdminSecretKmsKeyArn: keyArn,
      env: TEST_ENV,
    }).template;
    const withoutKey = synthStack({ hasuraAdminSecretArn: SECRET_ARN, env: TEST_ENV }).template;

    // Assess
    const consumerStatements = (template: Template) =>
      statementsOfFunction(template, functionIdOf(template, ServiceName.UserSync));
    expect(consumerStatements(withKey)).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      }),
    );
    expect(consumerStatements(withKey)).toContainEqual(
      expect.objectContaining({ Resource: SECRET_ARN }),
    );
    expect(actionsOf(consumerStatements(withoutKey))).not.toContain('kms:Decrypt');
  });

  it('reads a secret given by partial ARN whatever its random suffix', () => {
    // Act
    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin';
    const { template } = synthStack({ hasuraAdminSecretArn: partial });
    const consumerId = functionIdOf(template, ServiceName.UserSync);

    // Assess
    expect(statementsOfFunction(template, consumerId)).toContainEqual(
      expect.objectContaining({ Resource: `${partial}-??????` }),
    );
  });

  it('turns the endpoint into a deploy-time parameter when none is given', () => {
    // Act
    const app = new App();
    const stack = new CognitoHasuraSyncStack(app, 'NoEndpoint', { bundle: false });
    const template = Template.fromStack(stack);
    const consumerId = functionIdOf(template, ServiceName.UserSync);

    // Assess
    template.hasParameter('HasuraGraphqlEndpoint', {
      Type: 'String',
      AllowedPattern: Match.stringLikeRegexp('https'),
    });
    expect(propertiesOf(template, consumerId).Environment).toEqual({
      Variables: expect.objectContaining({
        HASURA_GRAPHQL_ENDPOINT: { Ref: 'HasuraGraphqlEndpoint' },
      }),
    });
  });

  it('passes the table, claim and attribute settings to the functions', () => {
    // Act
    const { template } = synthStack({
      publishedAttributes: ['email', 'custom:tenant'],
      usersTable: 'app_users',
      usersConstraint: 'app_users_pkey',
      usersColumnMap: {
        sub: 'id',
        username: 'username',
        authenticatedAt: 'last_seen_at',
        occurredAt: 'last_event_at',
        eventId: 'last_event_id',
        deletedAt: 'deleted_at',
      },
      syncWriteMode: 'where',
      hasuraClaimsNamespace: 'https://hasura.io/jwt/claims',
      hasuraDefaultRole: 'member',
      hasuraGroupRoleMap: { admins: 'operator' },
      hasuraUnmappedGroupsAsRoles: true,
      hasuraAdminGroups: ['Administrators', 'db-owners'],
      hasuraTrustedRoleAttributes: ['custom:roles'],
      hasuraClaimsFormatV2: 'stringified_json',
      hasuraClaimsTokensV2: ['access'],
      logLevel: 'DEBUG',
      consumerBatchSize: 50,
      consumerMaxConcurrency: 2,
      consumerTimeout: Duration.seconds(20),
    });

    // Assess
    expect(
      propertiesOf(template, functionIdOf(template, ServiceName.PostAuthentication)).Environment,
    ).toEqual({
      Variables: expect.objectContaining({
        PUBLISHED_ATTRIBUTES: 'email,custom:tenant',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      }),
    });
    expect(propertiesOf(template, functionIdOf(template, ServiceName.UserSync))).toMatchObject({
      Timeout: 20,
      Environment: {
        Variables: expect.objectContaining({
          USERS_TABLE: 'app_users',
          USERS_CONSTRAINT: 'app_users_pkey',
          USERS_COLUMN_MAP: JSON.stringify({
            sub: 'id',
            username: 'username',
            authenticatedAt: 'last_seen_at',
            occurredAt: 'last_event_at',
            eventId: 'last_event_id',
            deletedAt: 'deleted_at',
          }),
          SYNC_WRITE_MODE: 'where',
        }),
      },
    });
    expect(
      propertiesOf(template, functionIdOf(template, ServiceName.PreTokenGeneration)).Environment,
    ).toEqual({
      Variables: expect.objectContaining({
        HASURA_DEFAULT_ROLE: 'member',
        HASURA_GROUP_ROLE_MAP: '{"admins":"operator"}',
        HASURA_UNMAPPED_GROUPS_AS_ROLES: 'true',
        HASURA_ADMIN_GROUPS: 'Administrators,db-owners',
        HASURA_TRUSTED_ROLE_ATTRIBUTES: 'custom:roles',
        HASURA_CLAIMS_FORMAT_V2: 'stringified_json',
        HASURA_CLAIMS_TOKENS_V2: 'access',
      }),
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 50,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('leaves the optional service settings to the services when not given', () => {
    // Act
    const { template } = synthStack();

    // Assess
    const variables = (
      propertiesOf(template, functionIdOf(template, ServiceName.UserSync)).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    for (const name of ['USERS_TABLE', 'USERS_CONSTRAINT', 'USERS_COLUMN_MAP', 'SYNC_WRITE_MODE']) {
      expect(variables).not.toHaveProperty(name);
    }
  });
});
