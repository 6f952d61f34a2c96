import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { LoginEventSubscriber } from '../../infra/constructs/LoginEventSubscriber.js';
import { CognitoHasuraSyncStack } from '../../infra/stacks/CognitoHasuraSyncStack.js';
import { HASURA_ENDPOINT, TEST_ENV } from './stackFixture.js';

/** The acknowledged rules (id → reason) recorded on a construct tree. */
const acknowledgments = (root: IConstruct): Array<[string, unknown]> =>
  root.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>))
    // aws-cdk-lib records the ids with an `Annotation::` namespace.
    .map(([id, reason]): [string, unknown] => [id.replace(/^annotation::/i, ''), reason]);

describe('Class: AwsSolutionsChecks (cdk-nag) on CognitoHasuraSyncStack', () => {
  const deprecationMode = process.env.JSII_DEPRECATED;

  beforeAll(() => {
    // cdk-nag's EventBusOpenAccess rule reads a deprecated CfnEventBusPolicy property; its
    // warning is about cdk-nag, not this project.
    process.env.JSII_DEPRECATED = 'quiet';
  });

  afterAll(() => {
    if (deprecationMode === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = deprecationMode;
  });

  it('reports no unacknowledged finding for the stack with a created pool and secret', () => {
    // Prepare
    const app = new App();
    new CognitoHasuraSyncStack(app, 'Created', {
      hasuraGraphqlEndpoint: HASURA_ENDPOINT,
      bundle: false,
    });

    // Act
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('reports no unacknowledged finding with an existing pool, secret and its key, subscribers, a created trail and alarms', () => {
    // Prepare
    const app = new App();
    const stack = new CognitoHasuraSyncStack(app, 'Existing', {
      env: TEST_ENV,
      hasuraGraphqlEndpoint: HASURA_ENDPOINT,
      userPoolId: 'eu-west-1_AbCdEf123',
      hasuraAdminSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin',
      hasuraAdminSecretKmsKeyArn:
        'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      subscriberAccountIds: ['111122223333'],
      subscriberOrganizationId: 'o-a1b2c3d4e5',
      exampleSubscriber: true,
      preTokenGenerationVersion: 'V1',
      createTrail: true,
      bundle: false,
    });
    new LoginEventSubscriber(stack, 'Extra', { eventBus: stack.loginEvents.eventBus });

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
  });

  it('gives every acknowledged rule a reason of a full sentence', () => {
    // Prepare
    const app = new App();
    new CognitoHasuraSyncStack(app, 'Reasons', {
      hasuraGraphqlEndpoint: HASURA_ENDPOINT,
      createTrail: true,
      bundle: false,
    });

    // Act
    const acknowledged = acknowledgments(app);

    // Assess
    expect(acknowledged.map(([id]) => id)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-L1',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-SQS3',
        'AwsSolutions-SMG4',
        'AwsSolutions-COG2',
        'AwsSolutions-COG8',
        'AwsSolutions-S1',
      ]),
    );
    for (const [, reason] of acknowledged) {
      expect(reason).toEqual(expect.stringMatching(/^[A-Z].{40,}\.$/));
    }
  });

  it('does report a finding the project has not acknowledged (the checks really run)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Plain');
    new sqs.Queue(stack, 'Open', { enforceSSL: false });

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(report.violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
