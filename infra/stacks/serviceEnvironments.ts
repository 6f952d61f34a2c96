import { Token } from 'aws-cdk-lib';
import { loadPostAuthenticationConfig } from '../../services/post-authentication/config.js';
import { loadPostConfirmationConfig } from '../../services/post-confirmation/config.js';
import {
  defaultPreTokenGenerationConfig,
  loadPreTokenGenerationConfig,
} from '../../services/pre-token-generation/config.js';
import { loadUserLifecycleConfig } from '../../services/user-lifecycle/config.js';
import { loadUserSyncConfig } from '../../services/user-sync/config.js';
import { isConfigurationError } from '../../shared/errors.js';
import { DEFAULT_PUBLISHED_ATTRIBUTES } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';

/**
 * The stack prop behind each service variable it sets, so that a value the service would refuse
 * at cold start fails `cdk synth` instead, naming the prop.
 */
const PROP_OF_VARIABLE: Readonly<Record<string, keyof CognitoHasuraSyncStackProps>> = {
  USERS_TABLE: 'usersTable',
  USERS_CONSTRAINT: 'usersConstraint',
  USERS_COLUMN_MAP: 'usersColumnMap',
  SYNC_WRITE_MODE: 'syncWriteMode',
  SYNC_DELETE_MODE: 'syncDeleteMode',
  EVENT_SOURCE: 'eventSource',
  PUBLISHED_ATTRIBUTES: 'publishedAttributes',
  HASURA_CLAIMS_NAMESPACE: 'hasuraClaimsNamespace',
  HASURA_DEFAULT_ROLE: 'hasuraDefaultRole',
  HASURA_GROUP_ROLE_MAP: 'hasuraGroupRoleMap',
  HASURA_UNMAPPED_GROUPS_AS_ROLES: 'hasuraUnmappedGroupsAsRoles',
  HASURA_ADMIN_GROUPS: 'hasuraAdminGroups',
  HASURA_TRUSTED_ROLE_ATTRIBUTES: 'hasuraTrustedRoleAttributes',
  HASURA_CLAIMS_FORMAT_V2: 'hasuraClaimsFormatV2',
  HASURA_CLAIMS_TOKENS_V2: 'hasuraClaimsTokensV2',
};

/** Placeholders for the variables the stack fills with deploy-time values. */
const DEPLOY_TIME_PLACEHOLDERS = {
  HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
  HASURA_ADMIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-AbCdEf',
  // The stack sets the pool it creates or imports (a deploy-time token when created).
  USER_POOL_IDS: 'eu-west-1_Placeholder1',
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
  // Lambda sets it.
  AWS_REGION: 'eu-west-1',
} as const;

/** The entries of an environment whose value is set. */
export const definedOnly = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

/** A map as the JSON the services' `stringMap` reads, or undefined. */
const json = (map: Readonly<Record<string, string>> | undefined): string | undefined =>
  map === undefined ? undefined : JSON.stringify(map);

/**
 * The variables of the event contract that the trigger and the consumer must agree on, from one
 * owner: `EVENT_SOURCE` (the trigger publishes it, the consumer applies only it) and
 * `PUBLISHED_ATTRIBUTES` (the trigger publishes them, the consumer's column map may read only
 * them). Always written out, so both functions carry the same value.
 */
export const eventContractSettings = (
  props: CognitoHasuraSyncStackProps,
): { EVENT_SOURCE: string; PUBLISHED_ATTRIBUTES: string } => ({
  EVENT_SOURCE: props.eventSource ?? pipeline.eventSource,
  PUBLISHED_ATTRIBUTES: (props.publishedAttributes ?? DEFAULT_PUBLISHED_ATTRIBUTES).join(','),
});

/**
 * The `user-sync` variables that come from stack props (the event contract, table, constraint,
 * column map, write mode); unset props are left to the consumer's defaults. `USER_POOL_IDS` is
 * added by the stack, from the user pool it creates or imports.
 */
export const userSyncSettings = (props: CognitoHasuraSyncStackProps): Record<string, string> =>
  definedOnly({
    ...eventContractSettings(props),
    USERS_TABLE: props.usersTable,
    USERS_CONSTRAINT: props.usersConstraint,
    USERS_COLUMN_MAP: json(props.usersColumnMap),
    SYNC_WRITE_MODE: props.syncWriteMode,
    SYNC_DELETE_MODE: props.syncDeleteMode,
  });

/**
 * The variables of a trigger that publishes user events (post-authentication,
 * post-confirmation) that the stack does not fill with its resources: the event contract and
 * the trigger's publish budget. The stack adds `EVENT_BUS_NAME` and `SYNC_QUEUE_URL`.
 *
 * @param budgetMs - the trigger's `pipeline.<trigger>.budgetMs`.
 */
export const publishingTriggerSettings = (
  props: CognitoHasuraSyncStackProps,
  budgetMs: number,
): Record<string, string> => ({
  ...eventContractSettings(props),
  PUBLISH_BUDGET_MS: String(budgetMs),
});

/**
 * The `user-lifecycle` variables that come from stack props: the event contract it publishes
 * (`EVENT_SOURCE`, `PUBLISHED_ATTRIBUTES`, the same values as the triggers'). The stack adds
 * `EVENT_BUS_NAME` and `USER_POOL_IDS` (the pool it creates or imports).
 */
export const userLifecycleSettings = (props: CognitoHasuraSyncStackProps): Record<string, string> =>
  definedOnly({ ...eventContractSettings(props) });

/** A list as the comma-separated text the services' `stringList` reads, or undefined if empty. */
const list = (items: readonly string[] | undefined): string | undefined =>
  items === undefined || items.length === 0 ? undefined : items.join(',');

/**
 * The `pre-token-generation` variables that come from stack props. V1 events always get
 * `stringified_json`, the only claims format they allow. Whether unmapped groups become roles
 * is always written out (the trigger's own default when the prop is unset), so the template
 * shows it.
 */
export const preTokenGenerationSettings = (
  props: CognitoHasuraSyncStackProps,
): Record<string, string> =>
  definedOnly({
    HASURA_CLAIMS_NAMESPACE: props.hasuraClaimsNamespace,
    HASURA_DEFAULT_ROLE: props.hasuraDefaultRole,
    HASURA_GROUP_ROLE_MAP: json(props.hasuraGroupRoleMap),
    HASURA_UNMAPPED_GROUPS_AS_ROLES: String(
      props.hasuraUnmappedGroupsAsRoles ?? defaultPreTokenGenerationConfig.unmappedGroupsAsRoles,
    ),
    HASURA_ADMIN_GROUPS: list(props.hasuraAdminGroups),
    HASURA_TRUSTED_ROLE_ATTRIBUTES: props.hasuraTrustedRoleAttributes?.join(','),
    HASURA_CLAIMS_FORMAT_V1: defaultPreTokenGenerationConfig.claimsFormatV1,
    HASURA_CLAIMS_FORMAT_V2:
      props.hasuraClaimsFormatV2 ?? defaultPreTokenGenerationConfig.claimsFormatV2,
    HASURA_CLAIMS_TOKENS_V2: list(props.hasuraClaimsTokensV2),
  });

// A service's message names variables; the props behind the other variables it names are added,
// so the synth error says which props to change.
const alsoNamed = (error: { variable: string; message: string }): string => {
  const named = Object.entries(PROP_OF_VARIABLE).filter(
    ([variable]) =>
      variable !== error.variable && new RegExp(`\\b${variable}\\b`).test(error.message),
  );
  return named.length === 0
    ? ''
    : `; in the stack props: ${named.map(([variable, prop]) => `${variable} is ${prop}`).join(', ')}`;
};

/**
 * Reads the service settings of the props with the services' own configuration loaders, so the
 * stack cannot deploy a function that throws a `ConfigurationError` at every cold start.
 * Settings holding unresolved tokens are left to the deployment.
 *
 * @param toError - builds the error to throw from a message naming the prop.
 * @throws the error of `toError` when a service would refuse a setting.
 */
export const validateServiceSettings = (
  props: CognitoHasuraSyncStackProps,
  toError: (message: string) => Error,
): void => {
  const check = (settings: Record<string, string>, load: (env: Record<string, string>) => void) => {
    if (Object.values(settings).some((value) => Token.isUnresolved(value))) return;
    try {
      load({ ...DEPLOY_TIME_PLACEHOLDERS, ...settings });
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      const prop = PROP_OF_VARIABLE[error.variable] ?? error.variable;
      throw toError(
        `${prop} is not accepted by the function (${error.message})${alsoNamed(error)}`,
      );
    }
  };
  check(userSyncSettings(props), loadUserSyncConfig);
  check(preTokenGenerationSettings(props), loadPreTokenGenerationConfig);
  check(
    publishingTriggerSettings(props, pipeline.postAuthentication.budgetMs),
    loadPostAuthenticationConfig,
  );
  check(
    publishingTriggerSettings(props, pipeline.postConfirmation.budgetMs),
    loadPostConfirmationConfig,
  );
  check(userLifecycleSettings(props), loadUserLifecycleConfig);
};
