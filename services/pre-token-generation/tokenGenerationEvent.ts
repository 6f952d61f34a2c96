import { CognitoTriggerBaseSchema } from '@aws-lambda-powertools/parser/schemas/cognito';
import { z } from 'zod';

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
const stringArray = z.array(z.string()).nullish();
const claimsMap = z.record(z.string(), z.unknown()).nullish();

const tokenGenerationSchema = z.looseObject({
  claimsToAddOrOverride: claimsMap,
  claimsToSuppress: stringArray,
});

/**
 * The group configuration Cognito puts in the request. `groupsToOverride` holds the user's
 * groups, i.e. what Cognito writes into the `cognito:groups` claim.
 */
export const GroupConfigurationSchema = z.looseObject({
  groupsToOverride: stringArray,
  iamRolesToOverride: stringArray,
  preferredRole: z.string().nullish(),
});

/** `response.claimsOverrideDetails` of a V1 event (what the handler may set). */
export const ClaimsOverrideDetailsSchema = z.looseObject({
  claimsToAddOrOverride: claimsMap,
  claimsToSuppress: stringArray,
  groupOverrideDetails: GroupConfigurationSchema.nullish(),
});

/** `response.claimsAndScopeOverrideDetails` of a V2/V3 event (what the handler may set). */
export const ClaimsAndScopeOverrideDetailsSchema = z.looseObject({
  idTokenGeneration: tokenGenerationSchema.nullish(),
  accessTokenGeneration: tokenGenerationSchema
    .extend({ scopesToAdd: stringArray, scopesToSuppress: stringArray })
    .nullish(),
  groupOverrideDetails: GroupConfigurationSchema.nullish(),
});

/**
 * A Cognito pre token generation event of any version (1, 2 or 3), as far as this trigger
 * reads it. Extends Powertools' {@link CognitoTriggerBaseSchema}; lenient where Cognito
 * varies (nulls, absent groups) and loose so unknown fields survive the round trip.
 * Attribute values are `unknown` here: only `sub` and trusted attributes are read, and
 * they are checked where they are used.
 */
export const TokenGenerationEventSchema = CognitoTriggerBaseSchema.extend({
  triggerSource: z.string().startsWith(TOKEN_GENERATION_PREFIX),
  request: z.looseObject({
    // Absent in V3 machine-to-machine events.
    userAttributes: z.record(z.string(), z.unknown()).optional(),
    groupConfiguration: GroupConfigurationSchema.nullish(),
    scopes: stringArray,
    clientMetadata: z.record(z.string(), z.unknown()).nullish(),
  }),
  response: z
    .looseObject({
      claimsOverrideDetails: ClaimsOverrideDetailsSchema.nullish(),
      claimsAndScopeOverrideDetails: ClaimsAndScopeOverrideDetailsSchema.nullish(),
    })
    .nullish(),
}).loose();

/** A parsed pre token generation event. */
export type TokenGenerationEvent = z.infer<typeof TokenGenerationEventSchema>;

/** `response.claimsOverrideDetails` of a V1 event. */
export type ClaimsOverrideDetails = z.infer<typeof ClaimsOverrideDetailsSchema>;

/** `response.claimsAndScopeOverrideDetails` of a V2/V3 event. */
export type ClaimsAndScopeOverrideDetails = z.infer<typeof ClaimsAndScopeOverrideDetailsSchema>;
