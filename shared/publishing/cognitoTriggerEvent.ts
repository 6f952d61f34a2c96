import * as z from 'zod/mini';

/**
 * The user attributes Cognito sends a trigger: every value a string, `sub` present and not
 * empty (a usable event names its user).
 */
const userAttributes = z.catchall(z.object({ sub: z.string().check(z.minLength(1)) }), z.string());

/**
 * The Cognito trigger event fields the publishing triggers rely on, as documented for
 * post-authentication and post-confirmation: `version`, `triggerSource`, `region`,
 * `userPoolId`, `userName`, `callerContext`, `request.userAttributes` (with `clientMetadata` and,
 * for logins, `newDeviceUsed`), `response`. Unknown fields pass through (Cognito adds some).
 * Written with `zod/mini` rather than Powertools' parser schemas, which import the full `zod`
 * (~450 KB, ~27 ms of a cold start on the sign-in path).
 *
 * @param triggerSources - the trigger sources the event may carry.
 * @example
 * const PostAuthenticationEventSchema = cognitoTriggerEventSchema(['PostAuthentication_Authentication']);
 */
export const cognitoTriggerEventSchema = <const T extends readonly [string, ...string[]]>(
  triggerSources: T,
) =>
  z.looseObject({
    version: z.string(),
    triggerSource: z.enum(triggerSources),
    region: z.string(),
    userPoolId: z.string().check(z.minLength(1)),
    userName: z.string().check(z.minLength(1)),
    callerContext: z.looseObject({
      awsSdkVersion: z.optional(z.string()),
      clientId: z.optional(z.string()),
    }),
    request: z.looseObject({
      userAttributes,
      clientMetadata: z.optional(z.record(z.string(), z.string())),
      newDeviceUsed: z.optional(z.boolean()),
    }),
    response: z.optional(z.looseObject({})),
  });
