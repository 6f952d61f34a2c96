import { describe, expect, it } from '@jest/globals';
import { ClientError } from 'graphql-request';
import {
  AMBIGUOUS_MAX_ATTEMPTS,
  attemptsFor,
  classifyHasuraAnswer,
  classifyHasuraError,
  isolatesRows,
  isSuccessfulAnswer,
} from '../../../../shared/hasuraClient/classifyHasuraError.js';
import type { HasuraFailureClass } from '../../../../shared/hasuraClient/HasuraRequestError.js';
import { RedactedSecret } from '../../../../shared/hasuraClient/RedactedSecret.js';
import {
  type HasuraErrorFixture,
  hasuraErrorBody,
} from '../../../fixtures/hasuraAnswers/hasuraFixtures.js';

describe('Function: classifyHasuraAnswer', () => {
  it.each<[HasuraErrorFixture, string, string]>([
    ['postgresConnectionError', 'transient', 'postgres-error'],
    ['constraintViolation', 'data', 'constraint-violation'],
    ['dataException', 'data', 'data-exception'],
    ['permissionError', 'data', 'permission-error'],
    ['parseFailedValue', 'data', 'parse-failed'],
    ['fieldNotFound', 'other', 'validation-failed'],
    ['accessDenied', 'other', 'access-denied'],
  ])('classifies the Hasura answer %s as %s', (fixture, failureClass, code) => {
    // Act
    const error = classifyHasuraAnswer(200, hasuraErrorBody(fixture));

    // Assess
    expect(error).toMatchObject({ name: 'HasuraRequestError', failureClass, code, status: 200 });
  });

  it.each([
    [502, 'transient'],
    [503, 'transient'],
    [429, 'transient'],
    [413, 'data'],
    [404, 'other'],
    [401, 'other'],
  ])('classifies HTTP %i without GraphQL errors as %s', (status, failureClass) => {
    // Act
    const error = classifyHasuraAnswer(status, undefined);

    // Assess
    expect(error).toMatchObject({ failureClass, code: `http-${status}` });
  });

  it('retries a Hasura error that comes with a 5xx status', () => {
    // Act
    const error = classifyHasuraAnswer(503, hasuraErrorBody('constraintViolation'));

    // Assess
    expect(error).toMatchObject({ failureClass: 'transient', code: 'constraint-violation' });
  });

  it('scrubs the admin secret from messages taken from the answer', () => {
    // Prepare
    const secret = new RedactedSecret('s3cr3t-value');
    const answer = {
      errors: [
        { message: 'bad header s3cr3t-value', extensions: { code: 'access-denied', path: '$' } },
      ],
    };

    // Act
    const error = classifyHasuraAnswer(200, answer, secret);

    // Assess
    expect(error.message).toBe(
      'Hasura request failed (other, access-denied): bad header [redacted]',
    );
    expect(`${secret} ${JSON.stringify({ secret })}`).toBe('[redacted] {"secret":"[redacted]"}');
  });
});

/**
 * Hasura v2's answer (HTTP 200) to a mutation whose statement failed with a database error it
 * does not map: code `unexpected`, message "database query error", and for admin requests (or
 * in dev mode) `extensions.internal`, its PGTxErr: statement, arguments, prepared, error.
 */
const unexpectedAnswer = (internalError?: unknown): Record<string, unknown> => ({
  errors: [
    {
      message: 'database query error',
      extensions: {
        path: '$.selectionSet.insert_users.args.objects',
        code: 'unexpected',
        ...(internalError === undefined
          ? {}
          : {
              internal: {
                statement: 'INSERT INTO "public"."users" ... VALUES ($1, $2)',
                arguments: [
                  '(Oid 25,Just ("u-1",Binary))',
                  '(Oid 25,Just ("a@example.com",Binary))',
                ],
                prepared: false,
                error: internalError,
              },
            }),
      },
    },
  ],
});

/** Hasura's `PGStmtErrDetail` for a statement the server refused with `sqlState`. */
const statementError = (sqlState: string, message: string) => ({
  exec_status: 'FatalError',
  status_code: sqlState,
  message,
  description: null,
  hint: null,
});

describe('Function: classifyHasuraAnswer (database errors Hasura answers as unexpected)', () => {
  it('classifies an unexpected database error without internal details as ambiguous', () => {
    // Act
    const error = classifyHasuraAnswer(200, unexpectedAnswer());

    // Assess
    expect(error).toMatchObject({
      failureClass: 'ambiguous',
      code: 'unexpected',
      status: 200,
      sqlState: undefined,
    });
  });

  it.each<[string, string, HasuraFailureClass]>([
    ['40P01', 'deadlock detected', 'ambiguous'],
    ['40001', 'could not serialize access due to concurrent update', 'ambiguous'],
    ['55P03', 'canceling statement due to lock timeout', 'ambiguous'],
    ['57014', 'canceling statement due to statement timeout', 'ambiguous'],
    ['XX000', 'internal error', 'ambiguous'],
    ['08006', 'connection failure', 'transient'],
    ['53300', 'sorry, too many clients already', 'transient'],
    ['57P01', 'terminating connection due to administrator command', 'transient'],
    ['P0001', 'email domain is blocked', 'data'],
    ['54000', 'statement is too complex', 'data'],
    ['42883', 'function audit_user() does not exist', 'other'],
    ['42501', 'permission denied for table users', 'other'],
  ])('classifies SQLSTATE %s (%s) shown in internal as %s', (sqlState, message, failureClass) => {
    // Act
    const error = classifyHasuraAnswer(200, unexpectedAnswer(statementError(sqlState, message)));

    // Assess
    expect(error).toMatchObject({ failureClass, code: 'unexpected', sqlState });
  });

  it('classifies a lost connection shown in internal as transient', () => {
    // Act
    const error = classifyHasuraAnswer(
      200,
      unexpectedAnswer('server closed the connection unexpectedly'),
    );

    // Assess
    expect(error).toMatchObject({ failureClass: 'transient', code: 'unexpected' });
  });

  it('never copies the statement, its arguments or the database message into the error', () => {
    // Act
    const error = classifyHasuraAnswer(
      200,
      unexpectedAnswer(statementError('P0001', 'blocked a@example.com')),
    );

    // Assess
    expect(error.message).toBe('Hasura request failed (data, unexpected): database query error');
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(
      /example\.com|INSERT|Oid/,
    );
  });
});

describe('Function: attemptsFor', () => {
  it.each<[HasuraFailureClass, number, number]>([
    ['transient', 8, 8],
    ['ambiguous', 8, AMBIGUOUS_MAX_ATTEMPTS],
    ['ambiguous', 2, 2],
    ['data', 8, 1],
    ['other', 8, 1],
  ])(
    'grants a failure of class %s, with %i attempts configured, %i attempts',
    (failureClass, configured, expected) => {
      // Act
      const attempts = attemptsFor(failureClass, configured);

      // Assess
      expect(attempts).toBe(expected);
    },
  );
});

describe('Function: isolatesRows', () => {
  it.each<[HasuraFailureClass, boolean]>([
    ['transient', false],
    ['ambiguous', true],
    ['data', true],
    ['other', false],
  ])('tells whether a failure of class %s splits the batch: %s', (failureClass, expected) => {
    // Act
    const isolates = isolatesRows(failureClass);

    // Assess
    expect(isolates).toBe(expected);
  });
});

describe('Function: isSuccessfulAnswer', () => {
  it.each<[number, unknown, boolean]>([
    [200, { data: { insert_users: null } }, true],
    [200, { data: {}, errors: [] }, true],
    [200, { data: null, errors: [{ message: 'x' }] }, false],
    [200, { data: {}, errors: [{ message: 'x' }] }, false],
    [200, undefined, false],
    [200, { extensions: {} }, false],
    [500, { data: {} }, false],
  ])('tells HTTP %i with %j a success: %s', (status, body, expected) => {
    // Act
    const success = isSuccessfulAnswer(status, body);

    // Assess
    expect(success).toBe(expected);
  });
});

describe('Function: classifyHasuraError', () => {
  it('classifies connection failures and timeouts as transient', () => {
    // Prepare
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

    // Act
    const classified = [refused, timeout].map((error) => classifyHasuraError(error));

    // Assess
    expect(classified).toEqual([
      expect.objectContaining({ failureClass: 'transient', code: 'network-error' }),
      expect.objectContaining({ failureClass: 'transient', code: 'timeout' }),
    ]);
  });

  it('classifies a graphql-request ClientError by its answer, never by its message', () => {
    // Prepare
    const email = 'variables-inside@example.org';
    const response = { ...hasuraErrorBody('dataException'), status: 200, headers: {}, body: '' };
    const request = { query: 'mutation { x }', variables: { objects: [{ email }] } };
    const clientError = new ClientError(response as never, request);

    // Act
    const error = classifyHasuraError(clientError);

    // Assess
    expect(clientError.message).toContain(email);
    expect(error).toMatchObject({ failureClass: 'data', code: 'data-exception', status: 200 });
    expect(error.message).not.toContain(email);
    expect(error.message).not.toContain('"request"');
  });

  it('classifies from the complete answer when one arrived, whatever was thrown reading it', () => {
    // Act
    const error = classifyHasuraError(new SyntaxError('Unexpected token'), undefined, {
      status: 502,
      body: '<html>Bad Gateway</html>',
    });

    // Assess
    expect(error).toMatchObject({ failureClass: 'transient', code: 'http-502', status: 502 });
  });

  it('classifies any other thrown error as other', () => {
    // Act
    const error = classifyHasuraError(new Error('Invalid execution result: result is not object'));

    // Assess
    expect(error).toMatchObject({ failureClass: 'other', code: 'invalid-response' });
  });
});
