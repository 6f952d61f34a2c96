import { describe, expect, it } from '@jest/globals';
import {
  classifyHasuraAnswer,
  classifyHasuraError,
  isSuccessfulAnswer,
} from '../../../shared/hasura/classifyHasuraError.js';
import { RedactedSecret } from '../../../shared/hasura/RedactedSecret.js';
import { type HasuraErrorFixture, hasuraErrorBody } from '../../fixtures/hasura/hasuraFixtures.js';

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

  it('classifies any other thrown error as other', () => {
    // Act
    const error = classifyHasuraError(new Error('Invalid execution result: result is not object'));

    // Assess
    expect(error).toMatchObject({ failureClass: 'other', code: 'invalid-response' });
  });
});
