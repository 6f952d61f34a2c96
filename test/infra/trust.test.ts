import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { CognitoHasuraSyncStack } from '../../infra/stacks/CognitoHasuraSyncStack.js';
import { pipeline } from '../../shared/pipeline.js';
import {
  arnOf,
  functionIdOf,
  HASURA_ENDPOINT,
  logicalIdOf,
  propertiesOf,
  synthStack,
  TEST_ENV,
} from './stackFixture.js';

const BACKFILL_ROLE = 'arn:aws:iam::123456789012:role/ops/backfill';
const REPLAY_ROLE = 'arn:aws:iam::123456789012:role/ops/replay-dlq';

/** The role of a function, as its ARN (`Fn::GetAtt` of the role). */
const roleArnOf = (template: ReturnType<typeof synthStack>['template'], functionId: string) => {
  const role = propertiesOf(template, functionId).Role as { 'Fn::GetAtt': [string, string] };
  return arnOf(role['Fn::GetAtt'][0]);
};

describe('Class: CognitoHasuraSyncStack (who may publish, what the consumer accepts)', () => {
  const { template } = synthStack({
    publisherRoleArns: [BACKFILL_ROLE],
    dlqReplayRoleArns: [REPLAY_ROLE],
  });
  const consumerId = functionIdOf(template, ServiceName.UserSync);
  const postAuthId = functionIdOf(template, ServiceName.PostAuthentication);
  const postConfirmationId = functionIdOf(template, ServiceName.PostConfirmation);
  const lifecycleId = functionIdOf(template, ServiceName.UserLifecycle);
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', { QueueName: pipeline.syncQueue.name });
  const busId = logicalIdOf(template, 'AWS::Events::EventBus');
  const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');

  it('gives the consumer the pool, the source and the published attributes the trigger uses', () => {
    // Prepare
    const variables = (id: string) =>
      (propertiesOf(template, id).Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(variables(consumerId)).toEqual(
      expect.objectContaining({
        USER_POOL_IDS: { Ref: poolId },
        EVENT_SOURCE: pipeline.eventSource,
        PUBLISHED_ATTRIBUTES: 'email',
      }),
    );
    expect(variables(postAuthId)).toEqual(
      expect.objectContaining({
        EVENT_SOURCE: variables(consumerId).EVENT_SOURCE,
        PUBLISHED_ATTRIBUTES: variables(consumerId).PUBLISHED_ATTRIBUTES,
      }),
    );
  });

  it('gives the consumer the id of an imported pool', () => {
    // Act
    const { template: imported } = synthStack({ userPoolId: 'eu-west-1_AbCdEf123', env: TEST_ENV });

    // Assess
    imported.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: ServiceName.UserSync,
          USER_POOL_IDS: 'eu-west-1_AbCdEf123',
        }),
      },
    });
  });

  it('denies SendMessage on the sync queue to all but the sync rule, the triggers and the replay role', () => {
    // Prepare
    const ruleId = logicalIdOf(template, 'AWS::Events::Rule', { Name: pipeline.syncRuleName });

    // Assess
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenySendersOtherThanTheRule',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sqs:SendMessage',
            Resource: arnOf(queueId),
            Condition: {
              ArnNotEquals: {
                'aws:SourceArn': arnOf(ruleId),
                'aws:PrincipalArn': [
                  roleArnOf(template, postAuthId),
                  roleArnOf(template, postConfirmationId),
                  REPLAY_ROLE,
                ],
              },
            },
          },
        ]),
      },
    });
  });

  it('denies PutEvents of user events on the bus to all but the stack publishers and the named ones', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: busId },
      Statement: {
        Sid: 'cdk-DenyLoginEventsFromOtherPublishers',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: arnOf(busId),
        Condition: {
          'ForAnyValue:StringEquals': { 'events:source': [pipeline.eventSource] },
          ArnNotEquals: {
            'aws:PrincipalArn': [
              roleArnOf(template, postAuthId),
              roleArnOf(template, postConfirmationId),
              roleArnOf(template, lifecycleId),
              roleArnOf(template, functionIdOf(template, ServiceName.Reconcile)),
              BACKFILL_ROLE,
            ],
          },
        },
      },
    });
  });

  it('adds the publishers and senders of later calls to the same Deny statements', () => {
    // Prepare
    const stack = new CognitoHasuraSyncStack(new App(), 'Later', {
      hasuraGraphqlEndpoint: HASURA_ENDPOINT,
      bundle: false,
    });
    const reconcileRole = 'arn:aws:iam::123456789012:role/ops/reconcile';

    // Act
    stack.loginEvents.restrictPublishers([reconcileRole]);
    stack.sync.restrictSenders([REPLAY_ROLE]);
    const later = Template.fromStack(stack);
    const denies = (type: string) =>
      JSON.stringify(later.findResources(type)).match(/"Effect":"Deny"/g) ?? [];

    // Assess
    later.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Effect: 'Deny',
        Condition: Match.objectLike({
          ArnNotEquals: {
            'aws:PrincipalArn': Match.arrayWith([
              roleArnOf(later, functionIdOf(later, ServiceName.PostAuthentication)),
              reconcileRole,
            ]),
          },
        }),
      }),
    });
    expect(denies('AWS::Events::EventBusPolicy')).toHaveLength(1);
    later.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenySendersOtherThanTheRule',
            Condition: {
              ArnNotEquals: Match.objectLike({
                'aws:PrincipalArn': Match.arrayWith([
                  roleArnOf(later, functionIdOf(later, ServiceName.PostConfirmation)),
                  REPLAY_ROLE,
                ]),
              }),
            },
          }),
        ]),
      },
    });
  });

  it('fails synth, naming both props, when the column map reads an attribute not published', () => {
    // Act
    const synth = () =>
      synthStack({
        usersColumnMap: {
          sub: 'id',
          authenticatedAt: 'last_seen_at',
          occurredAt: 'last_event_at',
          eventId: 'last_event_id',
          deletedAt: 'deleted_at',
          'attributes.custom:tenant': 'tenant',
        },
      });

    // Assess
    expect(synth).toThrow(
      /usersColumnMap reads attributes\.custom:tenant, but publishedAttributes \(email\) does not publish custom:tenant/,
    );
  });

  it('fails synth when publishedAttributes leaves out an attribute the default column map reads', () => {
    // Act
    const synth = () => synthStack({ publishedAttributes: ['custom:tenant'] });

    // Assess
    expect(synth).toThrow(
      /usersColumnMap \(its default\) reads attributes\.email, but publishedAttributes \(custom:tenant\) does not publish email/,
    );
  });

  it('synthesizes a column map whose attributes are all published', () => {
    // Act
    const { template: mapped } = synthStack({
      publishedAttributes: ['email', 'custom:tenant'],
      usersColumnMap: {
        sub: 'id',
        authenticatedAt: 'last_seen_at',
        occurredAt: 'last_event_at',
        eventId: 'last_event_id',
        deletedAt: 'deleted_at',
        'attributes.custom:tenant': 'tenant',
      },
    });

    // Assess
    mapped.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: ServiceName.UserSync,
          PUBLISHED_ATTRIBUTES: 'email,custom:tenant',
        }),
      },
    });
  });

  it.each([
    ['publisherRoleArns', { publisherRoleArns: ['backfill'] }],
    ['dlqReplayRoleArns', { dlqReplayRoleArns: ['arn:aws:iam::123456789012:user/ops'] }],
  ])('refuses a %s entry that is not an IAM role ARN', (prop, props) => {
    // Act
    const synth = () => synthStack(props);

    // Assess
    expect(synth).toThrow(new RegExp(`${prop} must hold IAM role ARNs`));
  });
});
