import { Duration, type Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CLAIMS_FORMATS } from '../../services/pre-token-generation/config.js';
import { DEFAULT_COLUMN_MAP } from '../../services/user-sync/columnMap.js';
import {
  DEFAULT_SAFETY_MARGIN_MS,
  unpublishedAttributes,
} from '../../services/user-sync/config.js';
import {
  COGNITO_ATTRIBUTE_NAME,
  DEFAULT_PUBLISHED_ATTRIBUTES,
} from '../../shared/events/userAuthenticated.js';
import { SERVICE_LOG_LEVELS } from '../../shared/observability.js';
import { pipeline } from '../../shared/pipeline.js';
import type { CognitoHasuraSyncStackProps } from './CognitoHasuraSyncStackProps.js';
import { validateServiceSettings } from './serviceEnvironments.js';

/** Why a stack prop is invalid; the message names the prop and what to do. */
export class InvalidStackPropsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InvalidStackPropsError';
  }
}

const USER_POOL_ID = /^([\w-]+)_[0-9a-zA-Z]+$/;
/** The retention periods CloudWatch Logs accepts (the numeric values of the enum). */
const LOG_RETENTION_DAYS = new Set<unknown>(
  Object.values(logs.RetentionDays).filter((value) => typeof value === 'number'),
);
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;

/**
 * Checks the stack props before anything is created, so a wrong value fails `cdk synth` with a
 * message that names the prop instead of failing the deployment.
 *
 * @throws {@link InvalidStackPropsError} naming the first invalid prop.
 */
export const validateStackProps = (stack: Stack, props: CognitoHasuraSyncStackProps): void => {
  if (props.hasuraGraphqlEndpoint !== undefined) endpoint(props.hasuraGraphqlEndpoint);
  if (props.userPoolId !== undefined) userPool(stack, props.userPoolId);
  const arn = props.hasuraAdminSecretArn;
  if (arn !== undefined && !Token.isUnresolved(arn) && !SECRET_ARN.test(arn)) {
    throw new InvalidStackPropsError(
      `hasuraAdminSecretArn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "${arn}"`,
    );
  }
  const key = props.hasuraAdminSecretKmsKeyArn;
  if (key !== undefined) {
    if (arn === undefined) {
      throw new InvalidStackPropsError(
        'hasuraAdminSecretKmsKeyArn needs hasuraAdminSecretArn: the secret the stack creates uses the AWS managed key',
      );
    }
    if (!Token.isUnresolved(key) && !KMS_KEY_ARN.test(key)) {
      throw new InvalidStackPropsError(
        `hasuraAdminSecretKmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; not an alias), got "${key}"`,
      );
    }
  }
  const version = props.preTokenGenerationVersion;
  if (version !== undefined && version !== 'V1' && version !== 'V2') {
    throw new InvalidStackPropsError(
      `preTokenGenerationVersion must be "V1" or "V2", got "${String(version)}"`,
    );
  }
  consumer(props);
  for (const name of props.publishedAttributes ?? []) {
    if (!COGNITO_ATTRIBUTE_NAME.test(name)) {
      throw new InvalidStackPropsError(
        `publishedAttributes must hold Cognito attribute names (email, custom:tenant, …), got "${name}"`,
      );
    }
  }
  if (props.publishedAttributes !== undefined && props.publishedAttributes.length === 0) {
    throw new InvalidStackPropsError(
      `publishedAttributes must not be empty; omit it for [${DEFAULT_PUBLISHED_ATTRIBUTES.join(', ')}]`,
    );
  }
  eventContract(props);
  roleArns('publisherRoleArns', props.publisherRoleArns);
  roleArns('dlqReplayRoleArns', props.dlqReplayRoleArns);
  const format = props.hasuraClaimsFormatV2;
  if (format !== undefined && !CLAIMS_FORMATS.includes(format)) {
    throw new InvalidStackPropsError(
      `hasuraClaimsFormatV2 must be ${CLAIMS_FORMATS.map((name) => `"${name}"`).join(' or ')}, got "${String(format)}"`,
    );
  }
  // The list reaches the trigger comma-separated: a comma would split one group into two.
  for (const group of props.hasuraAdminGroups ?? []) {
    if (group.trim() === '' || group.includes(',')) {
      throw new InvalidStackPropsError(
        `hasuraAdminGroups must hold Cognito group names without commas, got "${group}"`,
      );
    }
  }
  if (props.hasuraClaimsTokensV2 !== undefined && props.hasuraClaimsTokensV2.length === 0) {
    throw new InvalidStackPropsError(
      "hasuraClaimsTokensV2 must not be empty: list 'id', 'access' or both, or omit it for both",
    );
  }
  logging(props);
  trail(props);
  validateServiceSettings(props, (message) => new InvalidStackPropsError(message));
};

/** The column map may read only attributes the trigger publishes; otherwise they are blanked. */
const eventContract = (props: CognitoHasuraSyncStackProps): void => {
  const published = props.publishedAttributes ?? DEFAULT_PUBLISHED_ATTRIBUTES;
  const missing = unpublishedAttributes(props.usersColumnMap ?? DEFAULT_COLUMN_MAP, published);
  if (missing.length > 0) {
    const map =
      props.usersColumnMap === undefined ? 'usersColumnMap (its default)' : 'usersColumnMap';
    throw new InvalidStackPropsError(
      `${map} reads ${missing.map((name) => `attributes.${name}`).join(', ')}, but publishedAttributes (${published.join(', ')}) does not publish ${missing.join(', ')}: the trigger leaves it out of every event, so the consumer would blank the column on every login. Add ${missing.join(', ')} to publishedAttributes, or remove the mapping from usersColumnMap`,
    );
  }
};

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** A list of IAM role ARNs (tokens are left to the deployment). */
const roleArns = (prop: string, arns: readonly string[] | undefined): void => {
  for (const arn of arns ?? []) {
    if (!Token.isUnresolved(arn) && !ROLE_ARN.test(arn)) {
      throw new InvalidStackPropsError(
        `${prop} must hold IAM role ARNs (arn:aws:iam::<account>:role/<name>), got "${arn}"`,
      );
    }
  }
};

/** The trail options: a retention only for a trail the stack creates, in whole days. */
const trail = (props: CognitoHasuraSyncStackProps): void => {
  const retention = props.trailLogRetention;
  if (retention === undefined) return;
  if (props.createTrail !== true) {
    throw new InvalidStackPropsError(
      'trailLogRetention needs createTrail: the stack keeps no log files of a trail it does not create',
    );
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new InvalidStackPropsError(
      `trailLogRetention must be a whole number of days, at least 1, got ${retention.toHumanString()}`,
    );
  }
};

// Context values reach these props unchecked (`-c logLevel=…`), hence the runtime checks.
const logging = (props: CognitoHasuraSyncStackProps): void => {
  if (props.logLevel !== undefined && !SERVICE_LOG_LEVELS.includes(props.logLevel)) {
    throw new InvalidStackPropsError(
      `logLevel must be one of ${SERVICE_LOG_LEVELS.join(', ')}, got "${String(props.logLevel)}"`,
    );
  }
  if (props.logRetention !== undefined && !LOG_RETENTION_DAYS.has(props.logRetention)) {
    throw new InvalidStackPropsError(
      `logRetention must be a CloudWatch Logs retention (logs.RetentionDays, e.g. 1, 3, 5, 7, 14, 30 days), got ${String(props.logRetention)}`,
    );
  }
};

const endpoint = (value: string): void => {
  if (Token.isUnresolved(value)) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidStackPropsError(
      `hasuraGraphqlEndpoint must be a URL such as https://hasura.example.com/v1/graphql, got "${value}"`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new InvalidStackPropsError(
      `hasuraGraphqlEndpoint must use https: the admin secret travels with every request, got "${value}"`,
    );
  }
  if (url.pathname === '/' || url.pathname === '') {
    throw new InvalidStackPropsError(
      `hasuraGraphqlEndpoint must be the full GraphQL URL ending in /v1/graphql, not the server root: "${value}"`,
    );
  }
};

const userPool = (stack: Stack, id: string): void => {
  if (Token.isUnresolved(id)) return;
  const match = USER_POOL_ID.exec(id);
  if (match === null) {
    throw new InvalidStackPropsError(`userPoolId must look like eu-west-1_AbCdEf123, got "${id}"`);
  }
  const poolRegion = match[1];
  if (!Token.isUnresolved(stack.region) && poolRegion !== stack.region) {
    throw new InvalidStackPropsError(
      `userPoolId ${id} is in ${poolRegion} but the stack deploys to ${stack.region}: Cognito only invokes triggers of its own region`,
    );
  }
};

const consumer = (props: CognitoHasuraSyncStackProps): void => {
  const timeout = (
    props.consumerTimeout ?? Duration.seconds(pipeline.consumer.timeoutSeconds)
  ).toSeconds();
  const visibility = pipeline.syncQueue.visibilityTimeoutSeconds;
  // The consumer stops writing DEFAULT_SAFETY_MARGIN_MS before its timeout; what is left must
  // hold at least a couple of Hasura requests, or every batch fails back to the queue.
  const minimum = Math.ceil(DEFAULT_SAFETY_MARGIN_MS / 1000) + 2;
  if (timeout < minimum) {
    throw new InvalidStackPropsError(
      `consumerTimeout ${timeout} s is too short: the consumer keeps ${DEFAULT_SAFETY_MARGIN_MS} ms free before its timeout, so give it at least ${minimum} s`,
    );
  }
  if (timeout * 6 > visibility) {
    throw new InvalidStackPropsError(
      `consumerTimeout ${timeout} s is too long: the sync queue's visibility timeout (${visibility} s) must be at least 6 times the consumer's timeout, so keep it at or below ${Math.floor(visibility / 6)} s`,
    );
  }
  const batch = props.consumerBatchSize;
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 10_000)) {
    throw new InvalidStackPropsError(
      `consumerBatchSize must be an integer from 1 to 10000, got ${batch}`,
    );
  }
  const concurrency = props.consumerMaxConcurrency;
  if (
    concurrency !== undefined &&
    (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000)
  ) {
    throw new InvalidStackPropsError(
      `consumerMaxConcurrency must be an integer from 2 to 1000 (the SQS event source limits), got ${concurrency}`,
    );
  }
};
