import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { type HasuraEngine, startHasuraEngine } from '../../src/server.js';
import { post } from './helpers.js';

// PGlite starts in a few seconds, more on a loaded machine.
jest.setTimeout(30_000);

const HMAC_KEY = 'a-local-test-key-that-is-at-least-32-characters';
const SEED = `INSERT INTO users (id, username, email, last_seen_at) VALUES
  ('sub-1', 'alice', 'alice@example.com', '2026-01-01'), ('sub-2', 'bob', NULL, '2026-01-02')`;
const QUERY = '{ users(order_by: [{id: asc}]) { id username } }';

const hmacToken = async (claims: Record<string, unknown>, expiresIn = '5m'): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(HMAC_KEY));

const hasuraClaims = (role: string, userId: string) => ({
  'x-hasura-allowed-roles': [role],
  'x-hasura-default-role': role,
  'X-Hasura-User-Id': userId,
});

const error = (code: string, message: string, path = '$') => ({
  errors: [{ message, extensions: { path, code } }],
});

describe('Function: startHasuraEngine (admin secret and roles)', () => {
  let engine: HasuraEngine;

  beforeAll(async () => {
    engine = await startHasuraEngine({ adminSecret: 'secret' });
    await engine.sql(SEED);
  }, 120_000);
  afterAll(async () => {
    await engine.stop();
  });

  it('shows every row to the admin', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: QUERY },
      { 'x-hasura-admin-secret': 'secret' },
    );

    // Assess
    expect(answer.body).toEqual({
      data: {
        users: [
          { id: 'sub-1', username: 'alice' },
          { id: 'sub-2', username: 'bob' },
        ],
      },
    });
  });

  it('shows the user role only its own row, whatever the header case', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: QUERY },
      { 'X-Hasura-Admin-Secret': 'secret', 'X-HASURA-ROLE': 'user', 'x-hasura-user-id': 'sub-2' },
    );

    // Assess
    expect(answer.body).toEqual({ data: { users: [{ id: 'sub-2', username: 'bob' }] } });
  });

  it('hides the mutations from the user role', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: 'mutation { insert_users(objects: []) { affected_rows } }' },
      { 'x-hasura-admin-secret': 'secret', 'x-hasura-role': 'user', 'x-hasura-user-id': 'sub-1' },
    );

    // Assess
    expect(answer.body).toEqual(error('validation-failed', 'no mutations exist'));
  });

  it('answers not-found when a session variable the filter needs is missing', async () => {
    // Act
    const answer = await post(
      engine.graphqlUrl,
      { query: QUERY },
      { 'x-hasura-admin-secret': 'secret', 'x-hasura-role': 'user' },
    );

    // Assess
    expect(answer.body).toEqual(
      error('not-found', 'missing session variables: "x-hasura-user-id"'),
    );
  });

  it('answers access-denied for a wrong or missing admin secret', async () => {
    // Act
    const wrong = await post(
      engine.graphqlUrl,
      { query: QUERY },
      { 'x-hasura-admin-secret': 'nope' },
    );
    const missing = await post(engine.graphqlUrl, { query: QUERY });

    // Assess
    expect(wrong).toEqual({
      status: 200,
      body: error('access-denied', 'invalid x-hasura-admin-secret/x-hasura-access-key'),
    });
    expect(missing.body).toEqual(
      error('access-denied', 'x-hasura-admin-secret/x-hasura-access-key required, but not found'),
    );
  });
});

describe('Function: startHasuraEngine (JWT mode)', () => {
  const engines: HasuraEngine[] = [];
  let hmac: HasuraEngine;

  beforeAll(async () => {
    hmac = await startHasuraEngine({
      adminSecret: 'secret',
      jwtSecret: JSON.stringify({
        type: 'HS256',
        key: HMAC_KEY,
        audience: 'sync',
        issuer: 'tests',
      }),
    });
    engines.push(hmac);
    await hmac.sql(SEED);
  }, 120_000);
  afterAll(async () => {
    for (const engine of engines) await engine.stop();
  });

  const withToken = (engine: HasuraEngine, token: string, headers: Record<string, string> = {}) =>
    post(engine.graphqlUrl, { query: QUERY }, { authorization: `Bearer ${token}`, ...headers });

  it('runs as the default role with the claims as session variables', async () => {
    // Prepare
    const token = await hmacToken({
      aud: 'sync',
      iss: 'tests',
      'https://hasura.io/jwt/claims': hasuraClaims('user', 'sub-1'),
    });

    // Act
    const answer = await withToken(hmac, token);

    // Assess
    expect(answer.body).toEqual({ data: { users: [{ id: 'sub-1', username: 'alice' }] } });
  });

  it('reads stringified claims under a namespace path with an RS256 key', async () => {
    // Prepare
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const rsa = await startHasuraEngine({
      jwtSecret: JSON.stringify({
        type: 'RS256',
        key: await exportSPKI(publicKey),
        claims_namespace_path: '$.hasura.claims',
        claims_format: 'stringified_json',
      }),
    });
    engines.push(rsa);
    await rsa.sql(SEED);
    const token = await new SignJWT({
      hasura: { claims: JSON.stringify(hasuraClaims('user', 'sub-2')) },
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('5m')
      .sign(privateKey);

    // Act
    const answer = await withToken(rsa, token);

    // Assess
    expect(answer.body).toEqual({ data: { users: [{ id: 'sub-2', username: 'bob' }] } });
  }, 120_000);

  it('answers invalid-jwt for a bad signature, an expired token or a wrong audience', async () => {
    // Prepare
    const claims = {
      aud: 'sync',
      iss: 'tests',
      'https://hasura.io/jwt/claims': hasuraClaims('user', 'sub-1'),
    };
    const forged = `${(await hmacToken(claims)).slice(0, -4)}AAAA`;
    const expired = await hmacToken(claims, '-1m');
    const otherAudience = await hmacToken({ ...claims, aud: 'other' });

    // Act
    const answers = await Promise.all(
      [forged, expired, otherAudience].map((t) => withToken(hmac, t)),
    );

    // Assess
    expect(answers.map((a) => a.body)).toEqual([
      error('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature'),
      error('invalid-jwt', 'Could not verify JWT: JWTExpired'),
      error('invalid-jwt', 'Could not verify JWT: JWTNotInAudience'),
    ]);
  });

  it('answers jwt-missing-role-claims without allowed roles', async () => {
    // Prepare
    const token = await hmacToken({
      aud: 'sync',
      iss: 'tests',
      'https://hasura.io/jwt/claims': {
        'x-hasura-default-role': 'user',
        'x-hasura-user-id': 'sub-1',
      },
    });

    // Act
    const answer = await withToken(hmac, token);

    // Assess
    expect(answer.body).toEqual(
      error('jwt-missing-role-claims', 'JWT claim does not contain x-hasura-allowed-roles'),
    );
  });

  it('answers access-denied when x-hasura-role is not an allowed role', async () => {
    // Prepare
    const token = await hmacToken({
      aud: 'sync',
      iss: 'tests',
      'https://hasura.io/jwt/claims': hasuraClaims('user', 'sub-1'),
    });

    // Act
    const answer = await withToken(hmac, token, { 'x-hasura-role': 'admin' });

    // Assess
    expect(answer.body).toEqual(
      error('access-denied', 'Your requested role is not in allowed roles'),
    );
  });

  it('answers invalid-headers without a token', async () => {
    // Act
    const missing = await post(hmac.graphqlUrl, { query: QUERY });
    const malformed = await post(hmac.graphqlUrl, { query: QUERY }, { authorization: 'Token x' });

    // Assess
    expect(missing.body).toEqual(
      error('invalid-headers', 'Missing Authorization header in JWT authentication mode'),
    );
    expect(malformed.body).toEqual(error('invalid-headers', 'Malformed Authorization header'));
  });
});
