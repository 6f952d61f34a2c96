import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { UserLifecycleConfig } from '../../../services/user-lifecycle/config.js';
import { createUserLifecycleHandler } from '../../../services/user-lifecycle/createUserLifecycleHandler.js';
import { DETAIL_SCHEMAS_V1 } from '../../../shared/events/syncEvent.js';
import { MetricName } from '../../../shared/metricNames.js';
import {
  cloudTrailEvent,
  FIXTURE_POOL_ID,
  FIXTURE_SUB,
  lifecycleBatch,
} from '../../helpers/cloudTrailFixtures.js';
import { recordingLogger, recordingMetrics } from '../../helpers/testDoubles.js';

const READ_AT = Date.UTC(2026, 10, 26, 12, 45, 0, 123);
const CONFIG: UserLifecycleConfig = {
  eventBusName: 'test-bus',
  eventSource: 'test.source',
  userPoolIds: new Set([FIXTURE_POOL_ID]),
  publishedAttributes: ['email'],
  region: 'eu-west-1',
};
const JANE: UserType = {
  Username: 'jane.doe',
  Enabled: false,
  UserStatus: 'CONFIRMED',
  Attributes: [
    { Name: 'sub', Value: FIXTURE_SUB },
    { Name: 'email', Value: 'jane.new@example.com' },
    { Name: 'phone_number', Value: '+15555550100' },
  ],
};
/** What AdminGetUser answers for a user of ListUsers. */
const asAdminGetUser = (user: UserType) => ({
  Username: user.Username,
  UserAttributes: user.Attributes,
  Enabled: user.Enabled,
  UserStatus: user.UserStatus,
});
const OTHER_SUB = 'b2c3d4e5-6789-4f01-8bcd-ef0123456789';
const OTHER: UserType = {
  ...JANE,
  Username: 'other',
  Attributes: [{ Name: 'sub', Value: OTHER_SUB }],
};
const userNotFound = () =>
  new CognitoIdentityProviderServiceException({
    name: 'UserNotFoundException',
    $fault: 'client',
    $metadata: {},
    message: 'User does not exist.',
  });

describe('Function: createUserLifecycleHandler', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const eventBridgeMock = mockClient(EventBridgeClient);

  beforeEach(() => {
    cognitoMock.reset();
    eventBridgeMock.reset();
    cognitoMock.on(ListUsersCommand).resolves({ Users: [JANE] });
    cognitoMock.on(AdminGetUserCommand).resolves(asAdminGetUser(JANE));
    cognitoMock
      .on(ListUsersCommand, { Filter: `sub = "${OTHER_SUB}"` })
      .resolves({ Users: [OTHER] });
    cognitoMock.on(AdminGetUserCommand, { Username: 'other' }).resolves(asAdminGetUser(OTHER));
    eventBridgeMock.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_entry, index) => ({ EventId: `e-${index}` })),
    }));
  });

  const setup = () => {
    const logger = recordingLogger();
    const metrics = recordingMetrics();
    const handler = createUserLifecycleHandler({
      config: CONFIG,
      cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
      eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
      logger,
      metrics,
      now: () => READ_AT,
    });
    const published = () =>
      eventBridgeMock.commandCalls(PutEventsCommand).flatMap((call) =>
        (call.args[0].input.Entries ?? []).map((entry) => ({
          entry,
          detail: JSON.parse(entry.Detail ?? 'null') as Record<string, unknown>,
        })),
      );
    return { handler, logger, metrics, published };
  };

  it('re-reads the user by sub and publishes UserUpdated with the state read, all hidden fields hidden', async () => {
    // Prepare
    const { handler, metrics, published } = setup();

    // Act
    const result = await handler(lifecycleBatch(cloudTrailEvent('AdminDisableUser')));

    // Assess
    expect(result).toStrictEqual({ batchItemFailures: [] });
    expect(cognitoMock).toHaveReceivedCommandWith(ListUsersCommand, {
      UserPoolId: FIXTURE_POOL_ID,
      Filter: `sub = "${FIXTURE_SUB}"`,
      Limit: 1,
    });
    const [event] = published();
    expect(event?.entry).toMatchObject({
      EventBusName: 'test-bus',
      Source: 'test.source',
      DetailType: 'UserUpdated',
    });
    expect(DETAIL_SCHEMAS_V1.UserUpdated.parse(event?.detail)).toStrictEqual({
      schemaVersion: 1,
      eventId: expect.any(String),
      userPoolId: FIXTURE_POOL_ID,
      sub: FIXTURE_SUB,
      username: 'jane.doe',
      attributes: { email: 'jane.new@example.com' },
      enabled: false,
      status: 'CONFIRMED',
      cause: 'AdminDisableUser',
      occurredAt: '2026-11-26T12:45:00.123Z',
    });
    expect(metrics.sum(MetricName.LifecycleEventsPublished, { detailType: 'UserUpdated' })).toBe(1);
  });

  it('publishes UserSignedUp (cause AdminCreateUser, clientId null) for an administrator-created user', async () => {
    // Prepare
    cognitoMock
      .on(AdminGetUserCommand)
      .resolves(asAdminGetUser({ ...JANE, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' }));
    const { handler, published } = setup();

    // Act
    await handler(lifecycleBatch(cloudTrailEvent('AdminCreateUser')));

    // Assess
    const [event] = published();
    expect(event?.entry.DetailType).toBe('UserSignedUp');
    expect(DETAIL_SCHEMAS_V1.UserSignedUp.parse(event?.detail)).toMatchObject({
      cause: 'AdminCreateUser',
      clientId: null,
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
    });
  });

  it('publishes UserDeleted when the user read is not found', async () => {
    // Prepare
    cognitoMock.on(ListUsersCommand).resolves({ Users: [] });
    const { handler, published } = setup();

    // Act
    await handler(lifecycleBatch(cloudTrailEvent('AdminDeleteUser')));

    // Assess
    const [event] = published();
    expect(event?.entry.DetailType).toBe('UserDeleted');
    expect(DETAIL_SCHEMAS_V1.UserDeleted.parse(event?.detail)).toStrictEqual({
      schemaVersion: 1,
      eventId: expect.any(String),
      userPoolId: FIXTURE_POOL_ID,
      sub: FIXTURE_SUB,
      username: null,
      cause: 'AdminDeleteUser',
      occurredAt: '2026-11-26T12:45:00.123Z',
    });
  });

  it('publishes UserDeleted after any call when AdminGetUser confirms ListUsers’ stale answer is gone', async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).rejects(userNotFound());
    const { handler, published } = setup();

    // Act
    await handler(lifecycleBatch(cloudTrailEvent('AdminUpdateUserAttributes')));

    // Assess
    expect(cognitoMock).toHaveReceivedCommandWith(AdminGetUserCommand, {
      UserPoolId: FIXTURE_POOL_ID,
      Username: 'jane.doe',
    });
    expect(published().map(({ entry }) => entry.DetailType)).toStrictEqual(['UserDeleted']);
  });

  it('publishes no tombstone when only ListUsers (eventually consistent) misses the user after a non-deleting call', async () => {
    // Prepare
    cognitoMock.on(ListUsersCommand).resolves({ Users: [] });
    const { handler, logger, metrics } = setup();

    // Act
    const result = await handler(lifecycleBatch(cloudTrailEvent('AdminUpdateUserAttributes')));

    // Assess
    expect(result.batchItemFailures).toStrictEqual([]);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(metrics.sum(MetricName.HintsIgnored, { reason: 'user-not-found-unconfirmed' })).toBe(1);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn' }));
  });

  it('reads the state with AdminGetUser, not from ListUsers’ answer', async () => {
    // Prepare: ListUsers still shows the user enabled; AdminGetUser has the disable.
    cognitoMock.on(ListUsersCommand).resolves({ Users: [{ ...JANE, Enabled: true }] });
    const { handler, published } = setup();

    // Act
    await handler(lifecycleBatch(cloudTrailEvent('AdminDisableUser')));

    // Assess
    expect(published()[0]?.detail).toMatchObject({ enabled: false });
  });

  it('reads once and publishes once for several hints about one user, naming the newest call', async () => {
    // Prepare
    const { handler, published } = setup();
    const batch = lifecycleBatch(
      cloudTrailEvent('AdminUpdateUserAttributes'),
      cloudTrailEvent('AdminDisableUser'),
      cloudTrailEvent('AdminAddUserToGroup'),
    );

    // Act
    const result = await handler(batch);

    // Assess
    expect(result.batchItemFailures).toStrictEqual([]);
    expect(cognitoMock).toHaveReceivedCommandTimes(ListUsersCommand, 1);
    expect(published()).toHaveLength(1);
    // The fixtures' eventTime grows with their order in pipeline.lifecycle.eventNames.
    expect(published()[0]?.detail.cause).toBe('AdminAddUserToGroup');
  });

  it('reads by username with AdminGetUser when the sub is absent and the username is in clear', async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).resolves({
      Username: 'jane.doe',
      UserAttributes: JANE.Attributes,
      Enabled: true,
      UserStatus: 'CONFIRMED',
    });
    const event = cloudTrailEvent('AdminEnableUser');
    delete event.detail.additionalEventData;
    event.detail.requestParameters.username = 'jane.doe';
    const { handler, published } = setup();

    // Act
    await handler(lifecycleBatch(event));

    // Assess
    expect(cognitoMock).toHaveReceivedCommandWith(AdminGetUserCommand, {
      UserPoolId: FIXTURE_POOL_ID,
      Username: 'jane.doe',
    });
    expect(published()[0]?.detail).toMatchObject({ sub: FIXTURE_SUB, enabled: true });
  });

  it('publishes nothing for a user known only by username who no longer exists, and counts it', async () => {
    // Prepare
    cognitoMock.on(AdminGetUserCommand).rejects(userNotFound());
    const event = cloudTrailEvent('AdminDeleteUser');
    delete event.detail.additionalEventData;
    event.detail.requestParameters.username = 'jane.doe';
    const { handler, metrics } = setup();

    // Act
    const result = await handler(lifecycleBatch(event));

    // Assess
    expect(result.batchItemFailures).toStrictEqual([]);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(metrics.sum(MetricName.HintsIgnored, { reason: 'deleted-user-without-sub' })).toBe(1);
  });

  it('ignores and counts failed calls, other pools and unknown names; fails malformed records back to SQS', async () => {
    // Prepare
    const unknown = cloudTrailEvent('AdminDisableUser');
    unknown.detail.eventName = 'AdminGetUser';
    const { handler, logger, metrics } = setup();

    // Act
    const result = await handler(
      lifecycleBatch(
        cloudTrailEvent('failedCall'),
        cloudTrailEvent('otherPool'),
        unknown,
        'not json',
        cloudTrailEvent('AdminEnableUser'),
      ),
    );

    // Assess
    expect(result).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm-3' }] });
    expect(metrics.sum(MetricName.HintsIgnored, { reason: 'failed-call' })).toBe(1);
    expect(metrics.sum(MetricName.HintsIgnored, { reason: 'other-pool' })).toBe(1);
    expect(metrics.sum(MetricName.HintsIgnored, { reason: 'unknown-event-name' })).toBe(1);
    expect(metrics.sum(MetricName.HintsFailed, { class: 'invalid' })).toBe(1);
    expect(cognitoMock).toHaveReceivedCommandTimes(ListUsersCommand, 1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        extra: [
          expect.objectContaining({ messageId: 'm-3', reason: expect.stringContaining('JSON') }),
        ],
      }),
    );
  });

  it('fails the hints of a user whose read fails back to SQS and publishes the others', async () => {
    // Prepare
    const otherSub = OTHER_SUB;
    cognitoMock
      .on(ListUsersCommand, { Filter: `sub = "${FIXTURE_SUB}"` })
      .rejects(new Error('Rate exceeded'));
    const other = cloudTrailEvent('AdminEnableUser');
    other.detail.additionalEventData = { sub: otherSub };
    const { handler, metrics, published } = setup();

    // Act
    const result = await handler(
      lifecycleBatch(
        cloudTrailEvent('AdminDisableUser'),
        other,
        cloudTrailEvent('AdminEnableUser'),
      ),
    );

    // Assess
    expect(result.batchItemFailures).toStrictEqual([
      { itemIdentifier: 'm-0' },
      { itemIdentifier: 'm-2' },
    ]);
    expect(published().map((event) => event.detail.sub)).toStrictEqual([otherSub]);
    expect(metrics.sum(MetricName.HintsFailed, { class: 'cognito' })).toBe(2);
  });

  it('fails back exactly the records whose entry EventBridge rejected', async () => {
    // Prepare
    const otherSub = OTHER_SUB;
    eventBridgeMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'e-0' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
      ],
    });
    const other = cloudTrailEvent('AdminEnableUser');
    other.detail.additionalEventData = { sub: otherSub };
    const { handler, metrics } = setup();

    // Act
    const result = await handler(lifecycleBatch(cloudTrailEvent('AdminDisableUser'), other));

    // Assess
    expect(result.batchItemFailures).toStrictEqual([{ itemIdentifier: 'm-1' }]);
    expect(metrics.sum(MetricName.HintsFailed, { class: 'eventbridge' })).toBe(1);
  });

  it('fails every published record back when PutEvents throws', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
    const { handler } = setup();

    // Act
    const result = await handler(
      lifecycleBatch(cloudTrailEvent('AdminDisableUser'), cloudTrailEvent('failedCall')),
    );

    // Assess
    expect(result.batchItemFailures).toStrictEqual([{ itemIdentifier: 'm-0' }]);
  });

  it('never logs a username or an attribute value', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
    const { handler, logger } = setup();

    // Act
    await handler(lifecycleBatch(cloudTrailEvent('AdminUpdateUserAttributes')));

    // Assess
    const text = JSON.stringify(logger.lines);
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain('jane.new@example.com');
    expect(text).not.toContain('+15555550100');
  });
});
