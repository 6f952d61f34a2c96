import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { postAuthenticationEvent, simulatedUser } from '../../cli/simulateLogins.js';
import { fetchSyncedUsers, type SyncedUser } from '../../local/hasuraTarget.js';

import type { SqsBatchReport } from '../../local/sqsPoller.js';
import {
  toEnvelope,
  type UserAuthenticatedEnvelope,
  UserAuthenticatedEventSchema,
  type UserAuthenticatedV1,
} from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { eventually, queueDepth, receiveAll } from '../helpers/queues.js';
import { startTestStack, type TestStack } from '../helpers/testStack.js';

jest.setTimeout(60_000);

/** Compares instants, whatever the text format (`…Z` or `…+00:00`). */
const instant = (text: string): number => Date.parse(text);

describe('Function: startLocalStack', () => {
  let test: TestStack | undefined;
  const batches: SqsBatchReport[] = [];
  const stack = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test.stack;
  };
  const rowsById = async (): Promise<Map<string, SyncedUser>> =>
    new Map((await fetchSyncedUsers(stack().hasura)).map((row) => [row.id, row]));

  beforeAll(async () => {
    test = await startTestStack('pipeline', {
      // Redelivery within a second keeps the DLQ test short (5 receives).
      visibilityTimeoutSeconds: 1,
      consumer: { maxBatchingWindowMs: 300, waitTimeSeconds: 1 },
      // The subscriber's queue keeps the events, so the tests can read what EventBridge delivered.
      exampleSubscriber: false,
      onSyncBatch: (report) => batches.push(report),
    });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('syncs sign-ins through EventBridge, SQS and the poller into rows equal to the events, and the second subscriber receives every one', async () => {
    // Prepare
    const users = Array.from({ length: 12 }, (_, index) => simulatedUser(index));

    // Act
    for (const user of users) await stack().postAuthentication(postAuthenticationEvent(user));
    const delivered = await receiveAll(
      stack().aws.sqs,
      stack().provisioned.subscriber.queueUrl,
      users.length,
    );
    await eventually(async () => (await rowsById()).size >= users.length);

    // Assess
    const events = delivered.map(
      (body): UserAuthenticatedEnvelope => UserAuthenticatedEventSchema.parse(JSON.parse(body)),
    );
    expect(new Set(events.map((event) => event.detail.sub))).toEqual(
      new Set(users.map((user) => user.sub)),
    );
    const rows = await rowsById();
    for (const { detail } of events) {
      const row = rows.get(detail.sub);
      expect({ ...row, last_seen_at: instant(row?.last_seen_at ?? '') }).toEqual({
        id: detail.sub,
        username: detail.username,
        email: detail.attributes.email,
        last_seen_at: instant(detail.authenticatedAt),
        last_event_id: detail.eventId,
      });
    }
    expect(stack().recorder.snapshot()).toEqual(
      expect.objectContaining({ published: users.length, fallback: 0, publishFailed: 0 }),
    );
  });

  it('syncs through the SQS fallback when the bus is missing and PutEvents fails', async () => {
    // Prepare
    const user = simulatedUser(100);
    const before = stack().recorder.snapshot();
    const trigger = stack().createPostAuthentication({ EVENT_BUS_NAME: 'no-such-bus' });

    // Act
    const returned = await trigger(postAuthenticationEvent(user));
    await eventually(async () => (await rowsById()).has(user.sub));

    // Assess
    expect(returned).toEqual(postAuthenticationEvent(user));
    const after = stack().recorder.snapshot();
    expect(after.fallback - before.fallback).toBe(1);
    expect(after.published - before.published).toBe(0);
    expect((await rowsById()).get(user.sub)).toEqual(
      expect.objectContaining({ username: user.username, email: user.email }),
    );
  });

  it('moves records Hasura keeps rejecting to the DLQ after maxReceiveCount receives and writes their siblings', async () => {
    // Prepare: a CHECK constraint makes Hasura answer constraint-violation for one user.
    await test?.sql(
      "ALTER TABLE users ADD CONSTRAINT users_username_not_rejected CHECK (username NOT LIKE 'rejected-%')",
    );
    const rejected = { ...simulatedUser(200), username: 'rejected-00200' };
    const siblings = Array.from({ length: 5 }, (_, index) => simulatedUser(201 + index));

    // Act
    await Promise.all(
      [rejected, ...siblings].map((user) =>
        stack().postAuthentication(postAuthenticationEvent(user)),
      ),
    );
    await eventually(
      async () =>
        (await queueDepth(stack().aws.sqs, stack().provisioned.syncQueue.dlqUrl)).total === 1,
      30_000,
    );

    // Assess
    const deliveries = batches
      .flatMap((batch) => batch.event.Records)
      .filter((record) => record.body.includes('rejected-00200'))
      .map((record) => record.attributes.ApproximateReceiveCount)
      .sort((a, b) => Number(a) - Number(b));
    expect(deliveries).toEqual(
      Array.from({ length: pipeline.syncQueue.maxReceiveCount }, (_, index) => String(index + 1)),
    );
    const rows = await rowsById();
    expect(rows.has(rejected.sub)).toBe(false);
    for (const sibling of siblings) expect(rows.get(sibling.sub)?.username).toBe(sibling.username);
    const [dead] = await receiveAll(stack().aws.sqs, stack().provisioned.syncQueue.dlqUrl, 1);
    expect(UserAuthenticatedEventSchema.parse(JSON.parse(dead ?? '{}')).detail.sub).toBe(
      rejected.sub,
    );
  });

  it('keeps the newer row when an older event is delivered after a newer one', async () => {
    // Prepare
    const user = simulatedUser(300);
    const detail = (authenticatedAt: string, eventId: string): UserAuthenticatedV1 => ({
      schemaVersion: 1,
      eventId,
      userPoolId: 'us-east-1_LocalPool1',
      sub: user.sub,
      username: user.username,
      clientId: 'localclient000000000000000',
      triggerSource: 'PostAuthentication_Authentication',
      authenticatedAt,
      attributes: { email: user.email },
    });
    const newer = detail('2026-01-02T00:00:00.000Z', 'event-newer');
    const older = {
      ...detail('2026-01-01T00:00:00.000Z', 'event-older'),
      attributes: { email: 'old@example.com' },
    };
    const send = (event: UserAuthenticatedV1) =>
      stack().aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack().provisioned.syncQueue.queueUrl,
          MessageBody: JSON.stringify(
            toEnvelope(event, { source: pipeline.eventSource, region: stack().region }),
          ),
        }),
      );
    const handled = (eventId: string) =>
      batches.some((batch) =>
        batch.event.Records.some(
          (record) => record.body.includes(eventId) && !batch.failedIds.includes(record.messageId),
        ),
      );

    // Act
    await send(newer);
    await eventually(() => handled('event-newer'));
    await send(older);
    await eventually(() => handled('event-older'));

    // Assess
    const row = (await rowsById()).get(user.sub);
    expect(row).toEqual(
      expect.objectContaining({ email: user.email, last_event_id: 'event-newer' }),
    );
    expect(instant(row?.last_seen_at ?? '')).toBe(instant(newer.authenticatedAt));
  });
});
