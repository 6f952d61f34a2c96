import { describe, expect, it } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import {
  type ContextReader,
  contextBoolean,
  contextList,
  stackPropsFromContext,
} from '../../infra/stackPropsFromContext.js';

/** A context reader over a plain object, as `app.node.tryGetContext` behaves. */
const contextOf =
  (values: Record<string, unknown>): ContextReader =>
  (key) =>
    values[key];

describe('Function: stackPropsFromContext', () => {
  it('needs no context at all: bundling on, example subscriber off, endpoint left to the stack', () => {
    // Act
    const props = stackPropsFromContext(contextOf({}));

    // Assess
    expect(props).toEqual({ bundle: true, exampleSubscriber: false, createTrail: false });
  });

  it('maps command-line strings (-c key=value) onto typed props', () => {
    // Act
    const props = stackPropsFromContext(
      contextOf({
        hasuraGraphqlEndpoint: 'https://hasura.example.com/v1/graphql',
        userPoolId: 'eu-west-1_AbCdEf123',
        hasuraAdminSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin',
        hasuraAdminSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd',
        preTokenGenerationVersion: 'V1',
        archiveRetentionDays: '90',
        subscriberAccountIds: '111122223333, 444455556666',
        publishedAttributes: 'email,custom:tenant',
        logRetentionDays: '14',
        exampleSubscriber: 'true',
        bundle: 'false',
        createTrail: 'true',
        trailLogRetentionDays: '30',
      }),
    );

    // Assess
    expect(props).toMatchObject({
      hasuraGraphqlEndpoint: 'https://hasura.example.com/v1/graphql',
      userPoolId: 'eu-west-1_AbCdEf123',
      hasuraAdminSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin',
      hasuraAdminSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd',
      preTokenGenerationVersion: 'V1',
      subscriberAccountIds: ['111122223333', '444455556666'],
      publishedAttributes: ['email', 'custom:tenant'],
      logRetention: 14,
      exampleSubscriber: true,
      bundle: false,
      createTrail: true,
    });
    expect(props.archiveRetention?.toDays()).toBe(Duration.days(90).toDays());
    expect(props.trailLogRetention?.toDays()).toBe(30);
  });

  it('reads the roles that may publish login events and replay dead letters', () => {
    // Act
    const props = stackPropsFromContext(
      contextOf({
        publisherRoleArns:
          'arn:aws:iam::123456789012:role/backfill, arn:aws:iam::123456789012:role/reconcile',
        dlqReplayRoleArns: ['arn:aws:iam::123456789012:role/ops'],
      }),
    );

    // Assess
    expect(props).toMatchObject({
      publisherRoleArns: [
        'arn:aws:iam::123456789012:role/backfill',
        'arn:aws:iam::123456789012:role/reconcile',
      ],
      dlqReplayRoleArns: ['arn:aws:iam::123456789012:role/ops'],
    });
  });

  it('takes JSON arrays and booleans from cdk.json', () => {
    // Act
    const read = contextOf({ subscriberAccountIds: ['111122223333'], nag: false });

    // Assess
    expect(contextList(read, 'subscriberAccountIds')).toEqual(['111122223333']);
    expect(contextBoolean(read, 'nag', true)).toBe(false);
  });

  it.each([
    [{ preTokenGenerationVersion: 'V3' }, /preTokenGenerationVersion must be V1 or V2/],
    [{ archiveRetentionDays: 'thirty' }, /archiveRetentionDays must be a whole number/],
    [{ bundle: 'yes' }, /bundle must be true or false/],
    [{ userPoolId: { id: 1 } }, /userPoolId must be a string/],
  ])('throws a readable error for the context %j', (values, message) => {
    // Act
    const act = (): unknown => stackPropsFromContext(contextOf(values));

    // Assess
    expect(act).toThrow(message);
  });
});
