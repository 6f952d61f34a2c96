/**
 * The Lambda entry point as Lambda loads it: `composePostConfirmation` at module scope from the
 * environment, wrapped by middy with the Powertools middlewares.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureProcessOutput } from '../../helpers/captureProcessOutput.js';
import { SECRET_VALUES, triggerContext } from '../../helpers/postAuthenticationFixtures.js';
import { postConfirmationEvent } from '../../helpers/postConfirmationFixtures.js';

type Handler = (event: PostConfirmationTriggerEvent, context: Context) => Promise<unknown>;

describe('Function: handler', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  mockClient(SQSClient);
  const savedEnv = { ...process.env };
  const output: string[] = [];
  let handler: Handler;

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      EVENT_BUS_NAME: 'user-bus',
      SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/user-sync',
      EVENT_SOURCE: 'com.example.auth',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    });
    captureProcessOutput(output);
    eventBridgeMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    ({ handler } = await import('../../../services/post-confirmation/handler.js'));
  });

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it('publishes UserSignedUp with the configuration from the environment, logs and counts without attribute values', async () => {
    // Prepare
    const event = postConfirmationEvent();

    // Act
    const result = await handler(event, triggerContext('confirmation-request-1'));

    // Assess
    expect(result).toBe(event);
    expect(eventBridgeMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          EventBusName: 'user-bus',
          Source: 'com.example.auth',
          DetailType: 'UserSignedUp',
        }),
      ],
    });
    const text = output.join('');
    const emf = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((record) => '_aws' in record);
    expect(emf).toMatchObject({ Published: 1, service: 'post-confirmation' });
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});
