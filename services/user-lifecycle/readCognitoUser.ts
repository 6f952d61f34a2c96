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
  | { readonly found: false };

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
    return { found: false };
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

/**
 * Reads a user's current state in Cognito: `ListUsers` filtered on `sub` when the hint has the
 * sub (AdminGetUser takes no sub), else `AdminGetUser` by username. Only reads: the consumer
 * never writes to Cognito, so it cannot cause the CloudTrail events it consumes.
 *
 * @returns `{ found: false }` when the pool has no such user (deleted).
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
  if (user.by === 'sub') {
    const output = await cognito.send(
      new ListUsersCommand({
        UserPoolId: userPoolId,
        // The sub is checked against [\w-]+ when the hint is parsed: it cannot break the quotes.
        Filter: `sub = "${user.sub}"`,
        Limit: 1,
      }),
    );
    const found = output.Users?.[0];
    if (found === undefined) return { found: false };
    const read = stateOf(found.Username, found.Attributes, found.Enabled, found.UserStatus);
    // ListUsers filters `sub =` exactly; a different sub back would be a bug worth refusing.
    return read.found && read.user.sub !== user.sub ? { found: false } : read;
  }
  try {
    const output = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.username }),
    );
    return stateOf(output.Username, output.UserAttributes, output.Enabled, output.UserStatus);
  } catch (error) {
    if (isUserNotFound(error)) return { found: false };
    throw error;
  }
};
