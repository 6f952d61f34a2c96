import { describe, expect, it } from '@jest/globals';
import { columnsFromMap, loadReconcileConfig } from '../../../services/reconcile/config.js';
import {
  DEFAULT_RECONCILE_COLUMNS,
  differingFields,
  toCognitoUserState,
} from '../../../services/reconcile/userState.js';
import { createUsersTableReader } from '../../../services/reconcile/usersTable.js';
import type { HasuraClient } from '../../../shared/hasuraClient/createHasuraClient.js';

/** A Hasura client that records each request and answers `rows`. */
const recordingHasura = (rows: unknown[]) => {
  const requests: Array<{ document: string; variables: Record<string, unknown> }> = [];
  const client: HasuraClient = {
    async request<T>(document: string, variables: Record<string, unknown>) {
      requests.push({ document, variables });
      return { rows } as T;
    },
  };
  return { client, requests };
};

describe('Function: createUsersTableReader', () => {
  it('reads the rows of a page in one query by sub, with every compared column', async () => {
    // Prepare
    const hasura = recordingHasura([{ id: 's1', username: 'u1' }]);
    const reader = createUsersTableReader(hasura.client, { columns: DEFAULT_RECONCILE_COLUMNS });

    // Act
    const rows = await reader.rowsBySub(['s1', 's2']);

    // Assess
    expect(hasura.requests).toHaveLength(1);
    expect(hasura.requests[0]?.variables).toEqual({ subs: ['s1', 's2'] });
    expect(hasura.requests[0]?.document).toContain('users(where: {id: {_in: $subs}})');
    for (const column of ['email', 'enabled', 'user_status', 'deleted_at', 'last_event_at']) {
      expect(hasura.requests[0]?.document).toContain(column);
    }
    expect(rows.get('s1')).toEqual({ id: 's1', username: 'u1' });
  });

  it('pages live rows by keyset within the prefix, LIKE wildcards escaped', async () => {
    // Prepare
    const hasura = recordingHasura([{ id: 'a_1', username: '' }]);
    const reader = createUsersTableReader(hasura.client, { columns: DEFAULT_RECONCILE_COLUMNS });

    // Act
    const page = await reader.liveRowsPage('a_', 'a0', 500);

    // Assess
    expect(hasura.requests[0]?.variables).toEqual({ like: 'a\\_%', after: 'a0', limit: 500 });
    expect(hasura.requests[0]?.document).toMatch(/deleted_at: \{_is_null: true\}/);
    expect(hasura.requests[0]?.document).toContain('order_by: {id: asc}');
    expect(page).toEqual([{ sub: 'a_1', username: null }]);
  });

  it('refuses a table or column that is not a GraphQL name', () => {
    // Act, Assess
    expect(() =>
      createUsersTableReader(recordingHasura([]).client, {
        table: 'users; drop',
        columns: DEFAULT_RECONCILE_COLUMNS,
      }),
    ).toThrow(/not a GraphQL name/);
  });
});

describe('Function: differingFields', () => {
  it('names the differing fields, never their values, and treats an absent attribute as NULL', () => {
    // Prepare
    const user = toCognitoUserState(
      {
        Username: 'jane',
        Enabled: false,
        UserStatus: 'CONFIRMED',
        Attributes: [
          { Name: 'sub', Value: 's1' },
          { Name: 'email', Value: 'jane@example.com' },
          { Name: 'phone_number', Value: '+1555' },
        ],
      },
      ['email'],
    );
    if (user === undefined) throw new Error('no user');
    const columns = { ...DEFAULT_RECONCILE_COLUMNS, attributes: { email: 'email', name: 'name' } };

    // Act
    const differing = differingFields(
      user,
      {
        username: 'jane',
        email: 'old@example.com',
        name: null,
        enabled: true,
        user_status: 'CONFIRMED',
      },
      columns,
    );

    // Assess
    expect(user.attributes).toEqual({ email: 'jane@example.com' });
    expect(differing).toEqual(['email', 'enabled']);
  });
});

describe('Function: loadReconcileConfig', () => {
  it('takes the columns from the consumer’s USERS_COLUMN_MAP', () => {
    // Act
    const columns = columnsFromMap({
      sub: 'user_id',
      username: 'login',
      'attributes.email': 'mail',
      'attributes.custom:tenant': 'tenant',
      status: 'state',
    });

    // Assess
    expect(columns).toMatchObject({
      id: 'user_id',
      username: 'login',
      attributes: { email: 'mail', 'custom:tenant': 'tenant' },
      status: 'state',
      enabled: 'enabled',
      deletedAt: 'deleted_at',
    });
  });

  it('names the missing variable', () => {
    // Act, Assess
    expect(() => loadReconcileConfig({})).toThrow(/HASURA_GRAPHQL_ENDPOINT is not set/);
    expect(() => loadReconcileConfig({ HASURA_GRAPHQL_ENDPOINT: 'http://h/v1/graphql' })).toThrow(
      /HASURA_ADMIN_SECRET is not set/,
    );
    expect(() =>
      loadReconcileConfig({
        HASURA_GRAPHQL_ENDPOINT: 'http://h/v1/graphql',
        HASURA_ADMIN_SECRET: 's',
        RECONCILE_MAX_DELETES: '-1',
      }),
    ).toThrow(/RECONCILE_MAX_DELETES/);
  });
});
