import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { ServiceLogLevel } from '../shared/observability.js';
import type {
  CognitoHasuraSyncStackProps,
  PreTokenGenerationVersion,
} from './stacks/CognitoHasuraSyncStackProps.js';

/** Reads one context value (`cdk.json` `context`, or `-c key=value` on the command line). */
export type ContextReader = (key: string) => unknown;

/** The context keys the app reads; each maps onto a stack prop of the same meaning. */
export const ContextKey = {
  stackName: 'stackName',
  hasuraGraphqlEndpoint: 'hasuraGraphqlEndpoint',
  userPoolId: 'userPoolId',
  hasuraAdminSecretArn: 'hasuraAdminSecretArn',
  hasuraAdminSecretKmsKeyArn: 'hasuraAdminSecretKmsKeyArn',
  preTokenGenerationVersion: 'preTokenGenerationVersion',
  archiveRetentionDays: 'archiveRetentionDays',
  subscriberAccountIds: 'subscriberAccountIds',
  subscriberOrganizationId: 'subscriberOrganizationId',
  eventSource: 'eventSource',
  publishedAttributes: 'publishedAttributes',
  publisherRoleArns: 'publisherRoleArns',
  dlqReplayRoleArns: 'dlqReplayRoleArns',
  logLevel: 'logLevel',
  logRetentionDays: 'logRetentionDays',
  exampleSubscriber: 'exampleSubscriber',
  createTrail: 'createTrail',
  trailLogRetentionDays: 'trailLogRetentionDays',
  bundle: 'bundle',
  nag: 'nag',
} as const;

/** A context value as a non-empty string, or undefined. */
export const contextString = (read: ContextReader, key: string): string | undefined => {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`Context ${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return String(value).trim();
};

/** A context value as a boolean (`true`/`false`, also as strings), or the fallback. */
export const contextBoolean = (read: ContextReader, key: string, fallback: boolean): boolean => {
  const value = read(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}`);
};

/** A context value as a list: a JSON array, or a comma-separated string. */
export const contextList = (read: ContextReader, key: string): string[] | undefined => {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
};

/** A context value as a whole number ≥ 0, or undefined. */
export const contextInteger = (read: ContextReader, key: string): number | undefined => {
  const raw = contextString(read, key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Context ${key} must be a whole number, got "${raw}"`);
  }
  return value;
};

/**
 * Builds the stack props from the CDK context. Every key is optional: without
 * `hasuraGraphqlEndpoint` the stack takes the endpoint as a CloudFormation parameter, so
 * `cdk synth` works with no configuration at all.
 *
 * @param read - the context reader, e.g. `(key) => app.node.tryGetContext(key)`.
 * @returns the stack props, minus the ones the caller adds (env, description).
 * @throws Error naming the context key whose value is malformed.
 */
export const stackPropsFromContext = (read: ContextReader): CognitoHasuraSyncStackProps => {
  const version = contextString(read, ContextKey.preTokenGenerationVersion);
  if (version !== undefined && version !== 'V1' && version !== 'V2') {
    throw new Error(`Context preTokenGenerationVersion must be V1 or V2, got "${version}"`);
  }
  const archiveDays = contextInteger(read, ContextKey.archiveRetentionDays);
  const logDays = contextInteger(read, ContextKey.logRetentionDays);
  const trailDays = contextInteger(read, ContextKey.trailLogRetentionDays);
  const optional = {
    hasuraGraphqlEndpoint: contextString(read, ContextKey.hasuraGraphqlEndpoint),
    userPoolId: contextString(read, ContextKey.userPoolId),
    hasuraAdminSecretArn: contextString(read, ContextKey.hasuraAdminSecretArn),
    hasuraAdminSecretKmsKeyArn: contextString(read, ContextKey.hasuraAdminSecretKmsKeyArn),
    preTokenGenerationVersion: version as PreTokenGenerationVersion | undefined,
    archiveRetention: archiveDays === undefined ? undefined : Duration.days(archiveDays),
    subscriberAccountIds: contextList(read, ContextKey.subscriberAccountIds),
    subscriberOrganizationId: contextString(read, ContextKey.subscriberOrganizationId),
    eventSource: contextString(read, ContextKey.eventSource),
    publishedAttributes: contextList(read, ContextKey.publishedAttributes),
    publisherRoleArns: contextList(read, ContextKey.publisherRoleArns),
    dlqReplayRoleArns: contextList(read, ContextKey.dlqReplayRoleArns),
    logLevel: contextString(read, ContextKey.logLevel) as ServiceLogLevel | undefined,
    // RetentionDays' values are the number of days.
    logRetention: logDays as logs.RetentionDays | undefined,
    trailLogRetention: trailDays === undefined ? undefined : Duration.days(trailDays),
  };
  return {
    exampleSubscriber: contextBoolean(read, ContextKey.exampleSubscriber, false),
    createTrail: contextBoolean(read, ContextKey.createTrail, false),
    bundle: contextBoolean(read, ContextKey.bundle, true),
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, value]) => value !== undefined),
    ) as Partial<CognitoHasuraSyncStackProps>),
  };
};
