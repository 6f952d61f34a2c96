import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { simulatedUser } from '../../cli/simulateLogins.js';
import { fetchSyncedUsers } from '../../local/hasuraTarget.js';
import { LOCAL_SETTINGS } from '../../local/localSettings.js';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { eventually, messageCount, receiveAll } from '../helpers/queues.js';
import { startTestStack, type TestStack } from '../helpers/testStack.js';

jest.setTimeout(60_000);

/** A login of a simulated user of `userPoolId`, dated now. */
const loginOf = (n: number, userPoolId: string): UserAuthenticatedV1 => {
  const user = simulatedUser(n);
  return {
    schemaVersion: 1,
    eventId: `trust-${n}`,
    userPoolId,
    sub: user.sub,
    username: user.username,
    clientId: null,
    triggerSource: 'Backfill',
    authenticatedAt: new Date().toISOString(),
    attributes: { email: user.email },
  };
};

describe('Function: startLocalStack (the pools its consumer trusts)', () => {
  let test: TestStack | undefined;
  const stack = () => {
    if (test === undefined) throw new Error('the stack did not start');
    return test.stack;
  };
  const send = (detail: UserAuthenticatedV1) =>
    stack().aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack().provisioned.syncQueue.queueUrl,
        MessageBody: JSON.stringify(
          toEnvelope(detail, { source: pipeline.eventSource, region: stack().region }),
        ),
      }),
    );

  beforeAll(async () => {
    test = await startTestStack('trust', {
      // Redelivery within a second: a refused record reaches the DLQ after 5 quick receives.
      visibilityTimeoutSeconds: 1,
      consumer: { maxBatchingWindowMs: 200, waitTimeSeconds: 1 },
      exampleSubscriber: false,
    });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('trusts the simulated pool and the pool it created in moto', () => {
    // Assess
    expect(stack().userPoolId).toMatch(/^[\w-]+_[0-9a-zA-Z]+$/);
    expect(stack().userPoolIds).toEqual([LOCAL_SETTINGS.simulatedUserPoolId, stack().userPoolId]);
  });

  it("writes the created pool's events and sends another pool's event to the DLQ", async () => {
    // Prepare
    const own = loginOf(1, stack().userPoolId);
    const other = loginOf(2, 'us-east-1_SomeOtherPool');

    // Act
    await send(other);
    await send(own);
    await eventually(
      async () => (await messageCount(stack().aws.sqs, stack().provisioned.syncQueue.dlqUrl)) === 1,
      30_000,
    );

    // Assess
    const ids = new Set((await fetchSyncedUsers(stack().hasura)).map((row) => row.id));
    expect(ids.has(own.sub)).toBe(true);
    expect(ids.has(other.sub)).toBe(false);
    const [dead] = await receiveAll(stack().aws.sqs, stack().provisioned.syncQueue.dlqUrl, 1);
    expect(JSON.parse(dead ?? '{}').detail.userPoolId).toBe(other.userPoolId);
  });
});
