/**
 * The Lambda entry point as Lambda loads it: `composeUserLifecycle` at module scope from the
 * environment, wrapped by middy with the Powertools middlewares.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureProcessOutput } from '../../helpers/captureProcessOutput.js';
import {
  cloudTrailEvent,
  FIXTURE_POOL_ID,
  FIXTURE_SUB,
  lifecycleBatch,
} from '../../helpers/cloudTrailFixtures.js';
import { runtimeContext } from '../../helpers/lambdaContexts.js';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

describe('Function: handler', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const eventBridgeMock = mockClient(EventBridgeClient);
  const savedEnv = { ...process.env };
  const output: string[] = [];
  let handler: Handler;

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      EVENT_BUS_NAME: 'user-bus',
      USER_POOL_IDS: FIXTURE_POOL_ID,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    });
    captureProcessOutput(output);
    const attributes = [
      { Name: 'sub', Value: FIXTURE_SUB },
      { Name: 'email', Value: 'jane.doe@example.com' },
    ];
    cognitoMock.on(ListUsersCommand).resolves({
      Users: [
        { Username: 'jane.doe', Enabled: true, UserStatus: 'CONFIRMED', Attributes: attributes },
      ],
    });
    cognitoMock.on(AdminGetUserCommand).resolves({
      Username: 'jane.doe',
      Enabled: true,
      UserStatus: 'CONFIRMED',
      UserAttributes: attributes,
    });
    eventBridgeMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    ({ handler } = await import('../../../services/user-lifecycle/handler.js'));
  });

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it('publishes to the configured bus, answers a partial batch response, and logs no attribute value', async () => {
    // Act
    const result = await handler(
      lifecycleBatch(cloudTrailEvent('AdminUpdateUserAttributes'), 'not json'),
      runtimeContext({ functionName: 'user-lifecycle', awsRequestId: 'lifecycle-request-1' }),
    );

    // Assess
    expect(result).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(eventBridgeMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'user-bus', DetailType: 'UserUpdated' })],
    });
    const text = output.join('');
    expect(text).toContain('"function_request_id":"lifecycle-request-1"');
    expect(text).toContain('"LifecycleEventsPublished":1');
    expect(text).not.toContain('jane.doe');
  });
});
