import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { publishAll } from '../../cli/backfill.js';
import type { RateLimiter } from '../../cli/rateLimiter.js';
import { type ReconcileTarget, reconcileUpdate, updateEntry } from './reconcileEvents.js';
import { type ReconcileTally, sample } from './tally.js';
import {
  type CognitoUserState,
  differingFields,
  isNewerThan,
  isTombstone,
  type ReconcileColumns,
  toCognitoUserState,
  type UsersTableRow,
} from './userState.js';
import type { LiveRowKey, UsersTableReader } from './usersTable.js';

/** What reconcile talks to. */
export interface ReconcileDependencies {
  readonly cognito: CognitoIdentityProviderClient;
  readonly eventBridge: EventBridgeClient;
  readonly table: UsersTableReader;
  /** Paces every Cognito call (ListUsers and AdminGetUser). */
  readonly limiter: RateLimiter;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The settings of a run, the same for every partition. */
export interface ReconcileSettings {
  readonly userPoolId: string;
  /** The deployment's allow-list: the attributes the events carry. */
  readonly attributes: readonly string[];
  readonly columns: ReconcileColumns;
  readonly target: ReconcileTarget;
  /** Report only: publish nothing. */
  readonly dryRun: boolean;
  /** Most deletions a run may publish; a run that finds more stops and deletes nothing. */
  readonly maxDeletes: number;
  /**
   * Users per ListUsers page (Cognito allows 1–60).
   * @default 60
   */
  readonly pageSize?: number;
  /**
   * Live rows per keyset page of the orphan scan.
   * @default 1000
   */
  readonly rowPageSize?: number;
  /**
   * Attempts for repair events PutEvents reports as failed.
   * @default 5
   */
  readonly maxAttempts?: number;
}

/** Where a partition's listing stands: the resumable part of its state. */
export interface PartitionCursor {
  /** Token of the next ListUsers page; `null` before the first page. */
  paginationToken: string | null;
  /** True once the last ListUsers page of the partition was read. */
  listed: boolean;
  /**
   * Subs listed so far in this partition: what the orphan scan compares the live rows with.
   * The only thing reconcile keeps per user, and only for the partition in flight.
   */
  readonly seen: Set<string>;
}

/** Called after each ListUsers page is classified and its repairs published. */
export type OnPage = (cursor: PartitionCursor, pageSubs: readonly string[]) => Promise<void> | void;

/** A fresh cursor. */
export const newCursor = (): PartitionCursor => ({
  paginationToken: null,
  listed: false,
  seen: new Set(),
});

/** The ListUsers filter of a partition: `sub ^= "<prefix>"`, none for the whole pool. */
export const partitionFilter = (prefix: string): string | undefined =>
  prefix === '' ? undefined : `sub ^= "${prefix}"`;

const stampOf = (now: () => Date): string => now().toISOString();

/**
 * Classifies one user against its row and, when it drifted, returns the repair (a `UserUpdated`
 * stating the user's whole state as read at `readAt`). In-step users get nothing: they are never
 * written.
 */
const classify = (
  settings: ReconcileSettings,
  tally: ReconcileTally,
  user: CognitoUserState,
  row: UsersTableRow | undefined,
  readAt: string,
): PutEventsRequestEntry | undefined => {
  if (row === undefined) {
    tally.counts.missing += 1;
    sample(tally, 'missing', user.sub);
  } else if (isTombstone(row, settings.columns)) {
    // Cognito never reuses a sub and a deletion is final: nothing to publish, only to report.
    tally.tombstoned += 1;
    sample(tally, 'tombstoned', user.sub);
    return undefined;
  } else if (isNewerThan(row, settings.columns, readAt)) {
    tally.counts.inStep += 1;
    return undefined;
  } else {
    const differing = differingFields(user, row, settings.columns);
    if (differing.length === 0) {
      tally.counts.inStep += 1;
      return undefined;
    }
    tally.counts.stale += 1;
    sample(tally, 'stale', user.sub);
    for (const field of differing) tally.staleFields[field] = (tally.staleFields[field] ?? 0) + 1;
  }
  return updateEntry(reconcileUpdate(settings.userPoolId, user, readAt), settings.target);
};

/** Publishes repairs (never on a dry run) and counts them. */
const publish = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  tally: ReconcileTally,
  entries: readonly PutEventsRequestEntry[],
): Promise<void> => {
  if (settings.dryRun || entries.length === 0) return;
  const failed = await publishAll(dependencies.eventBridge, entries, settings.maxAttempts ?? 5);
  tally.repaired += entries.length - failed;
  tally.failed += failed;
};

/**
 * Lists one partition of the pool (the users whose sub starts with `prefix`; `''` is the whole
 * pool) page by page under the rate limit, reads each page's rows in one Hasura query,
 * classifies every user and publishes the repairs of the page before reading the next.
 *
 * @returns false when `signal` stopped it between pages (the cursor says where to go on).
 */
export const listPartition = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  prefix: string,
  cursor: PartitionCursor,
  tally: ReconcileTally,
  options: { readonly signal?: AbortSignal; readonly onPage?: OnPage } = {},
): Promise<boolean> => {
  const now = dependencies.now ?? (() => new Date());
  const filter = partitionFilter(prefix);
  // Only what is compared and published: smaller answers, less to parse per user.
  const attributesToGet = ['sub', ...settings.attributes.filter((name) => name !== 'sub')];
  while (!cursor.listed) {
    if (options.signal?.aborted) return false;
    await dependencies.limiter.take();
    tally.cognitoCalls += 1;
    const page = await dependencies.cognito.send(
      new ListUsersCommand({
        UserPoolId: settings.userPoolId,
        Limit: settings.pageSize ?? 60,
        AttributesToGet: attributesToGet,
        ...(filter ? { Filter: filter } : {}),
        ...(cursor.paginationToken ? { PaginationToken: cursor.paginationToken } : {}),
      }),
    );
    const readAt = stampOf(now);
    const users: CognitoUserState[] = [];
    for (const listed of page.Users ?? []) {
      const user = toCognitoUserState(listed, settings.attributes);
      if (user !== undefined) users.push(user);
    }
    const subs = users.map((user) => user.sub);
    const rows = await dependencies.table.rowsBySub(subs);
    const repairs: PutEventsRequestEntry[] = [];
    for (const user of users) {
      const repair = classify(settings, tally, user, rows.get(user.sub), readAt);
      if (repair) repairs.push(repair);
    }
    await publish(dependencies, settings, tally, repairs);
    for (const sub of subs) cursor.seen.add(sub);
    tally.pages += 1;
    cursor.paginationToken = page.PaginationToken || null;
    cursor.listed = cursor.paginationToken === null;
    await options.onPage?.(cursor, subs);
  }
  return true;
};

/** What AdminGetUser (or, for a row without a username, ListUsers by sub) says of a row. */
type Confirmation =
  | { readonly kind: 'gone' }
  | { readonly kind: 'exists'; readonly user: CognitoUserState; readonly readAt: string };

const isUserNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'UserNotFoundException';

/**
 * Asks Cognito whether a live row's user exists. AdminGetUser takes the username (the row's);
 * a user found under that username with another sub is a new user who took a deleted user's
 * name: the row's user is still gone. A row without a username is looked up by `sub = "…"`.
 */
const confirm = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  tally: ReconcileTally,
  row: LiveRowKey,
): Promise<Confirmation> => {
  const now = dependencies.now ?? (() => new Date());
  await dependencies.limiter.take();
  tally.cognitoCalls += 1;
  let user: CognitoUserState | undefined;
  if (row.username === null) {
    const found = await dependencies.cognito.send(
      new ListUsersCommand({
        UserPoolId: settings.userPoolId,
        Filter: `sub = "${row.sub}"`,
        Limit: 1,
      }),
    );
    const listed = found.Users?.[0];
    user = listed ? toCognitoUserState(listed, settings.attributes) : undefined;
  } else {
    try {
      const read = await dependencies.cognito.send(
        new AdminGetUserCommand({ UserPoolId: settings.userPoolId, Username: row.username }),
      );
      user = toCognitoUserState(read, settings.attributes);
    } catch (error) {
      if (!isUserNotFound(error)) throw error;
    }
  }
  return user !== undefined && user.sub === row.sub
    ? { kind: 'exists', user, readAt: stampOf(now) }
    : { kind: 'gone' };
};

/**
 * The orphan scan of a partition, after its listing: keyset pages of the live rows whose sub
 * starts with `prefix`; a row whose sub the listing did not return is confirmed with Cognito.
 * A confirmed orphan is counted and held (up to `maxDeletes + 1`) for the end of the run; a
 * user that exists after all (created while the listing ran) is classified like a listed one.
 *
 * @returns false when it stopped early: on `signal`, or on a real run once more orphans than
 *   `maxDeletes` are confirmed (the run must not delete anything then).
 */
export const scanOrphans = async (
  dependencies: ReconcileDependencies,
  settings: ReconcileSettings,
  prefix: string,
  seen: ReadonlySet<string>,
  tally: ReconcileTally,
  options: { readonly signal?: AbortSignal } = {},
): Promise<boolean> => {
  const pageSize = settings.rowPageSize ?? 1000;
  let after = '';
  for (;;) {
    if (options.signal?.aborted) return false;
    const rows = await dependencies.table.liveRowsPage(prefix, after, pageSize);
    const repairs: PutEventsRequestEntry[] = [];
    for (const row of rows) {
      if (seen.has(row.sub)) continue;
      const confirmation = await confirm(dependencies, settings, tally, row);
      if (confirmation.kind === 'exists') {
        const full = await dependencies.table.rowsBySub([row.sub]);
        const repair = classify(
          settings,
          tally,
          confirmation.user,
          full.get(row.sub),
          confirmation.readAt,
        );
        if (repair) repairs.push(repair);
        continue;
      }
      tally.counts.orphaned += 1;
      sample(tally, 'orphaned', row.sub);
      if (tally.orphans.length <= settings.maxDeletes) tally.orphans.push(row);
      if (!settings.dryRun && tally.counts.orphaned > settings.maxDeletes) {
        await publish(dependencies, settings, tally, repairs);
        return false;
      }
    }
    await publish(dependencies, settings, tally, repairs);
    const last = rows.at(-1);
    if (rows.length < pageSize || last === undefined) return true;
    after = last.sub;
  }
};
