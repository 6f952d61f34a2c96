import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientError } from 'graphql-request';
import { createAdminSecretProvider } from '../../../../shared/hasuraClient/adminSecretProvider.js';
import {
  createHasuraClient,
  type HasuraClient,
} from '../../../../shared/hasuraClient/createHasuraClient.js';
import type {
  HasuraHttpRequest,
  HasuraTransport,
} from '../../../../shared/hasuraClient/httpTransport.js';
import { RedactedSecret } from '../../../../shared/hasuraClient/RedactedSecret.js';
import { hasuraErrorBody } from '../../../fixtures/hasuraAnswers/hasuraFixtures.js';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin-AbCdEf';
const DOCUMENT = 'mutation SyncUsers { insert_users(objects: []) { affected_rows } }';

/** A transport answering each call with the next body (HTTP 200, as Hasura answers errors too). */
const scriptedTransport = (
  bodies: unknown[],
): { transport: HasuraTransport; secretsSent: string[] } => {
  const secretsSent: string[] = [];
  const transport: HasuraTransport = async ({ headers }) => {
    secretsSent.push(headers['x-hasura-admin-secret'] ?? '');
    const body = bodies[Math.min(secretsSent.length - 1, bodies.length - 1)];
    return { status: 200, body: JSON.stringify(body) };
  };
  return { transport, secretsSent };
};

/** A client whose admin secret comes from (mocked) Secrets Manager. */
const clientWith = (transport: HasuraTransport): HasuraClient =>
  createHasuraClient({
    endpoint: 'http://127.0.0.1:1/v1/graphql',
    adminSecret: createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    ),
    transport,
  });

describe('Function: createHasuraClient', () => {
  const secretsManager = mockClient(SecretsManagerClient);

  beforeEach(() => {
    secretsManager.reset();
  });

  it('sends the rotated admin secret after Hasura refused the cached one', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'old-admin-secret' })
      .resolves({ SecretString: 'new-admin-secret' });
    const { transport, secretsSent } = scriptedTransport([
      hasuraErrorBody('accessDenied'),
      { data: { insert_users: { affected_rows: 0 } } },
    ]);
    const hasura = clientWith(transport);

    // Act
    const refused = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);
    const data = await hasura.request(DOCUMENT, {});

    // Assess
    expect(refused).toMatchObject({ failureClass: 'other', code: 'access-denied' });
    expect(data).toEqual({ insert_users: { affected_rows: 0 } });
    expect(secretsSent).toEqual(['old-admin-secret', 'new-admin-secret']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('keeps the cached admin secret when Hasura rejects the data', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'admin-secret' });
    const { transport, secretsSent } = scriptedTransport([
      hasuraErrorBody('constraintViolation'),
      { data: { insert_users: { affected_rows: 1 } } },
    ]);
    const hasura = clientWith(transport);

    // Act
    const rejected = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);
    await hasura.request(DOCUMENT, {});

    // Assess
    expect(rejected).toMatchObject({ failureClass: 'data', code: 'constraint-violation' });
    expect(secretsSent).toEqual(['admin-secret', 'admin-secret']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('fails as transient within the request timeout when the admin secret never arrives', async () => {
    // Prepare
    const { transport, secretsSent } = scriptedTransport([{ data: {} }]);
    const hasura = createHasuraClient({
      endpoint: 'http://127.0.0.1:1/v1/graphql',
      adminSecret: () => new Promise(() => undefined),
      timeoutMs: 100,
      transport,
    });

    // Act
    const startedAt = Date.now();
    const failure = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'secret-unavailable' });
    expect(elapsedMs).toBeLessThan(1000);
    expect(secretsSent).toEqual([]);
  });

  it('classifies a deadlock inside the mutation as ambiguous, keeps the secret and leaks no statement', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'admin-secret' });
    // Hasura v2's answer for admin requests: `internal` is its PGTxErr (statement, arguments).
    const deadlock = {
      errors: [
        {
          message: 'database query error',
          extensions: {
            path: '$.selectionSet.insert_users.args.objects',
            code: 'unexpected',
            internal: {
              statement: 'INSERT INTO "public"."users" ("id", "email") VALUES ($1, $2)',
              arguments: [
                '(Oid 25,Just ("u-7",Binary))',
                '(Oid 25,Just ("u7@example.com",Binary))',
              ],
              prepared: false,
              error: {
                exec_status: 'FatalError',
                status_code: '40P01',
                message: 'deadlock detected',
                description:
                  'Process 41 waits for ShareLock on transaction 7; blocked by process 42.',
                hint: 'See server log for query details.',
              },
            },
          },
        },
      ],
    };
    const { transport, secretsSent } = scriptedTransport([
      deadlock,
      { data: { insert_users: { affected_rows: 1 } } },
    ]);
    const hasura = clientWith(transport);

    // Act
    const failure = await hasura.request(DOCUMENT, {}).catch((error: unknown) => error);
    await hasura.request(DOCUMENT, {});

    // Assess
    expect(failure).toMatchObject({
      name: 'HasuraRequestError',
      failureClass: 'ambiguous',
      code: 'unexpected',
      sqlState: '40P01',
      status: 200,
    });
    expect(String(failure)).not.toMatch(/INSERT|example\.com|Process 41/);
    expect(secretsSent).toEqual(['admin-secret', 'admin-secret']);
  });

  it('sends the document as it is, with its variables and the secret, as a plain GraphQL POST', async () => {
    // Prepare
    const sent: HasuraHttpRequest[] = [];
    const hasura = createHasuraClient({
      endpoint: 'http://127.0.0.1:1/v1/graphql?tenant=a',
      adminSecret: async () => new RedactedSecret('plain-admin-secret'),
      transport: async (request) => {
        sent.push(request);
        return { status: 200, body: '{"data":{"insert_users":{"affected_rows":2}}}' };
      },
    });
    const variables = { objects: [{ id: 'u-1' }, { id: 'u-2' }] };

    // Act
    const data = await hasura.request(DOCUMENT, variables, { timeoutMs: 250 });

    // Assess
    expect(data).toEqual({ insert_users: { affected_rows: 2 } });
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request?.url.href).toBe('http://127.0.0.1:1/v1/graphql?tenant=a');
    // No operationName: graphql-request does not parse the document (excludeOperationName).
    expect(JSON.parse(request?.body ?? '')).toEqual({ query: DOCUMENT, variables });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-hasura-admin-secret': 'plain-admin-secret',
    });
    // graphql-request's own header: the request went through it.
    expect(request?.headers.accept).toContain('application/graphql-response+json');
    expect(request?.signal.aborted).toBe(false);
  });

  it('throws a classified error that carries neither the variables nor the error graphql-request threw', async () => {
    // Prepare
    const email = 'never-logged.k4z@example.org';
    const hasura = createHasuraClient({
      endpoint: 'http://127.0.0.1:1/v1/graphql',
      adminSecret: async () => new RedactedSecret('plain-admin-secret'),
      transport: async () => ({
        status: 200,
        body: JSON.stringify(hasuraErrorBody('constraintViolation')),
      }),
    });

    // Act
    const failure = await hasura
      .request(DOCUMENT, { objects: [{ email }] })
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({
      name: 'HasuraRequestError',
      failureClass: 'data',
      code: 'constraint-violation',
    });
    expect(failure).not.toBeInstanceOf(ClientError);
    expect((failure as Error).cause).toBeUndefined();
    expect(JSON.stringify(failure)).not.toContain(email);
    expect(String(failure)).not.toContain(email);
    expect((failure as Error).stack).not.toContain(email);
  });
});
