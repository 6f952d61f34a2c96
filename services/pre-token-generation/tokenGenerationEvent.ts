import * as z from 'zod/mini';

/**
 * The trigger sources of a Cognito pre token generation event. Every one of them, except
 * the machine-to-machine `TokenGeneration_ClientCredentials` (V3 only, no user), gets
 * Hasura claims.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const TokenGenerationTriggerSource = {
  /** Sign-in through the managed login (hosted UI). */
  HostedAuth: 'TokenGeneration_HostedAuth',
  /** Sign-in through the user pool API (InitiateAuth, …). */
  Authentication: 'TokenGeneration_Authentication',
  /** Sign-in that completed a new-password challenge. */
  NewPasswordChallenge: 'TokenGeneration_NewPasswordChallenge',
  /** Sign-in that authenticated a remembered device. */
  AuthenticateDevice: 'TokenGeneration_AuthenticateDevice',
  /** New id and access tokens from a refresh token. */
  RefreshTokens: 'TokenGeneration_RefreshTokens',
  /** Machine-to-machine client-credentials grant (V3 events only): no user, no `sub`. */
  ClientCredentials: 'TokenGeneration_ClientCredentials',
} as const;

/** Prefix shared by every pre token generation trigger source. */
export const TOKEN_GENERATION_PREFIX = 'TokenGeneration_';

// Cognito sends `null` for "nothing to override"; a missing key means the same.
const stringArray = z.nullish(z.array(z.string()));
const claimsMap = z.nullish(z.record(z.string(), z.unknown()));

const tokenGenerationShape = {
  claimsToAddOrOverride: claimsMap,
  claimsToSuppress: stringArray,
};

/**
 * The group configuration Cognito puts in the request. `groupsToOverride` holds the user's
 * groups, i.e. what Cognito writes into the `cognito:groups` claim.
 */
export const GroupConfigurationSchema = z.looseObject({
  groupsToOverride: stringArray,
  iamRolesToOverride: stringArray,
  preferredRole: z.nullish(z.string()),
});

/** `response.claimsOverrideDetails` of a V1 event (what the handler may set). */
export const ClaimsOverrideDetailsSchema = z.looseObject({
  ...tokenGenerationShape,
  groupOverrideDetails: z.nullish(GroupConfigurationSchema),
});

/** `response.claimsAndScopeOverrideDetails` of a V2/V3 event (what the handler may set). */
export const ClaimsAndScopeOverrideDetailsSchema = z.looseObject({
  idTokenGeneration: z.nullish(z.looseObject(tokenGenerationShape)),
  accessTokenGeneration: z.nullish(
    z.looseObject({
      ...tokenGenerationShape,
      scopesToAdd: stringArray,
      scopesToSuppress: stringArray,
    }),
  ),
  groupOverrideDetails: z.nullish(GroupConfigurationSchema),
});

/**
 * A Cognito pre token generation event of any version (1, 2 or 3), as far as this trigger
 * reads it: the fields common to every Cognito trigger (as Powertools' `CognitoTriggerBaseSchema`
 * has them) and the pre token generation request and response. Lenient where Cognito varies
 * (nulls, absent groups) and loose so unknown fields survive the round trip. Attribute values
 * are `unknown` here: only `sub` and trusted attributes are read, and they are checked where
 * they are used. Written with `zod/mini` (about 15 KiB bundled, where the full `zod` export and
 * Powertools' parser schemas bundle to about 450 KiB): this trigger runs on every sign-in and
 * token refresh, so its import is sign-in latency.
 */
export const TokenGenerationEventSchema = z.looseObject({
  version: z.string(),
  triggerSource: z.string().check(z.startsWith(TOKEN_GENERATION_PREFIX)),
  region: z.string(),
  userPoolId: z.string(),
  userName: z.optional(z.string()),
  callerContext: z.object({
    awsSdkVersion: z.string(),
    clientId: z.string(),
  }),
  request: z.looseObject({
    // Absent in V3 machine-to-machine events.
    userAttributes: z.optional(z.record(z.string(), z.unknown())),
    groupConfiguration: z.nullish(GroupConfigurationSchema),
    scopes: stringArray,
    clientMetadata: z.nullish(z.record(z.string(), z.unknown())),
  }),
  response: z.nullish(
    z.looseObject({
      claimsOverrideDetails: z.nullish(ClaimsOverrideDetailsSchema),
      claimsAndScopeOverrideDetails: z.nullish(ClaimsAndScopeOverrideDetailsSchema),
    }),
  ),
});

/** A parsed pre token generation event. */
export type TokenGenerationEvent = z.infer<typeof TokenGenerationEventSchema>;

/** `response.claimsOverrideDetails` of a V1 event. */
export type ClaimsOverrideDetails = z.infer<typeof ClaimsOverrideDetailsSchema>;

/** `response.claimsAndScopeOverrideDetails` of a V2/V3 event. */
export type ClaimsAndScopeOverrideDetails = z.infer<typeof ClaimsAndScopeOverrideDetailsSchema>;
