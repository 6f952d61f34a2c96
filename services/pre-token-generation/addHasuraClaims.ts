import { readsAsAdminRole } from './adminRole.js';
import type { PreTokenGenerationConfig, TokenKind } from './config.js';
import {
  claimsOf,
  formatHasuraClaims,
  type HasuraClaims,
  type RefusedRole,
  resolveRoles,
} from './hasuraClaims.js';
import {
  type ClaimsAndScopeOverrideDetails,
  type ClaimsOverrideDetails,
  type TokenGenerationEvent,
  TokenGenerationEventSchema,
  TokenGenerationTriggerSource,
} from './tokenGenerationEvent.js';

/** Why an event got no Hasura claims. */
export type ClaimsSkipReason =
  /** Not a pre token generation event, or not the shape Cognito documents. */
  | 'malformed-event'
  /** A `version` other than 1, 2 or 3. */
  | 'unsupported-version'
  /** No usable `sub` in `request.userAttributes`. */
  | 'missing-sub'
  /** A V3 client-credentials (machine-to-machine) token: there is no user to describe. */
  | 'machine-to-machine'
  /**
   * The default role reads as `admin`, so every token would be a superuser's. Only a config
   * built without `loadPreTokenGenerationConfig` (which refuses it) gets here.
   */
  | 'admin-default-role';

/** The result of {@link addHasuraClaims}. */
export type ClaimsOutcome =
  | {
      readonly status: 'added';
      /** The event to return to Cognito, response filled in. */
      readonly event: Record<string, unknown>;
      readonly claims: HasuraClaims;
      /** The tokens that carry the claims. */
      readonly tokens: readonly TokenKind[];
      /** The event version that decided the response shape. */
      readonly version: '1' | '2';
      /**
       * Roles that read as Hasura's superuser `admin` without an admin group behind them,
       * left out of the claims; empty in the normal case.
       */
      readonly refusedRoles: readonly RefusedRole[];
    }
  | {
      readonly status: 'skipped';
      /** The event exactly as received: Cognito issues the token without Hasura claims. */
      readonly event: unknown;
      readonly reason: ClaimsSkipReason;
      /** Safe-to-log context (never attribute values). */
      readonly detail: string;
    };

const skipped = (event: unknown, reason: ClaimsSkipReason, detail: string): ClaimsOutcome => ({
  status: 'skipped',
  event,
  reason,
  detail,
});

const withClaim = (
  existing: Readonly<Record<string, unknown>> | null | undefined,
  namespace: string,
  value: unknown,
): Record<string, unknown> => ({ ...existing, [namespace]: value });

/** The V1 response: the claim goes into the id token (the only token V1 can change). */
const v1Response = (
  prior: ClaimsOverrideDetails | null | undefined,
  namespace: string,
  value: string,
): ClaimsOverrideDetails => ({
  ...prior,
  claimsToAddOrOverride: withClaim(prior?.claimsToAddOrOverride, namespace, value),
});

/** The V2/V3 response: the claim goes into each configured token. */
const v2Response = (
  prior: ClaimsAndScopeOverrideDetails | null | undefined,
  namespace: string,
  value: unknown,
  tokens: readonly TokenKind[],
): ClaimsAndScopeOverrideDetails => {
  const details: ClaimsAndScopeOverrideDetails = { ...prior };
  if (tokens.includes('id')) {
    const id = prior?.idTokenGeneration;
    details.idTokenGeneration = {
      ...id,
      claimsToAddOrOverride: withClaim(id?.claimsToAddOrOverride, namespace, value),
    };
  }
  if (tokens.includes('access')) {
    const access = prior?.accessTokenGeneration;
    details.accessTokenGeneration = {
      ...access,
      claimsToAddOrOverride: withClaim(access?.claimsToAddOrOverride, namespace, value),
    };
  }
  return details;
};

/** V1 events get the V1 response; V2 and V3 share one response shape. */
const responseShapeOf = (version: string): '1' | '2' | undefined => {
  if (version === '1') return '1';
  if (version === '2' || version === '3') return '2';
  return undefined;
};

const subOf = (event: TokenGenerationEvent): string | undefined => {
  const sub = event.request.userAttributes?.sub;
  return typeof sub === 'string' && sub.trim() !== '' ? sub : undefined;
};

/**
 * Adds Hasura claims to a Cognito pre token generation event: the pure core of the trigger.
 * No I/O, no clock, never throws for bad input: an event it cannot handle comes back
 * unchanged with the reason, so the token is issued without Hasura claims and fails closed
 * at Hasura.
 *
 * - V1 (`version` "1"): `response.claimsOverrideDetails.claimsToAddOrOverride[namespace]` =
 *   the claims as a JSON string (Hasura `claims_format: stringified_json`).
 * - V2/V3: `response.claimsAndScopeOverrideDetails.{idTokenGeneration,accessTokenGeneration}
 *   .claimsToAddOrOverride[namespace]` = the claims object (`claims_format: json`) or its
 *   JSON string, as configured.
 *
 * Existing overrides in the response are kept; only the namespace claim is set.
 *
 * Hasura's superuser role `admin` is granted only to members of `config.adminGroups`; any
 * other source of a role that reads as `admin` (an unmapped group, a trusted attribute) is
 * left out and listed in `refusedRoles`, and a default role that reads as `admin` gives no
 * claims at all (`admin-default-role`).
 *
 * @example
 * const outcome = addHasuraClaims(event, config);
 * return outcome.event;
 */
export const addHasuraClaims = (
  event: unknown,
  config: PreTokenGenerationConfig,
): ClaimsOutcome => {
  const parsed = TokenGenerationEventSchema.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)');
    const listed = [...new Set(fields)].slice(0, 5).join(', ').slice(0, 300);
    return skipped(event, 'malformed-event', `invalid fields: ${listed}`);
  }
  const data = parsed.data;
  const version = responseShapeOf(data.version);
  if (version === undefined) {
    return skipped(event, 'unsupported-version', `version "${data.version.slice(0, 16)}"`);
  }
  if (data.triggerSource === TokenGenerationTriggerSource.ClientCredentials) {
    return skipped(event, 'machine-to-machine', `trigger source ${data.triggerSource}`);
  }
  const sub = subOf(data);
  if (sub === undefined) {
    return skipped(event, 'missing-sub', `trigger source ${data.triggerSource}`);
  }

  if (readsAsAdminRole(config.defaultRole)) {
    return skipped(event, 'admin-default-role', 'HASURA_DEFAULT_ROLE reads as admin');
  }

  const roles = resolveRoles(
    {
      sub,
      groups: data.request.groupConfiguration?.groupsToOverride ?? [],
      userAttributes: data.request.userAttributes ?? {},
    },
    config,
  );
  const claims = claimsOf(sub, config.defaultRole, roles.allowed);
  const refusedRoles = roles.refused;
  const namespace = config.claimsNamespace;
  if (version === '1') {
    const value = formatHasuraClaims(claims, config.claimsFormatV1);
    const response = {
      ...data.response,
      claimsOverrideDetails: v1Response(data.response?.claimsOverrideDetails, namespace, value),
    };
    return {
      status: 'added',
      event: { ...data, response },
      claims,
      tokens: ['id'],
      version,
      refusedRoles,
    };
  }
  const value = formatHasuraClaims(claims, config.claimsFormatV2);
  const response = {
    ...data.response,
    claimsAndScopeOverrideDetails: v2Response(
      data.response?.claimsAndScopeOverrideDetails,
      namespace,
      value,
      config.tokensV2,
    ),
  };
  return {
    status: 'added',
    event: { ...data, response },
    claims,
    tokens: config.tokensV2,
    version,
    refusedRoles,
  };
};
