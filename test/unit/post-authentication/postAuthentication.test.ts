import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { PostAuthenticationConfig } from '../../../services/post-authentication/config.js';
import { createPostAuthenticationHandler } from '../../../services/post-authentication/postAuthentication.js';
import {
  UserAuthenticatedEventSchema,
  UserAuthenticatedV1Schema,
} from '../../../shared/events/userAuthenticated.js';
import { MetricName } from '../../../shared/metricNames.js';
import {
  captureLogs,
  postAuthenticationEvent,
  SECRET_VALUES,
  silentLogger,
  testConfig,
  testMetrics,
  triggerContext,
} from '../../helpers/postAuthenticationFixtures.js';

const ACCEPTED: Partial<PutEventsCommandOutput> = {
  FailedEntryCount: 0,
  Entries: [{ EventId: '11111111-2222-3333-4444-555555555555' }],
};
const rejected = (errorCode: string): Partial<PutEventsCommandOutput> => ({
  FailedEntryCount: 1,
  Entries: [{ ErrorCode: errorCode, ErrorMessage: `${errorCode} from the test` }],
});
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
/** Timer slack allowed above the budget on a shared, busy machine. */
const MARGIN_MS = 100;

describe('Function: createPostAuthenticationHandler', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const sqsMock = mockClient(SQSClient);

  beforeEach(() => {
    eventBridgeMock.reset();
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  const setup = (config: Partial<PostAuthenticationConfig> = {}) => {
    const logger = silentLogger();
    const logs = captureLogs(logger);
    const metrics = testMetrics();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const handler = createPostAuthenticationHandler({
      config: testConfig(config),
      clients: {
        eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
        sqs: new SQSClient({ region: 'eu-west-1' }),
      },
      logger,
      metrics,
      now: Date.now,
    });
    const metricNames = (): unknown[] => addMetric.mock.calls.map((call) => call[0]);
    return { handler, logs, metricNames };
  };

  const publishedDetail = (): unknown => {
    const entry = eventBridgeMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    return JSON.parse(entry?.Detail ?? 'null');
  };
  const fallbackEnvelope = (): unknown =>
    JSON.parse(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? 'null');

  it('publishes a UserAuthenticated v1 event and returns the event unchanged when EventBridge accepts it', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(ACCEPTED);
    const { handler, metricNames } = setup();
    const event = postAuthenticationEvent();

    // Act
    const result = await handler(event, triggerContext());

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(postAuthenticationEvent());
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(eventBridgeMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          EventBusName: 'test-bus',
          Source: 'test.source',
          DetailType: 'UserAuthenticated',
        }),
      ],
    });
    const detail = UserAuthenticatedV1Schema.parse(publishedDetail());
    expect(detail).toMatchObject({
      schemaVersion: 1,
      userPoolId: 'eu-west-1_Ab12Cd34E',
      sub: 'a1b2c3d4-5678-4e90-9abc-def012345678',
      username: 'jane.doe',
      clientId: '3n4b5urk1ft4fl3mg5e62d9ado',
      triggerSource: 'PostAuthentication_Authentication',
      attributes: { email: 'jane.doe@example.com' },
    });
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
    expect(metricNames()).toStrictEqual([MetricName.Published]);
  });

  it('sends the envelope to the sync queue when the 200 response has FailedEntryCount 1', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(rejected('MalformedDetail'));
    const { handler, logs, metricNames } = setup();
    const event = postAuthenticationEvent();

    // Act
    const result = await handler(event, triggerContext());

    // Assess
    expect(result).toBe(event);
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/test-sync',
    });
    const envelope = UserAuthenticatedEventSchema.parse(fallbackEnvelope());
    const detail = UserAuthenticatedV1Schema.parse(publishedDetail());
    expect(envelope).toMatchObject({ source: 'test.source', region: 'eu-west-1', detail });
    expect(envelope.id).toBe(detail.eventId);
    expect(envelope.account).toBe('123456789012');
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringContaining('EventBridge failed'),
      expect.objectContaining({ entryErrorCode: 'MalformedDetail' }),
    );
    expect(metricNames()).toStrictEqual([MetricName.FallbackUsed]);
  });

  it('retries PutEvents once and publishes when the entry is first rejected as ThrottlingException', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce(rejected('ThrottlingException'))
      .resolves(ACCEPTED);
    const { handler, metricNames } = setup();

    // Act
    await handler(postAuthenticationEvent(), triggerContext());

    // Assess
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
    expect(metricNames()).toStrictEqual([MetricName.Published]);
  });

  it('falls back after two throttled PutEvents calls', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(rejected('ThrottlingException'));
    const { handler, metricNames } = setup();

    // Act
    await handler(postAuthenticationEvent(), triggerContext());

    // Assess
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(metricNames()).toStrictEqual([MetricName.FallbackUsed]);
  });

  it('falls back when PutEvents throws a throttling error after the SDK gave up', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );
    const { handler, logs, metricNames } = setup();

    // Act
    await handler(postAuthenticationEvent(), triggerContext());

    // Assess
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringContaining('EventBridge failed'),
      expect.objectContaining({ error: 'ThrottlingException: Rate exceeded' }),
    );
    expect(metricNames()).toStrictEqual([MetricName.FallbackUsed]);
  });

  it('falls back within the budget when PutEvents never answers', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).callsFake(() => never());
    const { handler, metricNames } = setup({ budgetMs: 300 });
    const event = postAuthenticationEvent();

    // Act
    const startedAt = Date.now();
    const result = await handler(event, triggerContext());
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(result).toBe(event);
    expect(elapsedMs).toBeLessThan(300 + MARGIN_MS);
    expect(elapsedMs).toBeGreaterThanOrEqual(160);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(metricNames()).toStrictEqual([MetricName.FallbackUsed]);
  });

  it('returns the event and counts PublishFailed when EventBridge and SQS both fail', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
    sqsMock.on(SendMessageCommand).rejects(new Error('connect ECONNREFUSED'));
    const { handler, logs, metricNames } = setup();
    const event = postAuthenticationEvent();

    // Act
    const result = await handler(event, triggerContext());

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(postAuthenticationEvent());
    expect(metricNames()).toStrictEqual([MetricName.PublishFailed]);
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringContaining('run backfill'),
      expect.objectContaining({
        awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        sqsError: 'Error: connect ECONNREFUSED',
      }),
    );
  });

  it('returns within the budget and counts PublishFailed when both endpoints never answer', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).callsFake(() => never());
    sqsMock.on(SendMessageCommand).callsFake(() => never());
    const { handler, metricNames } = setup({ budgetMs: 300 });
    const event = postAuthenticationEvent();

    // Act
    const startedAt = Date.now();
    const result = await handler(event, triggerContext());
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(result).toBe(event);
    expect(elapsedMs).toBeLessThan(300 + MARGIN_MS);
    expect(metricNames()).toStrictEqual([MetricName.PublishFailed]);
  });

  it('shortens the budget to the time the Lambda has left', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).callsFake(() => never());
    sqsMock.on(SendMessageCommand).callsFake(() => never());
    const { handler } = setup({ budgetMs: 2000 });

    // Act
    const startedAt = Date.now();
    await handler(postAuthenticationEvent(), triggerContext('r-1', 400));
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(elapsedMs).toBeLessThan(400 - 250 + MARGIN_MS);
  });

  it('publishes nothing and counts InvalidTrigger when the user has no sub', async () => {
    // Prepare
    const { handler, logs, metricNames } = setup();
    const event = postAuthenticationEvent();
    delete (event.request.userAttributes as Record<string, string | undefined>).sub;
    const untouched = structuredClone(event);

    // Act
    const result = await handler(event, triggerContext());

    // Assess
    expect(result).toBe(event);
    expect(result).toStrictEqual(untouched);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
    expect(metricNames()).toStrictEqual([MetricName.InvalidTrigger]);
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringContaining('Invalid post-authentication trigger'),
      expect.objectContaining({ error: expect.stringContaining('request.userAttributes.sub') }),
    );
  });

  it.each([
    ['null', () => null],
    ['a string', () => 'not an event'],
    ['no userName', () => ({ ...postAuthenticationEvent(), userName: undefined })],
    [
      'another trigger',
      () => ({ ...postAuthenticationEvent(), triggerSource: 'PreSignUp_SignUp' }),
    ],
    ['no callerContext', () => ({ ...postAuthenticationEvent(), callerContext: undefined })],
    ['a bad user pool id', () => ({ ...postAuthenticationEvent(), userPoolId: 'pool' })],
  ])('returns %s unchanged and counts InvalidTrigger', async (_name, makeEvent) => {
    // Prepare
    const { handler, metricNames } = setup();
    const event = makeEvent();

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toBe(event);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(metricNames()).toStrictEqual([MetricName.InvalidTrigger]);
  });

  it('never publishes attributes outside the allow-list, on either path', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(rejected('InternalFailure'));
    const { handler } = setup({ publishedAttributes: ['email', 'custom:tenant', 'nickname'] });

    // Act
    await handler(postAuthenticationEvent(), triggerContext());

    // Assess
    const expected = { email: 'jane.doe@example.com', 'custom:tenant': 'acme' };
    expect(UserAuthenticatedV1Schema.parse(publishedDetail()).attributes).toStrictEqual(expected);
    const envelope = UserAuthenticatedEventSchema.parse(fallbackEnvelope());
    expect(envelope.detail.attributes).toStrictEqual(expected);
    const sent = JSON.stringify(
      [eventBridgeMock.calls(), sqsMock.calls()].flat().map((c) => c.args[0].input),
    );
    expect(sent).not.toContain('+15555550100');
    expect(sent).not.toContain('email_verified');
    expect(sent).not.toContain('cognito:user_status');
  });

  it('never logs attribute values or the username on any path', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(rejected('ThrottlingException'));
    sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    const { handler, logs } = setup();
    const noSub = postAuthenticationEvent();
    delete (noSub.request.userAttributes as Record<string, string | undefined>).sub;

    // Act
    await handler(postAuthenticationEvent(), triggerContext());
    await handler(noSub, triggerContext());

    // Assess
    const text = logs.text();
    expect(text).toContain('c6af9ac6-7b61-11e6-9a41-93e812345678');
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });

  it('gives every copy of one invocation the same eventId and a new invocation a new one', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(rejected('ThrottlingException'));
    const { handler } = setup();

    // Act
    await handler(postAuthenticationEvent(), triggerContext('request-1'));
    await handler(postAuthenticationEvent(), triggerContext('request-1'));
    await handler(postAuthenticationEvent(), triggerContext('request-2'));

    // Assess
    const ids = eventBridgeMock
      .commandCalls(PutEventsCommand)
      .map(
        (call) =>
          UserAuthenticatedV1Schema.parse(JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? ''))
            .eventId,
      );
    const fallbackIds = sqsMock
      .commandCalls(SendMessageCommand)
      .map(
        (call) =>
          UserAuthenticatedEventSchema.parse(JSON.parse(call.args[0].input.MessageBody ?? '')).id,
      );
    expect(ids).toHaveLength(6);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(ids[4]).toBe(ids[5]);
    expect(ids[4]).not.toBe(ids[0]);
    expect(fallbackIds).toStrictEqual([ids[0], ids[0], ids[4]]);
  });

  it('still returns the event when the metrics themselves throw', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves(ACCEPTED);
    const logger = silentLogger();
    const metrics = testMetrics();
    jest.spyOn(metrics, 'addMetric').mockImplementation(() => {
      throw new Error('metrics broken');
    });
    const handler = createPostAuthenticationHandler({
      config: testConfig(),
      clients: {
        eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
        sqs: new SQSClient({ region: 'eu-west-1' }),
      },
      logger,
      metrics,
    });
    const event = postAuthenticationEvent();

    // Act
    const result = await handler(event, triggerContext());

    // Assess
    expect(result).toBe(event);
  });
});
