import { randomUUID } from 'node:crypto';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  paginateListUserPoolClients,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { PostConfirmationHandler } from '../services/post-confirmation/postConfirmation.js';
import type { pipeline } from '../shared/pipeline.js';
import { putCloudTrailEvent } from './cloudTrailEvents.js';

/** Name of the app client the local admin signs users up through. */
export const LOCAL_APP_CLIENT_NAME = 'cognito-hasura-sync-local';

/** A user of the local pool, as the admin helper knows it. */
export interface LocalUser {
  readonly username: string;
  readonly sub: string;
}

/** What the admin helper works with. */
export interface LocalUserAdminOptions {
  /** Client of moto's Cognito. */
  readonly cognito: CognitoIdentityProviderClient;
  /** Client of moto's EventBridge: the CloudTrail events go to its default bus. */
  readonly eventBridge: EventBridgeClient;
  /** The local user pool. */
  readonly userPoolId: string;
  readonly region: string;
  /**
   * The REAL post-confirmation trigger, which moto does not run: the helper invokes it in
   * process after a confirmed sign-up, as Cognito would.
   */
  readonly postConfirmation: PostConfirmationHandler;
}

/** The local stack's stand-in for an administrator (and for Cognito's own side effects). */
export interface LocalUserAdmin {
  /** The user's sub, read with `AdminGetUser`; no event. */
  get(username: string): Promise<LocalUser>;
  /** `SignUp` through the local app client: the user is UNCONFIRMED (no event yet). */
  signUp(username: string, email: string): Promise<LocalUser>;
  /**
   * `AdminConfirmSignUp`, then what Cognito does around it: the post-confirmation trigger
   * (`PostConfirmation_ConfirmSignUp`, in process) and CloudTrail's `AdminConfirmSignUp` event.
   */
  confirmSignUp(username: string): Promise<LocalUser>;
  /** `AdminCreateUser` (no invitation message) and its CloudTrail event; no trigger fires. */
  createUser(username: string, email: string): Promise<LocalUser>;
  /** `AdminUpdateUserAttributes` of `email` (verified) and its CloudTrail event. */
  updateEmail(username: string, email: string): Promise<LocalUser>;
  /** `AdminDisableUser` and its CloudTrail event. */
  disable(username: string): Promise<LocalUser>;
  /** `AdminEnableUser` and its CloudTrail event. */
  enable(username: string): Promise<LocalUser>;
  /** `AdminDeleteUser` and its CloudTrail event (the sub is read first: it is gone after). */
  delete(username: string): Promise<LocalUser>;
}

type AdminEventName = (typeof pipeline.lifecycle.eventNames)[number];

/** A password that satisfies the default policy of a moto (and Cognito) pool. */
const localPassword = (): string => `Local-${randomUUID()}-Aa1!`;

/**
 * The local admin helper: changes users in moto's Cognito with the product's API calls and,
 * since moto has neither CloudTrail nor triggers, also does what AWS would around each call: it
 * puts the call's CloudTrail-shaped event (username and attributes hidden) on moto's default bus,
 * and runs the post-confirmation trigger after a confirmed sign-up.
 *
 * @example
 * const admin = createLocalUserAdmin({ cognito, eventBridge, userPoolId, region, postConfirmation });
 * await admin.signUp('ada', 'ada@example.com');
 * await admin.confirmSignUp('ada'); // UserSignedUp on the product bus, then a UserUpdated
 */
export const createLocalUserAdmin = (options: LocalUserAdminOptions): LocalUserAdmin => {
  const { cognito, eventBridge, userPoolId, region } = options;
  let clientId: Promise<string> | undefined;

  const appClientId = (): Promise<string> => {
    clientId ??= (async () => {
      for await (const page of paginateListUserPoolClients(
        { client: cognito },
        { UserPoolId: userPoolId, MaxResults: 60 },
      )) {
        const found = page.UserPoolClients?.find(
          (client) => client.ClientName === LOCAL_APP_CLIENT_NAME,
        )?.ClientId;
        if (found !== undefined) return found;
      }
      const { UserPoolClient: created } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: LOCAL_APP_CLIENT_NAME,
        }),
      );
      if (created?.ClientId === undefined) throw new Error('CreateUserPoolClient returned no id');
      return created.ClientId;
    })();
    return clientId;
  };

  const read = async (username: string) => {
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
    const attributes: Record<string, string> = {};
    for (const { Name, Value } of user.UserAttributes ?? []) {
      if (Name !== undefined && Value !== undefined) attributes[Name] = Value;
    }
    const sub = attributes.sub;
    if (sub === undefined) throw new Error(`moto returned user ${username} without a sub`);
    return { username, sub, attributes, status: user.UserStatus ?? 'CONFIRMED' };
  };

  const report = async (eventName: AdminEventName, user: LocalUser): Promise<LocalUser> => {
    await putCloudTrailEvent(eventBridge, { eventName, userPoolId, sub: user.sub, region });
    return { username: user.username, sub: user.sub };
  };

  const adminCall = async (
    eventName: AdminEventName,
    username: string,
    call: () => Promise<unknown>,
  ): Promise<LocalUser> => {
    await call();
    return report(eventName, await read(username));
  };

  return {
    async get(username) {
      const { sub } = await read(username);
      return { username, sub };
    },

    async signUp(username, email) {
      const { UserSub: sub } = await cognito.send(
        new SignUpCommand({
          ClientId: await appClientId(),
          Username: username,
          Password: localPassword(),
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      if (sub === undefined) throw new Error(`SignUp of ${username} returned no UserSub`);
      return { username, sub };
    },

    async confirmSignUp(username) {
      await cognito.send(
        new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }),
      );
      const user = await read(username);
      const trigger: PostConfirmationTriggerEvent = {
        version: '1',
        region,
        userPoolId,
        userName: username,
        callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        request: { userAttributes: { ...user.attributes, 'cognito:user_status': user.status } },
        response: {},
      };
      // Cognito runs the trigger inside the call, before CloudTrail records it.
      await options.postConfirmation(trigger, { awsRequestId: randomUUID() });
      return report('AdminConfirmSignUp', user);
    },

    async createUser(username, email) {
      const { User: created } = await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      const sub = created?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (sub === undefined) throw new Error(`AdminCreateUser of ${username} returned no sub`);
      return report('AdminCreateUser', { username, sub });
    },

    updateEmail: (username, email) =>
      adminCall('AdminUpdateUserAttributes', username, () =>
        cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: userPoolId,
            Username: username,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        ),
      ),

    disable: (username) =>
      adminCall('AdminDisableUser', username, () =>
        cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username })),
      ),

    enable: (username) =>
      adminCall('AdminEnableUser', username, () =>
        cognito.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username })),
      ),

    async delete(username) {
      const user = await read(username);
      await cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }),
      );
      return report('AdminDeleteUser', user);
    },
  };
};
