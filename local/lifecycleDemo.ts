import { type SimulatedUser, simulatedUser } from '../cli/simulateLogins.js';
import { describeError } from '../shared/errors.js';
import type { HasuraTarget } from './hasuraTarget.js';
import type { LocalUser, LocalUserAdmin } from './localUserAdmin.js';

/** Users who sign up and confirm in `npm start` but never sign in. */
export const NEVER_SIGNED_IN = 3;

/** What the lifecycle demo of `npm start` did, to look for in Hasura. */
export interface LifecycleDemo {
  /** Signed up and confirmed (post-confirmation: `UserSignedUp`), never signed in. */
  readonly neverSignedIn: readonly LocalUser[];
  /** Email changed with AdminUpdateUserAttributes (CloudTrail → user-lifecycle → `UserUpdated`). */
  readonly emailChanged?: LocalUser & { readonly email: string };
  /** Disabled with AdminDisableUser (→ `UserUpdated`, `enabled: false`). */
  readonly disabled?: LocalUser;
  /** Deleted with AdminDeleteUser (→ `UserDeleted`). */
  readonly deleted?: LocalUser;
}

/** How far the demo's changes reached the users table. */
export interface LifecycleDemoStatus {
  /** Never-signed-in users with a row (and no sign-in on it). */
  readonly neverSignedIn: number;
  readonly emailChanged: boolean;
  readonly disabled: boolean;
  readonly deleted: boolean;
  /** Why the table could not be read (e.g. no lifecycle columns before the migration). */
  readonly error?: string;
}

const isUsernameTaken = (error: unknown): boolean =>
  error instanceof Error && error.name === 'UsernameExistsException';

/** Signs a user up and confirms them, or finds them when a previous run did (same moto). */
const ensureConfirmed = async (
  admin: LocalUserAdmin,
  username: string,
  email: string,
): Promise<LocalUser> => {
  try {
    await admin.signUp(username, email);
  } catch (error) {
    if (isUsernameTaken(error)) return admin.get(username);
    throw error;
  }
  return admin.confirmSignUp(username);
};

/**
 * Makes the simulated users real users of the local pool: each signs up and confirms (moto gives
 * the sub; the post-confirmation trigger publishes `UserSignedUp`), `concurrency` at a time.
 *
 * @returns the users, with moto's subs, in index order.
 */
export const registerSimulatedUsers = async (
  admin: LocalUserAdmin,
  count: number,
  options: { readonly concurrency: number; readonly onProgress?: (done: number) => void },
): Promise<SimulatedUser[]> => {
  const users: SimulatedUser[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      const template = simulatedUser(index);
      const { sub } = await ensureConfirmed(admin, template.username, template.email);
      users[index] = { ...template, sub };
      done += 1;
      options.onProgress?.(done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker),
  );
  return users;
};

/**
 * The lifecycle demo of `npm start`, after the sign-ins: users who sign up and never sign in, an
 * email change, a disable and a deletion of signed-in users, each made with the product's API
 * calls in moto while the local stack plays CloudTrail.
 *
 * @param population - the signed-in users; the first three are changed when there are three.
 */
export const runLifecycleDemo = async (
  admin: LocalUserAdmin,
  population: readonly SimulatedUser[],
): Promise<LifecycleDemo> => {
  const neverSignedIn: LocalUser[] = [];
  for (let n = 1; n <= NEVER_SIGNED_IN; n += 1) {
    const username = `never-${String(n).padStart(5, '0')}`;
    neverSignedIn.push(await ensureConfirmed(admin, username, `${username}@example.com`));
  }
  const [first, second, third] = population;
  let emailChanged: LifecycleDemo['emailChanged'];
  if (first !== undefined) {
    const email = `${first.username}.changed@example.com`;
    emailChanged = { ...(await admin.updateEmail(first.username, email)), email };
  }
  const disabled = second === undefined ? undefined : await admin.disable(second.username);
  const deleted = third === undefined ? undefined : await admin.delete(third.username);
  return {
    neverSignedIn,
    ...(emailChanged === undefined ? {} : { emailChanged }),
    ...(disabled === undefined ? {} : { disabled }),
    ...(deleted === undefined ? {} : { deleted }),
  };
};

interface LifecycleRow {
  readonly id: string;
  readonly email: string | null;
  readonly enabled: boolean | null;
  readonly last_seen_at: string | null;
  readonly deleted_at: string | null;
}

/**
 * Reads the demo's users from the users table (through GraphQL, admin secret) and says which
 * changes reached it. A deleted user counts as reached with a tombstone (`deleted_at` set,
 * `SYNC_DELETE_MODE=soft`) or without a row (`hard`).
 */
export const checkLifecycleDemo = async (
  target: Pick<HasuraTarget, 'graphqlUrl' | 'adminSecret'>,
  demo: LifecycleDemo,
): Promise<LifecycleDemoStatus> => {
  const ids = [
    ...demo.neverSignedIn.map((user) => user.sub),
    ...[demo.emailChanged, demo.disabled, demo.deleted].flatMap((user) =>
      user === undefined ? [] : [user.sub],
    ),
  ];
  let rows: Map<string, LifecycleRow>;
  try {
    const response = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': target.adminSecret },
      body: JSON.stringify({
        query:
          'query LifecycleDemo($ids: [String!]) { users(where: { id: { _in: $ids } }) { id email enabled last_seen_at deleted_at } }',
        variables: { ids },
      }),
    });
    const body = (await response.json()) as {
      data?: { users?: LifecycleRow[] };
      errors?: { message: string }[];
    };
    if (body.data?.users === undefined) {
      throw new Error(body.errors?.[0]?.message ?? response.statusText);
    }
    rows = new Map(body.data.users.map((row) => [row.id, row]));
  } catch (error) {
    return {
      neverSignedIn: 0,
      emailChanged: false,
      disabled: false,
      deleted: false,
      error: describeError(error),
    };
  }
  const row = (user: LocalUser | undefined) =>
    user === undefined ? undefined : rows.get(user.sub);
  return {
    neverSignedIn: demo.neverSignedIn.filter((user) => {
      const found = rows.get(user.sub);
      return found !== undefined && found.deleted_at === null && found.last_seen_at === null;
    }).length,
    emailChanged:
      demo.emailChanged !== undefined && row(demo.emailChanged)?.email === demo.emailChanged.email,
    disabled: demo.disabled !== undefined && row(demo.disabled)?.enabled === false,
    deleted:
      demo.deleted !== undefined &&
      (row(demo.deleted) === undefined || row(demo.deleted)?.deleted_at !== null),
  };
};

/** Whether every change of the demo reached the users table. */
export const lifecycleDemoComplete = (demo: LifecycleDemo, status: LifecycleDemoStatus): boolean =>
  status.neverSignedIn === demo.neverSignedIn.length &&
  status.emailChanged === (demo.emailChanged !== undefined) &&
  status.disabled === (demo.disabled !== undefined) &&
  status.deleted === (demo.deleted !== undefined);
