import {
  AdminGetUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { HintedUser } from './cloudTrailHint.js';

/** Cognito's `UserStatus` when an answer leaves it out (the contract requires a status). */
export const UNKNOWN_USER_STATUS = 'UNKNOWN';

/** A user as Cognito holds it now: every attribute (the caller picks the allow-listed ones). */
export interface CognitoUserState {
  readonly sub: string;
  readonly username: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly status: string;
}

/** What a read found. */
export type UserRead =
  | { readonly found: true; readonly user: CognitoUserState }
  | {
      readonly found: false;
      /**
       * `true`: AdminGetUser (strongly consistent) said there is no such user. `false`: only
       * ListUsers found no user with the sub, and ListUsers is eventually consistent.
       */
      readonly confirmed: boolean;
    };

const attributeMap = (attributes: readonly AttributeType[] | undefined): Record<string, string> => {
  const map: Record<string, string> = {};
  for (const { Name, Value } of attributes ?? []) {
    if (Name !== undefined && Value !== undefined) map[Name] = Value;
  }
  return map;
};

const stateOf = (
  username: string | undefined,
  attributes: readonly AttributeType[] | undefined,
  enabled: boolean | undefined,
  status: string | undefined,
): UserRead => {
  const map = attributeMap(attributes);
  const sub = map.sub;
  if (username === undefined || username === '' || sub === undefined || sub === '') {
    throw new Error('Cognito answered a user without a username or a sub');
  }
  return {
    found: true,
    user: {
      sub,
      username,
      attributes: map,
      // Cognito always answers Enabled; a user it does not say is disabled may sign in.
      enabled: enabled ?? true,
      status: status === undefined || status === '' ? UNKNOWN_USER_STATUS : status,
    },
  };
};

const isUserNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'UserNotFoundException';

const adminGetUser = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<UserRead> => {
  try {
    const output = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
    return stateOf(output.Username, output.UserAttributes, output.Enabled, output.UserStatus);
  } catch (error) {
    if (isUserNotFound(error)) return { found: false, confirmed: true };
    throw error;
  }
};

/**
 * Reads a user's current state in Cognito. By sub: `ListUsers` filtered on `sub` finds the
 * username (AdminGetUser takes no sub), then `AdminGetUser` reads the state, because ListUsers is
 * eventually consistent and AdminGetUser is what AWS says validates a user's existence and
 * configuration. By username: `AdminGetUser` alone. Only reads: the consumer never writes to
 * Cognito, so it cannot cause the CloudTrail events it consumes.
 *
 * @returns the state, or `found: false` with `confirmed` saying whether AdminGetUser confirmed
 *   the absence (`true`) or only ListUsers found nothing (`false`).
 * @throws the SDK's error for any other failure (throttling, access denied, network): the
 *   caller fails the hint back to SQS.
 *
 * @example
 * const read = await readCognitoUser(cognito, 'eu-west-1_AbCdEf123', { by: 'sub', sub, username: null });
 */
export const readCognitoUser = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  user: HintedUser,
): Promise<UserRead> => {
  if (user.by === 'username') return adminGetUser(cognito, userPoolId, user.username);
  const output = await cognito.send(
    new ListUsersCommand({
      UserPoolId: userPoolId,
      // The sub is checked against [\w-]+ when the hint is parsed: it cannot break the quotes.
      Filter: `sub = "${user.sub}"`,
      Limit: 1,
    }),
  );
  const username = output.Users?.[0]?.Username;
  if (username === undefined || username === '') return { found: false, confirmed: false };
  const read = await adminGetUser(cognito, userPoolId, username);
  // A username taken again by a new user (another sub) after a deletion: the hinted user is gone.
  return read.found && read.user.sub !== user.sub ? { found: false, confirmed: true } : read;
};
