import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { UsersTableRow } from '../../services/reconcile/userState.js';
import type { LiveRowKey, UsersTableReader } from '../../services/reconcile/usersTable.js';
import type { UserDeletedV1, UserUpdatedV1 } from '../../shared/events/userLifecycle.js';

/** A Cognito user of the fake pool. */
export interface FakeCognitoUser {
  sub: string;
  username: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: string;
}

/** The `n`-th user of a fake pool: a UUID-shaped sub spread over the hex prefixes. */
export const fakeUser = (n: number, tag = 'u'): FakeCognitoUser => {
  const seed = [...tag].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 0);
  const hex = ((n + seed) * 2654435761).toString(16).padStart(8, '0').slice(-8);
  return {
    sub: `${hex}-0000-4000-8000-${(seed % 4096).toString(16).padStart(3, '0')}${String(n).padStart(9, '0')}`,
    username: `${tag}-${n}`,
    attributes: { email: `${tag}-${n}@example.com` },
    enabled: true,
    status: 'CONFIRMED',
  };
};

/** The ListUsers / AdminGetUser shape of a fake user. */
export const toUserType = (user: FakeCognitoUser): UserType => ({
  Username: user.username,
  Attributes: [
    { Name: 'sub', Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ],
  Enabled: user.enabled,
  UserStatus: user.status as UserType['UserStatus'],
});

/** An error shaped as the SDK's `UserNotFoundException`. */
export const userNotFound = (): Error => {
  const error = new Error('User does not exist.');
  error.name = 'UserNotFoundException';
  return error;
};

/**
 * A user pool in memory answering ListUsers (with `sub ^= "…"` / `sub = "…"` filters and
 * pagination) and AdminGetUser like Cognito, in the SDK's shapes.
 */
export class FakePool {
  readonly users = new Map<string, FakeCognitoUser>();

  public add(user: FakeCognitoUser): void {
    this.users.set(user.username, user);
  }

  public remove(username: string): void {
    this.users.delete(username);
  }

  public listUsers(input: { Filter?: string; Limit?: number; PaginationToken?: string }): {
    Users: UserType[];
    PaginationToken?: string;
  } {
    let users = [...this.users.values()];
    if (input.Filter) {
      const match = /^sub\s*(\^?=)\s*"(.*)"$/.exec(input.Filter);
      if (!match) throw new Error(`unsupported filter ${input.Filter}`);
      const [, op, value = ''] = match;
      users = users.filter((u) => (op === '=' ? u.sub === value : u.sub.startsWith(value)));
    }
    const start = Number(input.PaginationToken ?? 0);
    const limit = input.Limit ?? 60;
    const page = users.slice(start, start + limit);
    const next = start + limit < users.length ? String(start + limit) : undefined;
    return { Users: page.map(toUserType), ...(next ? { PaginationToken: next } : {}) };
  }

  public adminGetUser(input: { Username?: string }): Omit<UserType, 'Attributes'> & {
    UserAttributes: UserType['Attributes'];
  } {
    const user = this.users.get(input.Username ?? '');
    if (!user) throw userNotFound();
    const { Attributes, ...rest } = toUserType(user);
    return { ...rest, UserAttributes: Attributes };
  }
}

/** A row of the fake users table (the columns of docs/lifecycle.md). */
export interface FakeRow {
  id: string;
  username: string | null;
  email: string | null;
  enabled: boolean | null;
  user_status: string | null;
  deleted_at: string | null;
  last_event_at: string | null;
}

/** The in-step row of a user, as the consumer would have written it. */
export const rowOf = (user: FakeCognitoUser, at = '2026-01-01T00:00:00.000Z'): FakeRow => ({
  id: user.sub,
  username: user.username,
  email: user.attributes.email ?? null,
  enabled: user.enabled,
  user_status: user.status,
  deleted_at: null,
  last_event_at: at,
});

/**
 * The users table in memory: the reader reconcile uses, and `apply` for the events it
 * publishes (the consumer's rules of docs/lifecycle.md: newest wins, a deletion is final,
 * soft delete).
 */
export class FakeTable implements UsersTableReader {
  readonly rows = new Map<string, FakeRow>();
  /** Rows written by `apply` (subs). */
  readonly written: string[] = [];

  public put(row: FakeRow): void {
    this.rows.set(row.id, row);
  }

  public async rowsBySub(subs: readonly string[]): Promise<Map<string, UsersTableRow>> {
    return this.rowsBySubNow(subs);
  }

  public async liveRowsPage(prefix: string, after: string, limit: number): Promise<LiveRowKey[]> {
    return this.liveRowsPageNow(prefix, after, limit);
  }

  /** {@link FakeTable.rowsBySub}, synchronously. */
  public rowsBySubNow(subs: readonly string[]): Map<string, UsersTableRow> {
    const found = new Map<string, UsersTableRow>();
    for (const sub of subs) {
      const row = this.rows.get(sub);
      if (row) found.set(sub, { ...row });
    }
    return found;
  }

  /** {@link FakeTable.liveRowsPage}, synchronously (rows in code-unit order of their id). */
  public liveRowsPageNow(prefix: string, after: string, limit: number): LiveRowKey[] {
    const ids = [...this.rows.keys()].filter((id) => id.startsWith(prefix) && id > after).sort();
    const page: LiveRowKey[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row === undefined || row.deleted_at !== null) continue;
      page.push({ sub: row.id, username: row.username });
      if (page.length === limit) break;
    }
    return page;
  }

  /** Applies published entries as the consumer would. */
  public apply(entries: readonly PutEventsRequestEntry[]): void {
    for (const entry of entries) {
      const detail = JSON.parse(entry.Detail ?? '{}') as UserUpdatedV1 | UserDeletedV1;
      const existing = this.rows.get(detail.sub);
      if (existing?.deleted_at) continue;
      if (existing?.last_event_at && existing.last_event_at >= detail.occurredAt) continue;
      this.written.push(detail.sub);
      if (entry.DetailType === 'UserDeleted') {
        this.rows.set(detail.sub, {
          id: detail.sub,
          username: null,
          email: null,
          enabled: null,
          user_status: null,
          deleted_at: detail.occurredAt,
          last_event_at: detail.occurredAt,
        });
        continue;
      }
      const state = detail as UserUpdatedV1;
      this.rows.set(state.sub, {
        id: state.sub,
        username: state.username,
        email: state.attributes.email ?? null,
        enabled: state.enabled,
        user_status: state.status,
        deleted_at: null,
        last_event_at: state.occurredAt,
      });
    }
  }
}

/**
 * Answers reconcile's two Hasura queries (rows by sub, keyset pages of live rows) from a
 * {@link FakeTable}, as `startFakeHasura`'s responder: the users table at the HTTP level.
 */
export const usersTableResponder =
  (table: FakeTable) =>
  (variables: Record<string, unknown>): { data: { rows: unknown[] } } => {
    if (Array.isArray(variables.subs)) {
      const rows = table.rowsBySubNow(variables.subs as string[]);
      return { data: { rows: [...rows.values()] } };
    }
    const like = String(variables.like ?? '%');
    const prefix = like.slice(0, -1).replace(/\\(.)/g, '$1');
    const rows = table.liveRowsPageNow(
      prefix,
      String(variables.after ?? ''),
      Number(variables.limit ?? 1000),
    );
    return { data: { rows: rows.map((row) => ({ id: row.sub, username: row.username })) } };
  };

/**
 * Creates users `<prefix>-<n>` in a Cognito pool (moto) with `concurrency` (default 32)
 * AdminCreateUser calls in flight, and returns each user as created (with its sub).
 */
export const createCognitoUsers = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  count: number,
  options: { readonly prefix?: string; readonly concurrency?: number } = {},
): Promise<FakeCognitoUser[]> => {
  const prefix = options.prefix ?? 'user';
  const created: FakeCognitoUser[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 32 }, async () => {
      for (let n = next++; n < count; n = next++) {
        const username = `${prefix}-${n}`;
        const { User: user } = await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: username,
            MessageAction: 'SUPPRESS',
            UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
          }),
        );
        const sub = user?.Attributes?.find((a) => a.Name === 'sub')?.Value;
        if (!sub) throw new Error(`AdminCreateUser returned no sub for ${username}`);
        created[n] = {
          sub,
          username,
          attributes: { email: `${username}@example.com` },
          enabled: user?.Enabled ?? true,
          status: user?.UserStatus ?? 'UNKNOWN',
        };
      }
    }),
  );
  return created;
};
