import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { GraphQLClient } from 'graphql-request';
import { hasuraErrorBody } from '../../../fixtures/hasuraAnswers/hasuraFixtures.js';
import {
  envelopeBody,
  sqsEvent,
  sqsRecord,
  userDetail,
} from '../../../fixtures/sqs/sqsFactories.js';
import type { FakeAnswer } from '../../../helpers/fakeHasuraServer.js';
import { lambdaContext } from '../../../helpers/lambdaContexts.js';
import { useFakeHasura } from '../../../helpers/useFakeHasura.js';
import { consumerFor } from '../../../helpers/userSyncHarness.js';

/** The canary: an address that appears only in the request's variables. */
const CANARY_EMAIL = 'canary.q7vx-3rk@leak-check.example';

/**
 * Text of graphql-request's errors: every `ClientError` message is `<message>: {"response":…,
 * "request":{"query":…,"variables":…}}`, its other errors start `Invalid execution result`.
 */
const CLIENT_ERROR_TEXT =
  /\{"response":|"request":\{"query"|GraphQL Error \(Code|Invalid execution result/;

/** Hasura answers failing every request, each a path of graphql-request's own errors. */
const FAILING_ANSWERS: ReadonlyArray<readonly [string, FakeAnswer, boolean]> = [
  ['a data error (HTTP 200)', { json: hasuraErrorBody('dataException') }, true],
  ['a constraint violation (HTTP 200)', { json: hasuraErrorBody('constraintViolation') }, true],
  ['a refused secret (HTTP 200)', { json: hasuraErrorBody('accessDenied') }, true],
  [
    'a database outage (HTTP 500)',
    { status: 500, json: hasuraErrorBody('postgresConnectionError') },
    true,
  ],
  ['a validation error (HTTP 400)', { status: 400, json: hasuraErrorBody('fieldNotFound') }, true],
  ['a gateway page (HTTP 502)', { status: 502, text: '<html>Bad Gateway</html>' }, true],
  ['a body that is not JSON (HTTP 200)', { text: 'OK' }, false],
  ['neither data nor errors (HTTP 200)', { json: { extensions: {} } }, false],
];

/** Everything a log line holds, errors with their message, stack and causes. */
const logText = (lines: ReadonlyArray<{ message: string; extra: unknown[] }>): string =>
  lines
    .map((line) => `${line.message} ${inspect(line.extra, { depth: 20, breakLength: Infinity })}`)
    .join('\n');

const canaryRecords = () =>
  Array.from({ length: 4 }, (_, index) =>
    sqsRecord(
      envelopeBody(
        userDetail({
          eventId: `evt-canary-${index}`,
          sub: `user-canary-${index}`,
          username: `canary${index}`,
          attributes: { email: index === 0 ? CANARY_EMAIL : `other${index}@example.com` },
        }),
      ),
      `m-canary-${index}`,
    ),
  );

describe('Function: createHasuraClient (graphql-request errors)', () => {
  const fake = useFakeHasura();

  it.each(FAILING_ANSWERS)(
    'keeps graphql-request error text out of every log line and metric when Hasura answers %s',
    async (_name, answer, clientErrorCarriesVariables) => {
      // Prepare
      fake.respondWith(() => answer);
      const { sync, logger, metrics } = consumerFor(fake, { HASURA_RETRY_MAX_ATTEMPTS: '2' });
      // What graphql-request itself throws for this answer (the error the client must contain).
      const raw = await new GraphQLClient(fake.url)
        .request('mutation { insert_users(objects: $objects) { affected_rows } }', {
          objects: [{ email: CANARY_EMAIL }],
        })
        .catch((error: unknown) => error);
      fake.requests.length = 0;

      // Act
      const result = await sync(sqsEvent(canaryRecords()), lambdaContext(30_000));

      // Assess
      expect(String(raw)).toMatch(clientErrorCarriesVariables ? CANARY_EMAIL : /./);
      expect(JSON.stringify(fake.requests.map((request) => request.body))).toContain(CANARY_EMAIL);
      expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toContain(
        'm-canary-0',
      );
      expect(logger.lines.some((line) => line.level === 'error' || line.level === 'warn')).toBe(
        true,
      );
      const logged = logText(logger.lines);
      expect(logged).not.toContain(CANARY_EMAIL);
      expect(logged).not.toMatch(CLIENT_ERROR_TEXT);
      const counted = JSON.stringify(metrics.points);
      expect(counted).not.toContain(CANARY_EMAIL);
      expect(counted).not.toMatch(CLIENT_ERROR_TEXT);
      expect(JSON.stringify(result)).not.toContain(CANARY_EMAIL);
    },
  );
});
