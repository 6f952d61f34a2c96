import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { type HasuraEngine, startHasuraEngine } from '../../engine/src/server.js';
import {
  type ClaimsFormat,
  createPreTokenGenerationHandler,
  DEFAULT_CLAIMS_NAMESPACE,
  defaultPreTokenGenerationConfig,
} from '../../services/pre-token-generation/index.js';
import {
  loadTokenEvent,
  type TokenEventFixture,
  valueAt,
  withGroups,
  withSub,
} from '../unit/pre-token-generation/tokenEvents.js';

/**
 * End to end through the JWT mode: Cognito event → the trigger's handler → the claim it adds
 * → a JWT signed with a local key (standing in for the pool's key) → the local Hasura engine
 * configured as docs/pre-token-generation.md says → the `user` permission of hasura/metadata.
 */

const region = 'eu-west-1';
const poolId = 'eu-west-1_Ab12Cd34E';
const clientId = '4tq1example7clientid2bq8r';
const issuer = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
const adminSecret = 'pre-token-jwt-test-admin-secret';
const ada = { id: '6b1f0b3e-7c55-4a8e-9e0a-1d2c3b4a5f60', username: 'ada' };
const grace = { id: '0c9e8d7f-1a2b-4c3d-8e4f-5a6b7c8d9e0f', username: 'grace' };

// Starting the engine (embedded PGlite, migrations, metadata) takes seconds on a busy machine.
const startTimeoutMs = 120_000;

const noop = (): void => undefined;
const quiet = {
  logger: { debug: noop, info: noop, warn: noop, error: noop },
  metrics: { addMetric: noop },
};
const handler = createPreTokenGenerationHandler({
  config: defaultPreTokenGenerationConfig,
  ...quiet,
});
/** The trigger of a deployment that lets unmapped groups be roles and names one admin group. */
const adminGroupHandler = createPreTokenGenerationHandler({
  config: {
    ...defaultPreTokenGenerationConfig,
    unmappedGroupsAsRoles: true,
    adminGroups: ['db-owners'],
  },
  ...quiet,
});

interface Mode {
  readonly name: string;
  readonly fixture: TokenEventFixture;
  readonly claimsFormat: ClaimsFormat;
  /** Where the handler's response puts the claim for the token sent to Hasura. */
  readonly claimPath: readonly string[];
  /** The Cognito claims of that token besides the Hasura claim. */
  readonly tokenClaims: JWTPayload;
  /** The JWT config fields that check those claims. */
  readonly secretChecks: Readonly<Record<string, string>>;
  /** How the engine gets the public key: inline PEM, or a JWKS URL as Cognito publishes. */
  readonly keyDelivery: 'key' | 'jwk_url';
}

const modes: Mode[] = [
  {
    name: 'V1 event, id token',
    fixture: 'preTokenGenerationV1',
    claimsFormat: 'stringified_json',
    claimPath: ['response', 'claimsOverrideDetails', 'claimsToAddOrOverride'],
    tokenClaims: { token_use: 'id', aud: clientId },
    secretChecks: { issuer, audience: clientId },
    keyDelivery: 'key',
  },
  {
    name: 'V2 event, access token',
    fixture: 'preTokenGenerationV2',
    claimsFormat: 'json',
    claimPath: [
      'response',
      'claimsAndScopeOverrideDetails',
      'accessTokenGeneration',
      'claimsToAddOrOverride',
    ],
    tokenClaims: { token_use: 'access', client_id: clientId, scope: 'openid email' },
    secretChecks: { issuer },
    keyDelivery: 'jwk_url',
  },
];

interface GraphqlAnswer {
  readonly status: number;
  readonly body: unknown;
}

const postGraphql = async (
  engine: HasuraEngine,
  query: string,
  headers: Record<string, string>,
): Promise<GraphqlAnswer> => {
  const response = await fetch(engine.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
};

const keyId = 'local-test-key';

/** Serves a JWKS on loopback, like `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`. */
const serveJwks = async (publicKey: CryptoKey): Promise<{ url: string; server: Server }> => {
  const jwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: 'RS256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'max-age=3600',
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('JWKS server has no port');
  return { url: `http://127.0.0.1:${address.port}/${poolId}/.well-known/jwks.json`, server };
};

const errorCode = (answer: GraphqlAnswer): unknown =>
  valueAt(answer.body, 'errors', '0', 'extensions', 'code');

/** Runs the trigger on a fixture for `sub` and returns the Hasura claim it produced (if any). */
const claimFromHandler = async (
  mode: Mode,
  sub: string | undefined,
  groups?: readonly string[],
  trigger = handler,
): Promise<unknown> => {
  const event = withSub(loadTokenEvent(mode.fixture), sub);
  const result = await trigger(groups === undefined ? event : withGroups(event, groups));
  return valueAt(result, ...mode.claimPath, DEFAULT_CLAIMS_NAMESPACE);
};

const signToken = async (
  mode: Mode,
  key: CryptoKey,
  sub: string,
  claim: unknown,
): Promise<string> => {
  const payload: JWTPayload = { ...mode.tokenClaims, 'cognito:username': sub };
  if (claim !== undefined) payload[DEFAULT_CLAIMS_NAMESPACE] = claim;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: keyId })
    .setIssuer(issuer)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
};

describe('Function: createPreTokenGenerationHandler claims at the Hasura JWT mode', () => {
  describe.each(modes)('$name with claims_format $claimsFormat and $keyDelivery', (mode) => {
    let engine: HasuraEngine;
    let signingKey: CryptoKey;
    let otherKey: CryptoKey;
    let jwksServer: Server | undefined;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      signingKey = pair.privateKey;
      otherKey = (await generateKeyPair('RS256')).privateKey;
      let keyFields: Record<string, string>;
      if (mode.keyDelivery === 'jwk_url') {
        const jwks = await serveJwks(pair.publicKey);
        jwksServer = jwks.server;
        keyFields = { jwk_url: jwks.url };
      } else {
        keyFields = { type: 'RS256', key: await exportSPKI(pair.publicKey) };
      }
      const jwtSecret = JSON.stringify({
        ...keyFields,
        claims_format: mode.claimsFormat,
        claims_namespace: DEFAULT_CLAIMS_NAMESPACE,
        ...mode.secretChecks,
      });
      engine = await startHasuraEngine({ adminSecret, jwtSecret });
      const inserted = await postGraphql(
        engine,
        `mutation { insert_users(objects: [
          { id: "${ada.id}", username: "${ada.username}", last_seen_at: "2026-11-26T10:00:00.000Z" },
          { id: "${grace.id}", username: "${grace.username}", last_seen_at: "2026-11-26T10:00:01.000Z" }
        ]) { affected_rows } }`,
        { 'x-hasura-admin-secret': adminSecret },
      );
      expect(inserted.body).toEqual({ data: { insert_users: { affected_rows: 2 } } });
    }, startTimeoutMs);

    afterAll(async () => {
      await engine?.stop();
      const server = jwksServer;
      if (server !== undefined) await new Promise((resolve) => server.close(resolve));
    }, startTimeoutMs);

    it.each([ada, grace])(
      'returns only the own row of $username to the user role',
      async (user) => {
        // Prepare
        const claim = await claimFromHandler(mode, user.id);
        const token = await signToken(mode, signingKey, user.id, claim);

        // Act
        const answer = await postGraphql(engine, '{ users { id } }', {
          authorization: `Bearer ${token}`,
        });

        // Assess
        expect(typeof claim).toBe(mode.claimsFormat === 'json' ? 'object' : 'string');
        expect(answer.body).toEqual({ data: { users: [{ id: user.id }] } });
      },
    );

    it('returns every row to the admin secret', async () => {
      // Prepare
      const headers = { 'x-hasura-admin-secret': adminSecret };

      // Act
      const answer = await postGraphql(engine, '{ users(order_by: { id: asc }) { id } }', headers);

      // Assess
      expect(answer.body).toEqual({ data: { users: [{ id: grace.id }, { id: ada.id }] } });
    });

    it('refuses a token the handler left without Hasura claims', async () => {
      // Prepare
      const claim = await claimFromHandler(mode, undefined);
      const token = await signToken(mode, signingKey, ada.id, claim);

      // Act
      const answer = await postGraphql(engine, '{ users { id } }', {
        authorization: `Bearer ${token}`,
      });

      // Assess
      expect(claim).toBeUndefined();
      expect(errorCode(answer)).toBe('jwt-invalid-claims');
      expect(valueAt(answer.body, 'data')).toBeUndefined();
    });

    it('refuses a role the claims do not allow', async () => {
      // Prepare
      const claim = await claimFromHandler(mode, ada.id);
      const token = await signToken(mode, signingKey, ada.id, claim);

      // Act
      const answer = await postGraphql(engine, '{ users { id } }', {
        authorization: `Bearer ${token}`,
        'x-hasura-role': 'admin',
      });

      // Assess
      expect(errorCode(answer)).toBe('access-denied');
      expect(valueAt(answer.body, 'data')).toBeUndefined();
    });

    it.each([
      ['the default settings', handler],
      ['unmapped groups as roles and another admin group', adminGroupHandler],
    ])(
      'refuses the admin role to a member of the group "admin" with %s',
      async (_label, trigger) => {
        // Prepare
        const claim = await claimFromHandler(mode, ada.id, ['admin', 'Admin'], trigger);
        const token = await signToken(mode, signingKey, ada.id, claim);

        // Act
        const answer = await postGraphql(engine, '{ users { id } }', {
          authorization: `Bearer ${token}`,
          'x-hasura-role': 'admin',
        });

        // Assess
        expect(errorCode(answer)).toBe('access-denied');
        expect(valueAt(answer.body, 'data')).toBeUndefined();
      },
    );

    it('lets a member of a configured admin group act as admin', async () => {
      // Prepare
      const claim = await claimFromHandler(mode, ada.id, ['db-owners'], adminGroupHandler);
      const token = await signToken(mode, signingKey, ada.id, claim);

      // Act
      const answer = await postGraphql(engine, '{ users(order_by: { id: asc }) { id } }', {
        authorization: `Bearer ${token}`,
        'x-hasura-role': 'admin',
      });

      // Assess
      expect(answer.body).toEqual({ data: { users: [{ id: grace.id }, { id: ada.id }] } });
    });

    it('refuses a token signed with another key', async () => {
      // Prepare
      const claim = await claimFromHandler(mode, ada.id);
      const token = await signToken(mode, otherKey, ada.id, claim);

      // Act
      const answer = await postGraphql(engine, '{ users { id } }', {
        authorization: `Bearer ${token}`,
      });

      // Assess
      expect(errorCode(answer)).toBe('invalid-jwt');
      expect(valueAt(answer.body, 'data')).toBeUndefined();
    });
  });
});
