import { describe, expect, it } from '@jest/globals';
import { loadUserSyncConfig } from '../../../services/user-sync/config.js';

const minimal = {
  HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
  HASURA_ADMIN_SECRET: 'local-secret',
  USER_POOL_IDS: 'eu-west-1_AbCdEf123',
};

describe('Function: loadUserSyncConfig', () => {
  it('applies the defaults of the hasura/ project when only the endpoint, secret and pools are set', () => {
    // Act
    const config = loadUserSyncConfig(minimal);

    // Assess
    expect(config).toEqual({
      hasuraEndpoint: 'https://hasura.example.com/v1/graphql',
      adminSecret: { kind: 'value', secret: expect.anything() },
      table: 'users',
      constraint: 'users_pkey',
      columnMap: {
        sub: 'id',
        username: 'username',
        'attributes.email': 'email',
        enabled: 'enabled',
        status: 'user_status',
        authenticatedAt: 'last_seen_at',
        occurredAt: 'last_event_at',
        eventId: 'last_event_id',
        deletedAt: 'deleted_at',
      },
      publishedAttributes: ['email'],
      eventSource: 'cognito-hasura-sync',
      userPoolIds: ['eu-west-1_AbCdEf123'],
      maxClockSkewMs: 5000,
      writeMode: 'guard',
      deleteMode: 'soft',
      requestTimeoutMs: 5000,
      retry: { baseDelayMs: 100, maxDelayMs: 5000, maxAttempts: 8, safetyMarginMs: 3000 },
    });
    expect(JSON.stringify(config)).not.toContain('local-secret');
  });

  it('prefers the Secrets Manager ARN over a plain secret', () => {
    // Prepare
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin-AbCdEf';

    // Act
    const config = loadUserSyncConfig({ ...minimal, HASURA_ADMIN_SECRET_ARN: arn });

    // Assess
    expect(config.adminSecret).toEqual({ kind: 'secretsManager', secretArn: arn });
  });

  it('reads the table, constraint, column map, mode and timings', () => {
    // Act
    const config = loadUserSyncConfig({
      ...minimal,
      USERS_TABLE: 'app_users',
      USERS_CONSTRAINT: 'app_users_pkey',
      USERS_COLUMN_MAP: JSON.stringify({
        sub: 'cognito_sub',
        authenticatedAt: 'seen_at',
        occurredAt: 'event_at',
        eventId: 'seen_event',
        deletedAt: 'gone_at',
        'attributes.custom:tenant': 'tenant',
      }),
      PUBLISHED_ATTRIBUTES: 'email,custom:tenant',
      SYNC_WRITE_MODE: 'where',
      HASURA_REQUEST_TIMEOUT_MS: '2500',
      HASURA_RETRY_MAX_ATTEMPTS: '3',
    });

    // Assess
    expect(config).toMatchObject({
      table: 'app_users',
      constraint: 'app_users_pkey',
      columnMap: { sub: 'cognito_sub', 'attributes.custom:tenant': 'tenant' },
      writeMode: 'where',
      requestTimeoutMs: 2500,
      retry: { maxAttempts: 3 },
    });
  });

  it('reads the trusted source, pools, published attributes and clock skew', () => {
    // Act
    const config = loadUserSyncConfig({
      ...minimal,
      EVENT_SOURCE: 'com.example.auth',
      USER_POOL_IDS: ' eu-west-1_AbCdEf123 ,,us-east-1_Zz9 ',
      PUBLISHED_ATTRIBUTES: 'email,name',
      SYNC_MAX_CLOCK_SKEW_MS: '1500',
    });

    // Assess
    expect(config).toMatchObject({
      eventSource: 'com.example.auth',
      userPoolIds: ['eu-west-1_AbCdEf123', 'us-east-1_Zz9'],
      publishedAttributes: ['email', 'name'],
      maxClockSkewMs: 1500,
    });
  });

  it('refuses a column map that reads an attribute PUBLISHED_ATTRIBUTES leaves out, naming both', () => {
    // Prepare
    const env = {
      ...minimal,
      USERS_COLUMN_MAP: JSON.stringify({
        sub: 'id',
        occurredAt: 'last_event_at',
        eventId: 'last_event_id',
        deletedAt: 'deleted_at',
        'attributes.email': 'email',
        'attributes.custom:tenant': 'tenant',
      }),
    };

    // Act
    const load = () => loadUserSyncConfig(env);

    // Assess
    expect(load).toThrow(
      /USERS_COLUMN_MAP reads attributes\.custom:tenant, which PUBLISHED_ATTRIBUTES \(email\) does not publish/,
    );
    expect(load).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', variable: 'USERS_COLUMN_MAP' }),
    );
  });

  it.each([
    [{ USER_POOL_IDS: undefined }, 'USER_POOL_IDS', /USER_POOL_IDS is not set/],
    [{ USER_POOL_IDS: ' , ' }, 'USER_POOL_IDS', /must list Cognito user pool ids/],
    [{ USER_POOL_IDS: 'eu-west-1_Ok1,pool' }, 'USER_POOL_IDS', /got "pool"/],
    [{ PUBLISHED_ATTRIBUTES: 'email;name' }, 'PUBLISHED_ATTRIBUTES', /attribute names/],
    [{ SYNC_MAX_CLOCK_SKEW_MS: '-1' }, 'SYNC_MAX_CLOCK_SKEW_MS', /integer from 0 to 300000/],
    [
      { HASURA_GRAPHQL_ENDPOINT: ' ' },
      'HASURA_GRAPHQL_ENDPOINT',
      /HASURA_GRAPHQL_ENDPOINT is not set/,
    ],
    [{ HASURA_GRAPHQL_ENDPOINT: 'hasura:8080' }, 'HASURA_GRAPHQL_ENDPOINT', /http\(s\) URL/],
    [{ HASURA_GRAPHQL_ENDPOINT: 'http://hasura:8080' }, 'HASURA_GRAPHQL_ENDPOINT', /\/v1\/graphql/],
    [{ HASURA_ADMIN_SECRET: '' }, 'HASURA_ADMIN_SECRET', /HASURA_ADMIN_SECRET_ARN/],
    [{ HASURA_ADMIN_SECRET_ARN: 'hasura-admin' }, 'HASURA_ADMIN_SECRET_ARN', /ARN/],
    [{ USERS_TABLE: 'public.users' }, 'USERS_TABLE', /GraphQL name/],
    [
      { USERS_COLUMN_MAP: '{"sub":"id","eventId":"e"}' },
      'USERS_COLUMN_MAP',
      /must map "occurredAt"/,
    ],
    [
      // A map written before the lifecycle events: no tombstone column.
      {
        USERS_COLUMN_MAP:
          '{"sub":"id","authenticatedAt":"last_seen_at","occurredAt":"last_event_at","eventId":"last_event_id"}',
      },
      'USERS_COLUMN_MAP',
      /must map "deletedAt".*migration 1797033600000/,
    ],
    [
      { USERS_COLUMN_MAP: '{"sub":"id","authenticatedAt":"a","eventId":"b","mood":"c"}' },
      'USERS_COLUMN_MAP',
      /unknown event field "mood"/,
    ],
    [
      {
        USERS_COLUMN_MAP: '{"sub":"id","occurredAt":"id","eventId":"b","deletedAt":"c"}',
      },
      'USERS_COLUMN_MAP',
      /same column/,
    ],
    [{ SYNC_DELETE_MODE: 'purge' }, 'SYNC_DELETE_MODE', /"soft" or "hard"/],
    [
      { SYNC_DELETE_MODE: 'hard', SYNC_WRITE_MODE: 'where' },
      'SYNC_DELETE_MODE',
      /SYNC_DELETE_MODE=hard requires SYNC_WRITE_MODE=guard \(got SYNC_WRITE_MODE=where\)/,
    ],
    [{ USERS_COLUMN_MAP: '[1]' }, 'USERS_COLUMN_MAP', /JSON object/],
    [{ SYNC_WRITE_MODE: 'fast' }, 'SYNC_WRITE_MODE', /"guard" or "where"/],
    [{ HASURA_REQUEST_TIMEOUT_MS: 'soon' }, 'HASURA_REQUEST_TIMEOUT_MS', /integer/],
  ])(
    'throws a ConfigurationError naming the variable when %j is invalid',
    (overrides, variable, message) => {
      // Act
      const load = () => loadUserSyncConfig({ ...minimal, ...overrides });

      // Assess
      expect(load).toThrow(message);
      expect(load).toThrow(expect.objectContaining({ name: 'ConfigurationError', variable }));
    },
  );
});
