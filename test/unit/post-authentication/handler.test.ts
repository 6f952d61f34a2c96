/**
 * The Lambda entry point as Lambda loads it: config, clients, logger and metrics built at module
 * scope from the environment, wrapped by middy with the Powertools middlewares.
 */

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureProcessOutput } from '../../helpers/captureProcessOutput.js';
import {
  postAuthenticationEvent,
  SECRET_VALUES,
  triggerContext,
} from '../../helpers/postAuthenticationFixtures.js';

type Handler = (event: PostAuthenticationTriggerEvent, context: Context) => Promise<unknown>;

describe('Function: handler', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const sqsMock = mockClient(SQSClient);
  const savedEnv = { ...process.env };
  const output: string[] = [];
  let handler: Handler;

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      EVENT_BUS_NAME: 'login-bus',
      SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/login-sync',
      EVENT_SOURCE: 'com.example.auth',
      PUBLISHED_ATTRIBUTES: 'email,custom:tenant',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      // An operator turning on event logging must not put attribute values in the logs.
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    });
    captureProcessOutput(output);
    ({ handler } = await import('../../../services/post-authentication/handler.js'));
  });

  beforeEach(() => {
    eventBridgeMock.reset();
    sqsMock.reset();
    output.length = 0;
  });

  afterAll(() => {
    jest.restoreAllMocks();
    process.env = savedEnv;
  });

  it('publishes with the configuration from the environment and returns the event unchanged', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const event = postAuthenticationEvent();

    // Act
    const result = await handler(event, triggerContext('handler-request-1'));

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(postAuthenticationEvent());
    expect(eventBridgeMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'login-bus', Source: 'com.example.auth' })],
    });
    const detail = JSON.parse(
      eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}',
    );
    expect(detail.attributes).toStrictEqual({
      email: 'jane.doe@example.com',
      'custom:tenant': 'acme',
    });
  });

  it('writes JSON logs with the Lambda request id and EMF metrics, without attribute values', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('ServiceUnavailable'));
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    // Act
    await handler(postAuthenticationEvent(), triggerContext('handler-request-2'));

    // Assess
    const lines = output
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const fallbackLog = records.find((record) => String(record.message).includes('sync queue'));
    expect(fallbackLog).toMatchObject({
      level: 'WARN',
      service: 'post-authentication',
      function_request_id: 'handler-request-2',
    });
    const emf = records.find((record) => '_aws' in record);
    expect(emf).toMatchObject({ FallbackUsed: 1, service: 'post-authentication' });
    for (const secret of SECRET_VALUES) expect(lines.join('\n')).not.toContain(secret);
  });
});
