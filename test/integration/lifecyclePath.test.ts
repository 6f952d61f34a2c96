import {
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { putCloudTrailEvent } from '../../local/cloudTrailEvents.js';
import type { SqsBatchReport } from '../../local/sqsPoller.js';
import { type SyncEventEnvelope, SyncEventEnvelopeSchema } from '../../shared/events/syncEvent.js';
import { COGNITO_CLOUDTRAIL, pipeline } from '../../shared/pipeline.js';
import { cloudTrailEvent } from '../helpers/cloudTrailFixtures.js';
import { eventually, receiveAll } from '../helpers/queues.js';
import { startTestStack, type TestStack } from '../helpers/testStack.js';

jest.setTimeout(60_000);

/**
 * The lifecycle path on moto, as far as the sync queue: a CloudTrail-shaped event on the default
 * bus → the lifecycle rule → the lifecycle queue → the REAL user-lifecycle consumer (re-reads the
 * user in moto's Cognito) → the product bus → the sync rule → the sync queue. The sync poller is
 * stopped, so the test reads what reached the sync queue.
 */
describe('Lifecycle path (moto)', () => {
  let test: TestStack | undefined;
  const lifecycleBatches: SqsBatchReport[] = [];
  const stack = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test.stack;
  };
  const syncEvents = async (count: number): Promise<SyncEventEnvelope[]> =>
    (await receiveAll(stack().aws.sqs, stack().provisioned.syncQueue.queueUrl, count)).map((body) =>
      SyncEventEnvelopeSchema.parse(JSON.parse(body)),
    );
  const hintsSeen = () => lifecycleBatches.flatMap((batch) => batch.event.Records);

  beforeAll(async () => {
    test = await startTestStack('lifecycle', {
      visibilityTimeoutSeconds: 1,
      exampleSubscriber: false,
      onLifecycleBatch: (report) => lifecycleBatches.push(report),
    });
    await stack().syncPoller.stop();
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('turns a CloudTrail event of a disable into UserUpdated with the state re-read from Cognito', async () => {
    // Prepare: a user changed behind the product's back; only CloudTrail tells.
    const ada = await stack().admin.createUser('ada', 'ada@example.com');
    const [signedUp] = await syncEvents(1);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack().awsEndpoint,
      region: stack().region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await cognito.send(
      new AdminDisableUserCommand({ UserPoolId: stack().userPoolId, Username: 'ada' }),
    );
    cognito.destroy();

    // Act
    await putCloudTrailEvent(stack().aws.eventBridge, {
      eventName: 'AdminDisableUser',
      userPoolId: stack().userPoolId,
      sub: ada.sub,
      region: stack().region,
    });
    const [updated] = await syncEvents(1);

    // Assess
    expect(signedUp).toMatchObject({
      'detail-type': 'UserSignedUp',
      source: pipeline.eventSource,
      detail: { sub: ada.sub, username: 'ada', cause: 'AdminCreateUser', enabled: true },
    });
    expect(updated).toMatchObject({
      'detail-type': 'UserUpdated',
      detail: {
        userPoolId: stack().userPoolId,
        sub: ada.sub,
        username: 'ada',
        attributes: { email: 'ada@example.com' },
        enabled: false,
        cause: 'AdminDisableUser',
      },
    });
  });

  it('publishes the sign-up from post-confirmation, then each admin change re-read by the lifecycle path, and UserDeleted last', async () => {
    // Prepare
    await stack().admin.signUp('bea', 'bea@example.com');

    // Act: one step at a time, so each hint is its own batch (hints of one batch make one read).
    const bea = await stack().admin.confirmSignUp('bea');
    const confirmed = await syncEvents(2);
    await stack().admin.updateEmail('bea', 'bea.new@example.com');
    const [emailChanged] = await syncEvents(1);
    await stack().admin.disable('bea');
    const [disabled] = await syncEvents(1);
    await stack().admin.delete('bea');
    const [deleted] = await syncEvents(1);

    // Assess
    const typeOf = (event: SyncEventEnvelope | undefined) => event?.['detail-type'];
    expect(confirmed.map(typeOf).sort()).toStrictEqual(['UserSignedUp', 'UserUpdated']);
    expect(confirmed.find((event) => typeOf(event) === 'UserSignedUp')?.detail).toMatchObject({
      sub: bea.sub,
      cause: 'PostConfirmation_ConfirmSignUp',
      status: 'CONFIRMED',
      enabled: true,
      attributes: { email: 'bea@example.com' },
    });
    expect(confirmed.find((event) => typeOf(event) === 'UserUpdated')?.detail).toMatchObject({
      sub: bea.sub,
      cause: 'AdminConfirmSignUp',
    });
    expect(emailChanged).toMatchObject({
      'detail-type': 'UserUpdated',
      detail: {
        sub: bea.sub,
        cause: 'AdminUpdateUserAttributes',
        attributes: { email: 'bea.new@example.com' },
      },
    });
    expect(disabled).toMatchObject({
      'detail-type': 'UserUpdated',
      detail: { sub: bea.sub, cause: 'AdminDisableUser', enabled: false },
    });
    expect(deleted).toMatchObject({
      'detail-type': 'UserDeleted',
      detail: { sub: bea.sub, cause: 'AdminDeleteUser', username: null },
    });
  });

  it('never routes a failed call, another pool’s call or a read to the lifecycle queue', async () => {
    // Prepare
    const put = (detail: unknown) =>
      stack().aws.eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'default',
              Source: COGNITO_CLOUDTRAIL.source,
              DetailType: COGNITO_CLOUDTRAIL.detailType,
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
    const failed = cloudTrailEvent('failedCall').detail;
    failed.requestParameters.userPoolId = stack().userPoolId;
    const otherPool = cloudTrailEvent('otherPool').detail;
    const read = cloudTrailEvent('AdminDisableUser').detail;
    read.eventName = 'ListUsers';
    read.requestParameters.userPoolId = stack().userPoolId;
    const marker = cloudTrailEvent('AdminDeleteUser').detail;
    marker.requestParameters.userPoolId = stack().userPoolId;
    marker.additionalEventData = { sub: 'no-such-user-marker' };

    // Act
    for (const detail of [failed, otherPool, read, marker]) await put(detail);
    // The marker goes through; the others, put before it, are filtered out by the rule.
    const deleted = await syncEvents(1);

    // Assess
    expect(deleted[0]).toMatchObject({
      'detail-type': 'UserDeleted',
      detail: { sub: 'no-such-user-marker', cause: 'AdminDeleteUser' },
    });
    await eventually(() =>
      hintsSeen().some((record) => record.body.includes('no-such-user-marker')),
    );
    const details = hintsSeen().map((record) => JSON.parse(record.body).detail);
    expect(details.filter((detail) => detail.errorCode !== undefined)).toStrictEqual([]);
    expect(details.filter((detail) => detail.eventName === 'ListUsers')).toStrictEqual([]);
    expect(
      details.filter((detail) => detail.requestParameters.userPoolId !== stack().userPoolId),
    ).toStrictEqual([]);
  });
});

/** The same path to the row: the sync poller runs and user-sync applies the lifecycle events. */
describe('Lifecycle path (moto) to the users table', () => {
  let test: TestStack | undefined;
  const database = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test;
  };
  interface Row {
    id: string;
    username: string | null;
    email: string | null;
    enabled: boolean | null;
    user_status: string | null;
    last_seen_at: unknown;
    deleted_at: unknown;
  }
  const rowOf = async (sub: string): Promise<Row | undefined> =>
    (
      await database().sql<Row>(
        `SELECT id, username, email, enabled, user_status, last_seen_at, deleted_at FROM "${database().schema}".users WHERE id = $1`,
        [sub],
      )
    )[0];

  beforeAll(async () => {
    test = await startTestStack('lifecycle-rows', {
      visibilityTimeoutSeconds: 1,
      exampleSubscriber: false,
      consumer: { maxBatchingWindowMs: 200, waitTimeSeconds: 1 },
    });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('writes a never-signed-in sign-up, an email change, a disable and a deletion into the row', async () => {
    // Prepare
    const { admin } = database().stack;
    await admin.signUp('cleo', 'cleo@example.com');
    const cleo = await admin.confirmSignUp('cleo');
    await eventually(async () => (await rowOf(cleo.sub)) !== undefined);
    const signedUp = await rowOf(cleo.sub);

    // Act & Assess, step by step
    await admin.updateEmail('cleo', 'cleo.new@example.com');
    await eventually(async () => (await rowOf(cleo.sub))?.email === 'cleo.new@example.com');
    await admin.disable('cleo');
    await eventually(async () => (await rowOf(cleo.sub))?.enabled === false);
    await admin.delete('cleo');
    await eventually(async () => {
      const row = await rowOf(cleo.sub);
      return row === undefined || row.deleted_at !== null;
    });

    expect(signedUp).toMatchObject({
      username: 'cleo',
      email: 'cleo@example.com',
      enabled: true,
      user_status: 'CONFIRMED',
      last_seen_at: null,
      deleted_at: null,
    });
    // SYNC_DELETE_MODE defaults to soft: the row stays as a tombstone.
    const deleted = await rowOf(cleo.sub);
    expect(deleted).toMatchObject({ username: null, email: null, enabled: null });
    expect(deleted?.deleted_at).not.toBeNull();
  });
});
