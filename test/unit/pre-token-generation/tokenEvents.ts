import { readFileSync } from 'node:fs';

/** The pre token generation fixtures under test/fixtures/cognito. */
export type TokenEventFixture =
  | 'preTokenGenerationV1'
  | 'preTokenGenerationV1CustomRoleAttribute'
  | 'preTokenGenerationV2'
  | 'preTokenGenerationV2MissingSub'
  | 'preTokenGenerationV2RefreshTokens'
  | 'preTokenGenerationV3ClientCredentials';

/** A fresh copy of a fixture event (callers may mutate it). */
export const loadTokenEvent = (name: TokenEventFixture): Record<string, unknown> => {
  const text = readFileSync(
    new URL(`../../fixtures/cognito/${name}.json`, import.meta.url),
    'utf8',
  );
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`fixture ${name} is not a JSON object`);
  }
  return { ...parsed };
};

/** The value at a path of nested objects, or undefined when any step is missing. */
export const valueAt = (value: unknown, ...path: string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in current)) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
};

/** The Hasura namespace claim a V1 response sets, parsed from its JSON string. */
export const v1Claims = (event: unknown, namespace: string): unknown => {
  const text = valueAt(
    event,
    'response',
    'claimsOverrideDetails',
    'claimsToAddOrOverride',
    namespace,
  );
  return typeof text === 'string' ? JSON.parse(text) : undefined;
};

/** The Hasura namespace claim a V2 response sets for one token. */
export const v2Claims = (
  event: unknown,
  token: 'idTokenGeneration' | 'accessTokenGeneration',
  namespace: string,
): unknown =>
  valueAt(
    event,
    'response',
    'claimsAndScopeOverrideDetails',
    token,
    'claimsToAddOrOverride',
    namespace,
  );

const objectAt = (value: unknown, ...path: string[]): object => {
  const found = valueAt(value, ...path);
  return found !== null && typeof found === 'object' ? found : {};
};

/**
 * A copy of an event whose `request.userAttributes.sub` is `sub`, or has no `sub` when
 * `sub` is undefined.
 */
export const withSub = (
  event: Record<string, unknown>,
  sub: string | undefined,
): Record<string, unknown> => {
  const { sub: _previous, ...attributes } = {
    sub,
    ...objectAt(event, 'request', 'userAttributes'),
  };
  return {
    ...event,
    request: {
      ...objectAt(event, 'request'),
      userAttributes: sub === undefined ? attributes : { ...attributes, sub },
    },
  };
};

/** A copy of an event whose user is a member of exactly `groups`. */
export const withGroups = (
  event: Record<string, unknown>,
  groups: readonly string[],
): Record<string, unknown> => ({
  ...event,
  request: {
    ...objectAt(event, 'request'),
    groupConfiguration: {
      ...objectAt(event, 'request', 'groupConfiguration'),
      groupsToOverride: [...groups],
    },
  },
});
