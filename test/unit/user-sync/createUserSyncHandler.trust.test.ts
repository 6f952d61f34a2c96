import { describe, expect, it } from '@jest/globals';
import { DETAIL_TYPES } from '../../../shared/events/syncEvent.js';
import {
  deletedDetail,
  envelopeBody,
  rawEnvelopeFixture,
  signedUpDetail,
  sqsEvent,
  sqsRecord,
  syncEventBody,
  updatedDetail,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';
import { type FakeHasura, objectsOf, requestAt } from '../../helpers/fakeHasuraServer.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { useFakeHasura } from '../../helpers/useFakeHasura.js';
import { consumerFor } from '../../helpers/userSyncHarness.js';

/** A login of its own user, as an SQS record `messageId`. */
const login = (messageId: string, overrides: Parameters<typeof userDetail>[0] = {}) =>
  sqsRecord(
    envelopeBody(
      userDetail({ eventId: `evt-${messageId}`, sub: `sub-${messageId}`, ...overrides }),
    ),
    messageId,
  );

/** The same login with another envelope `source` (what a forged SendMessage can carry). */
const withSource = (messageId: string, source: string) =>
  sqsRecord(
    JSON.stringify({
      ...rawEnvelopeFixture(),
      source,
      detail: userDetail({ eventId: `evt-${messageId}`, sub: `sub-${messageId}` }),
    }),
    messageId,
  );

/** The ids of the rows the fake Hasura was asked to write. */
const writtenIds = (fake: FakeHasura): unknown[] =>
  fake.requests.flatMap((_, index) => objectsOf(requestAt(fake, index)).map((row) => row.id));

/** The reasons the consumer logged for the records it rejected. */
const rejectionReasons = (lines: { message: string; extra: unknown[] }[]): unknown[] =>
  lines
    .filter((line) => line.message.startsWith('Record rejected'))
    .map((line) => (line.extra[0] as { reason?: unknown }).reason);

describe('Function: createUserSyncHandler (which events it applies)', () => {
  const fake = useFakeHasura();

  it('fails an event of another source to the DLQ with its reason and writes its siblings', async () => {
    // Prepare
    const { sync, logger } = consumerFor(fake);

    // Act
    const result = await sync(
      sqsEvent([withSource('forged', 'attacker.example'), login('real')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'forged' }] });
    expect(writtenIds(fake)).toEqual(['sub-real']);
    expect(rejectionReasons(logger.lines)).toEqual([
      expect.stringMatching(/source "attacker\.example" is not the configured EVENT_SOURCE/),
    ]);
  });

  it('applies the events of the source set in EVENT_SOURCE, and only those', async () => {
    // Prepare
    const { sync } = consumerFor(fake, { EVENT_SOURCE: 'com.example.auth' });

    // Act
    const result = await sync(
      sqsEvent([withSource('custom', 'com.example.auth'), login('default')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'default' }] });
    expect(writtenIds(fake)).toEqual(['sub-custom']);
  });

  it('fails an event of a pool not listed in USER_POOL_IDS to the DLQ with its reason', async () => {
    // Prepare
    const { sync, logger, metrics } = consumerFor(fake);

    // Act
    const result = await sync(
      sqsEvent([login('other', { userPoolId: 'eu-west-1_OtherPool9' }), login('listed')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'other' }] });
    expect(writtenIds(fake)).toEqual(['sub-listed']);
    expect(rejectionReasons(logger.lines)).toEqual([
      expect.stringMatching(/"eu-west-1_OtherPool9" is not listed in USER_POOL_IDS/),
    ]);
    expect(metrics.sum('RecordsFailed', { class: 'invalid' })).toBe(1);
  });

  it('applies the events of every pool USER_POOL_IDS lists', async () => {
    // Prepare
    const { sync } = consumerFor(fake, {
      USER_POOL_IDS: `eu-west-1_OtherPool9, ${userDetail().userPoolId}`,
    });

    // Act
    const result = await sync(
      sqsEvent([login('first', { userPoolId: 'eu-west-1_OtherPool9' }), login('second')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(writtenIds(fake)).toEqual(['sub-first', 'sub-second']);
  });

  it('refuses an event dated beyond the clock skew and writes one dated within it', async () => {
    // Prepare
    const { sync, logger } = consumerFor(fake, { SYNC_MAX_CLOCK_SKEW_MS: '5000' });
    const at = (aheadMs: number) => new Date(Date.now() + aheadMs).toISOString();

    // Act
    const result = await sync(
      sqsEvent([
        login('future', { authenticatedAt: at(60_000) }),
        login('skewed', { authenticatedAt: at(1000) }),
      ]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'future' }] });
    expect(writtenIds(fake)).toEqual(['sub-skewed']);
    expect(rejectionReasons(logger.lines)).toEqual([
      expect.stringMatching(
        /authenticatedAt lies \d+ ms in the future, more than SYNC_MAX_CLOCK_SKEW_MS/,
      ),
    ]);
  });

  it('refuses lifecycle events of another pool, another source or dated in the future, each named by type, and writes their siblings', async () => {
    // Prepare
    const { sync, logger } = consumerFor(fake);
    const future = new Date(Date.now() + 60_000).toISOString();
    const records = [
      sqsRecord(
        syncEventBody({
          type: DETAIL_TYPES.signedUp,
          detail: signedUpDetail({ sub: 'sub-pool', userPoolId: 'eu-west-1_OtherPool9' }),
        }),
        'pool',
      ),
      sqsRecord(
        JSON.stringify({
          ...JSON.parse(
            syncEventBody({
              type: DETAIL_TYPES.deleted,
              detail: deletedDetail({ sub: 'sub-src' }),
            }),
          ),
          source: 'attacker.example',
        }),
        'source',
      ),
      sqsRecord(
        syncEventBody({
          type: DETAIL_TYPES.updated,
          detail: updatedDetail({ sub: 'sub-future', occurredAt: future }),
        }),
        'future',
      ),
      login('real'),
    ];

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'pool' },
      { itemIdentifier: 'source' },
      { itemIdentifier: 'future' },
    ]);
    expect(writtenIds(fake)).toEqual(['sub-real']);
    expect(rejectionReasons(logger.lines)).toEqual([
      expect.stringMatching(
        /^UserSignedUp: detail\.userPoolId "eu-west-1_OtherPool9" is not listed/,
      ),
      expect.stringMatching(/^UserDeleted: source "attacker\.example" is not the configured/),
      expect.stringMatching(/^UserUpdated: detail\.occurredAt lies \d+ ms in the future/),
    ]);
    // Reasons never carry attribute values.
    expect(JSON.stringify(logger.lines)).not.toContain('alice@example');
  });
});
