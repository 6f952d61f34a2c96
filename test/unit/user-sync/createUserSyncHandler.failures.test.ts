import { describe, expect, it } from '@jest/globals';
import { AMBIGUOUS_MAX_ATTEMPTS } from '../../../shared/hasuraClient/classifyHasuraError.js';
import { hasuraErrorBody } from '../../fixtures/hasuraAnswers/hasuraFixtures.js';
import {
  envelopeBody,
  loginRecords,
  sqsEvent,
  sqsRecord,
  userDetail,
} from '../../fixtures/sqs/sqsFactories.js';
import {
  type FakeAnswer,
  insertedAll,
  objectsOf,
  type Responder,
} from '../../helpers/fakeHasuraServer.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { useFakeHasura } from '../../helpers/useFakeHasura.js';
import { ADMIN_SECRET, consumerFor } from '../../helpers/userSyncHarness.js';

/** Answers a data error whenever one of the rows has a username Hasura "rejects". */
const rejectingUsername =
  (username: string): Responder =>
  (request) =>
    objectsOf(request).some((row) => row.username === username)
      ? { json: hasuraErrorBody('dataException') }
      : insertedAll(request);

/**
 * Hasura v2's answer to a mutation whose statement hit a database error it does not map
 * (deadlock, lock timeout, a trigger raising): HTTP 200, `unexpected`, "database query error";
 * with `sqlState`, the `extensions.internal` an admin request gets by default.
 */
const unexpectedAnswer = (sqlState?: string): FakeAnswer => ({
  json: {
    errors: [
      {
        message: 'database query error',
        extensions: {
          path: '$.selectionSet.insert_users.args.objects',
          code: 'unexpected',
          ...(sqlState === undefined
            ? {}
            : {
                internal: {
                  statement: 'INSERT INTO users ...',
                  arguments: [],
                  prepared: false,
                  error: {
                    exec_status: 'FatalError',
                    status_code: sqlState,
                    message: 'the database refused the statement',
                    description: null,
                    hint: null,
                  },
                },
              }),
        },
      },
    ],
  },
});

/** Answers `unexpected` whenever one of the rows has `username`, as a raising trigger would. */
const unexpectedForUsername =
  (username: string, sqlState?: string): Responder =>
  (request) =>
    objectsOf(request).some((row) => row.username === username)
      ? unexpectedAnswer(sqlState)
      : insertedAll(request);

/** A GraphQL error answer (HTTP 200) with `code`, `message` and `path`. */
const graphqlError = (code: string, message: string, path = '$'): FakeAnswer => ({
  json: { errors: [{ message, extensions: { path, code } }] },
});

const failedIds = (result: { batchItemFailures: Array<{ itemIdentifier: string }> }): string[] =>
  result.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

describe('Function: createUserSyncHandler (failures)', () => {
  const fake = useFakeHasura();

  it('retries transient errors with backoff and then writes the batch', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith((request, index) => {
      if (index === 0) return { json: hasuraErrorBody('postgresConnectionError') };
      if (index === 1) return { status: 503, text: 'upstream unavailable' };
      if (index === 2) return { destroy: true };
      return insertedAll(request);
    });

    // Act
    const result = await sync(sqsEvent(loginRecords(20)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.requests).toHaveLength(4);
    expect(metrics.sum('UsersSynced')).toBe(20);
    expect(metrics.sum('HasuraRequests')).toBe(4);
  });

  it('fails the records back before the time budget ends when Hasura stays unavailable', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake, {
      HASURA_RETRY_MAX_ATTEMPTS: '100',
      HASURA_REQUEST_TIMEOUT_MS: '300',
      SYNC_TIME_SAFETY_MARGIN_MS: '300',
    });
    fake.respondWith((_request, index) =>
      index % 2 === 0 ? { json: hasuraErrorBody('postgresConnectionError') } : { delayMs: 2000 },
    );
    const budgetMs = 1500;
    const started = Date.now();

    // Act
    const result = await sync(sqsEvent(loginRecords(10)), lambdaContext(budgetMs));

    // Assess
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(budgetMs);
    expect(failedIds(result)).toEqual(
      loginRecords(10)
        .map((record) => record.messageId)
        .sort(),
    );
    expect(fake.requests.length).toBeGreaterThan(2);
    expect(metrics.sum('RecordsFailed', { class: 'transient' })).toBe(10);
  });

  it('fails only the poison record among 50 and writes its siblings', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    const records = loginRecords(50);
    records[31] = sqsRecord(
      envelopeBody(userDetail({ sub: 'user-31', eventId: 'evt-31', username: 'bad\u0000name' })),
      'm-31',
    );
    fake.respondWith(rejectingUsername('bad\u0000name'));
    const written = new Set<unknown>();

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    for (const request of fake.requests) {
      if (!objectsOf(request).some((row) => row.username === 'bad\u0000name')) {
        for (const row of objectsOf(request)) written.add(row.id);
      }
    }
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-31' }]);
    expect(written.size).toBe(49);
    expect(fake.requests.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(50)));
    expect(metrics.sum('RecordsFailed', { class: 'data' })).toBe(1);
    expect(metrics.sum('UsersSynced')).toBe(49);
  });

  it('writes the whole batch when Hasura answers unexpected twice and then succeeds', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith((request, index) => (index < 2 ? unexpectedAnswer() : insertedAll(request)));

    // Act
    const result = await sync(sqsEvent(loginRecords(20)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.map((request) => objectsOf(request).length)).toEqual([20, 20, 20]);
    expect(metrics.sum('UsersSynced')).toBe(20);
  });

  it('fails only the record whose row always yields unexpected, after bounded retries', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    const records = loginRecords(20);
    records[13] = sqsRecord(
      envelopeBody(userDetail({ sub: 'user-13', eventId: 'evt-13', username: 'refused' })),
      'm-13',
    );
    fake.respondWith(unexpectedForUsername('refused'));
    const levels = Math.ceil(Math.log2(20));

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    const withRefused = fake.requests.filter((request) =>
      objectsOf(request).some((row) => row.username === 'refused'),
    );
    const aloneAttempts = withRefused.filter((request) => objectsOf(request).length === 1);
    const written = new Set(
      fake.requests
        .filter((request) => !withRefused.includes(request))
        .flatMap((request) => objectsOf(request).map((row) => row.id)),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-13' }]);
    expect(written.size).toBe(19);
    expect(aloneAttempts).toHaveLength(AMBIGUOUS_MAX_ATTEMPTS);
    expect(withRefused.length).toBeLessThanOrEqual(AMBIGUOUS_MAX_ATTEMPTS * (levels + 1));
    expect(fake.requests.length).toBeLessThanOrEqual(
      AMBIGUOUS_MAX_ATTEMPTS * (levels + 1) + levels,
    );
    expect(metrics.sum('RecordsFailed', { class: 'ambiguous' })).toBe(1);
    expect(metrics.sum('UsersSynced')).toBe(19);
  });

  it('isolates a row refused by a raising trigger (SQLSTATE P0001) without retrying it', async () => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    const records = loginRecords(8);
    records[2] = sqsRecord(
      envelopeBody(userDetail({ sub: 'user-2', eventId: 'evt-2', username: 'refused' })),
      'm-2',
    );
    fake.respondWith(unexpectedForUsername('refused', 'P0001'));

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    const withRefused = fake.requests.filter((request) =>
      objectsOf(request).some((row) => row.username === 'refused'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    // 8 → 4 → 2 → 1: one request per level, none repeated.
    expect(withRefused.map((request) => objectsOf(request).length)).toEqual([8, 4, 2, 1]);
    expect(metrics.sum('RecordsFailed', { class: 'data' })).toBe(1);
    expect(metrics.sum('UsersSynced')).toBe(7);
  });

  it('fails the records back before the time budget ends when every request yields unexpected', async () => {
    // Prepare
    const { sync } = consumerFor(fake, {
      HASURA_RETRY_MAX_ATTEMPTS: '100',
      HASURA_REQUEST_TIMEOUT_MS: '300',
      SYNC_TIME_SAFETY_MARGIN_MS: '300',
    });
    fake.respondWith(() => ({ ...unexpectedAnswer('55P03'), delayMs: 150 }));
    const budgetMs = 1500;
    const started = Date.now();

    // Act
    const result = await sync(sqsEvent(loginRecords(16)), lambdaContext(budgetMs));

    // Assess
    expect(Date.now() - started).toBeLessThan(budgetMs);
    expect(failedIds(result)).toEqual(
      loginRecords(16)
        .map((record) => record.messageId)
        .sort(),
    );
  });

  it.each<[string, FakeAnswer]>([
    [
      'access-denied',
      graphqlError('access-denied', 'invalid x-hasura-admin-secret/x-hasura-access-key'),
    ],
    [
      'invalid-jwt',
      graphqlError('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature'),
    ],
    [
      'validation-failed (unknown table)',
      graphqlError(
        'validation-failed',
        `field "insert_userz" not found in type: 'mutation_root'`,
        '$.selectionSet.insert_userz',
      ),
    ],
    [
      'validation-failed (unknown column)',
      graphqlError(
        'validation-failed',
        `field "nickname" not found in type: 'users_insert_input'`,
        '$.selectionSet.insert_users.args.objects[0].nickname',
      ),
    ],
    ['parse-failed', graphqlError('parse-failed', 'Error in $: key "query" not found')],
  ])('fails the batch at once, without retrying or bisecting, on %s', async (_code, answer) => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith(() => answer);

    // Act
    const result = await sync(sqsEvent(loginRecords(6)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toHaveLength(6);
    expect(fake.requests).toHaveLength(1);
    expect(metrics.sum('RecordsFailed', { class: 'other' })).toBe(6);
  });

  it('fails the older duplicates of a user together with its rejected newest event', async () => {
    // Prepare
    const { sync } = consumerFor(fake);
    const older = userDetail({
      sub: 'u-9',
      eventId: 'e-1',
      authenticatedAt: '2026-11-26T09:00:00.000Z',
    });
    const newest = userDetail({
      ...older,
      eventId: 'e-2',
      authenticatedAt: '2026-11-26T09:05:00.000Z',
      username: 'bad',
    });
    const records = [
      sqsRecord(envelopeBody(older), 'old'),
      sqsRecord(envelopeBody(newest), 'new'),
      ...loginRecords(3),
    ];
    fake.respondWith(rejectingUsername('bad'));

    // Act
    const result = await sync(sqsEvent(records), lambdaContext(30_000));

    // Assess
    expect(failedIds(result)).toEqual(['new', 'old']);
  });

  it('fails the whole batch at once, without retrying, when the admin secret is refused', async () => {
    // Prepare
    const { sync, metrics, logger } = consumerFor(fake);
    fake.respondWith(() => ({ json: hasuraErrorBody('accessDenied') }));

    // Act
    const result = await sync(sqsEvent(loginRecords(5)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toHaveLength(5);
    expect(fake.requests).toHaveLength(1);
    expect(metrics.sum('RecordsFailed', { class: 'other' })).toBe(5);
    expect(logger.lines.find((line) => line.level === 'error')?.extra).toEqual([
      expect.objectContaining({ failureClass: 'other', code: 'access-denied' }),
    ]);
  });

  it.each([
    ['without affected_rows', { insert_users: { returning: [] } }],
    ['with more affected rows than rows sent', { insert_users: { affected_rows: 6 } }],
  ])('fails the batch back at once when Hasura answers %s', async (_case, data) => {
    // Prepare
    const { sync, metrics } = consumerFor(fake);
    fake.respondWith(() => ({ json: { data } }));

    // Act
    const result = await sync(sqsEvent(loginRecords(5)), lambdaContext(30_000));

    // Assess
    expect(result.batchItemFailures).toHaveLength(5);
    expect(fake.requests).toHaveLength(1);
    expect(metrics.sum('RecordsFailed', { class: 'other' })).toBe(5);
  });

  it('never puts the admin secret in logs, metrics, results or errors', async () => {
    // Prepare
    const { sync, logger, metrics } = consumerFor(fake);
    const echo = hasuraErrorBody('constraintViolation');
    fake.respondWith((_request, index) =>
      index === 0
        ? {
            status: 500,
            json: {
              errors: [
                {
                  message: `header was ${ADMIN_SECRET}`,
                  extensions: { code: 'unexpected', path: '$' },
                },
              ],
            },
          }
        : {
            json: {
              ...echo,
              errors: [
                {
                  message: `rejected, secret ${ADMIN_SECRET}`,
                  extensions: { code: 'data-exception', path: '$' },
                },
              ],
            },
          },
    );

    // Act
    const result = await sync(sqsEvent(loginRecords(3)), lambdaContext(30_000));

    // Assess
    const everything = JSON.stringify({ result, lines: logger.lines, points: metrics.points });
    expect(result.batchItemFailures).toHaveLength(3);
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(ADMIN_SECRET);
  });
});
