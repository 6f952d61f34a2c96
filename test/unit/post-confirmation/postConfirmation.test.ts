import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createPostConfirmationHandler } from '../../../services/post-confirmation/postConfirmation.js';
import { SyncEventEnvelopeSchema } from '../../../shared/events/syncEvent.js';
import { UserSignedUpV1Schema } from '../../../shared/events/userLifecycle.js';
import { MetricName } from '../../../shared/metricNames.js';
import { invocationEventId } from '../../../shared/publishing/invocationEventId.js';
import {
  captureLogs,
  SECRET_VALUES,
  silentLogger,
  testConfig,
  testMetrics,
  triggerContext,
} from '../../helpers/postAuthenticationFixtures.js';
import {
  forgotPasswordConfirmation,
  postConfirmationEvent,
} from '../../helpers/postConfirmationFixtures.js';

const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e812345678';
const NOW = Date.UTC(2026, 10, 26, 12, 30, 15, 42);

describe('Function: createPostConfirmationHandler', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const sqsMock = mockClient(SQSClient);

  beforeEach(() => {
    eventBridgeMock.reset();
    sqsMock.reset();
    eventBridgeMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  const setup = () => {
    const logger = silentLogger();
    const logs = captureLogs(logger);
    const metrics = testMetrics();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const handler = createPostConfirmationHandler({
      config: testConfig(),
      clients: {
        eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
        sqs: new SQSClient({ region: 'eu-west-1' }),
      },
      logger,
      metrics,
      now: () => NOW,
    });
    const metricNames = (): unknown[] => addMetric.mock.calls.map((call) => call[0]);
    const putEntry = () => {
      const input = eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input;
      return input?.Entries?.[0];
    };
    return { handler, logs, metricNames, putEntry };
  };

  it('publishes a UserSignedUp v1 event for PostConfirmation_ConfirmSignUp and returns the event unchanged', async () => {
    // Prepare
    const { handler, metricNames, putEntry } = setup();
    const event = postConfirmationEvent();

    // Act
    const result = await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(postConfirmationEvent());
    expect(putEntry()).toMatchObject({
      EventBusName: 'test-bus',
      Source: 'test.source',
      DetailType: 'UserSignedUp',
    });
    const detail = UserSignedUpV1Schema.parse(JSON.parse(putEntry()?.Detail ?? 'null'));
    expect(detail).toStrictEqual({
      schemaVersion: 1,
      eventId: invocationEventId(
        'eu-west-1_Ab12Cd34E',
        'a1b2c3d4-5678-4e90-9abc-def012345678',
        REQUEST_ID,
      ),
      userPoolId: 'eu-west-1_Ab12Cd34E',
      sub: 'a1b2c3d4-5678-4e90-9abc-def012345678',
      username: 'jane.doe',
      clientId: '3n4b5urk1ft4fl3mg5e62d9ado',
      attributes: { email: 'jane.doe@example.com' },
      enabled: true,
      status: 'CONFIRMED',
      cause: 'PostConfirmation_ConfirmSignUp',
      occurredAt: '2026-11-26T12:30:15.042Z',
    });
    expect(metricNames()).toStrictEqual([MetricName.Published]);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('states CONFIRMED when Cognito sends no cognito:user_status, and null for an administrator call without client', async () => {
    // Prepare
    const { handler, putEntry } = setup();
    const event = postConfirmationEvent();
    delete event.request.userAttributes['cognito:user_status'];
    event.callerContext.clientId = 'CLIENT_ID_NOT_APPLICABLE';

    // Act
    await handler(event, triggerContext(REQUEST_ID));

    // Assess
    const detail = UserSignedUpV1Schema.parse(JSON.parse(putEntry()?.Detail ?? 'null'));
    expect(detail.status).toBe('CONFIRMED');
    expect(detail.clientId).toBeNull();
  });

  it('keeps the status Cognito sends (a federated first sign-in is EXTERNAL_PROVIDER)', async () => {
    // Prepare
    const { handler, putEntry } = setup();
    const event = postConfirmationEvent();
    event.request.userAttributes['cognito:user_status'] = 'EXTERNAL_PROVIDER';

    // Act
    await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(JSON.parse(putEntry()?.Detail ?? 'null')).toMatchObject({ status: 'EXTERNAL_PROVIDER' });
  });

  it('publishes nothing for PostConfirmation_ConfirmForgotPassword and counts TriggerIgnored', async () => {
    // Prepare
    const { handler, metricNames } = setup();
    const event = forgotPasswordConfirmation();

    // Act
    const result = await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(result).toBe(event);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
    expect(metricNames()).toStrictEqual([MetricName.TriggerIgnored]);
  });

  it('sends the EventBridge-shaped envelope to the sync queue when EventBridge fails, with the same event id', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'InternalException',
        $fault: 'server',
        $metadata: {},
        message: 'boom',
      }),
    );
    const { handler, logs, metricNames } = setup();
    const event = postConfirmationEvent();

    // Act
    const result = await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(result).toBe(event);
    const body = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? 'null';
    const envelope = SyncEventEnvelopeSchema.parse(JSON.parse(body));
    expect(envelope['detail-type']).toBe('UserSignedUp');
    expect(JSON.parse(body)).toMatchObject({
      id: envelope.detail.eventId,
      source: 'test.source',
      account: '123456789012',
      time: '2026-11-26T12:30:15Z',
    });
    expect(envelope.detail.eventId).toBe(
      invocationEventId('eu-west-1_Ab12Cd34E', 'a1b2c3d4-5678-4e90-9abc-def012345678', REQUEST_ID),
    );
    expect(metricNames()).toStrictEqual([MetricName.FallbackUsed]);
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringContaining('Sign-up event sent to the sync queue'),
      expect.objectContaining({ detailType: 'UserSignedUp' }),
    );
  });

  it('counts PublishFailed and still returns the event when both EventBridge and SQS fail', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
    sqsMock.on(SendMessageCommand).rejects(new Error('connect ECONNREFUSED'));
    const { handler, logs, metricNames } = setup();
    const event = postConfirmationEvent();

    // Act
    const result = await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(result).toStrictEqual(postConfirmationEvent());
    expect(metricNames()).toStrictEqual([MetricName.PublishFailed]);
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringContaining('run backfill'),
      expect.objectContaining({ awsRequestId: REQUEST_ID }),
    );
  });

  it('counts InvalidTrigger for a sign-up without sub, publishes nothing and logs no attribute value', async () => {
    // Prepare
    const { handler, logs, metricNames } = setup();
    const event = postConfirmationEvent();
    delete (event.request.userAttributes as Record<string, string | undefined>).sub;

    // Act
    const result = await handler(event, triggerContext(REQUEST_ID));

    // Assess
    expect(result).toBe(event);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(metricNames()).toStrictEqual([MetricName.InvalidTrigger]);
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringContaining('Invalid post-confirmation trigger'),
      expect.objectContaining({ error: expect.stringContaining('request.userAttributes.sub') }),
    );
    for (const secret of SECRET_VALUES) expect(logs.text()).not.toContain(secret);
  });

  it.each([null, 'not an event', { triggerSource: 42 }])(
    'resolves to %p unchanged and never throws',
    async (event) => {
      // Prepare
      const { handler, metricNames } = setup();

      // Act
      const result = await handler(event);

      // Assess
      expect(result).toBe(event);
      expect(metricNames()).toStrictEqual([MetricName.InvalidTrigger]);
    },
  );
});
