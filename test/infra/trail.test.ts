import { describe, expect, it } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import {
  ManagementEventsTrail,
  TRAIL_LOG_RETENTION_DAYS,
} from '../../infra/constructs/ManagementEventsTrail.js';
import { logicalIdOf, synthStack } from './stackFixture.js';

describe('Class: CognitoHasuraSyncStack (trail option)', () => {
  it('relies on an existing trail by default: no trail, no bucket', () => {
    // Act
    const { template, stack } = synthStack();

    // Assess
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(stack.trail).toBeUndefined();
    expect(Object.keys(template.findOutputs('TrailArn'))).toEqual([]);
  });

  describe('with createTrail', () => {
    const { template } = synthStack({ createTrail: true });
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket');

    it('logs the write management events of the region into its own bucket, validated', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudTrail::Trail', {
        IsLogging: true,
        S3BucketName: { Ref: bucketId },
        IsMultiRegionTrail: false,
        IncludeGlobalServiceEvents: false,
        EnableLogFileValidation: true,
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }],
      });
      template.hasOutput('TrailArn', { Value: Match.anyValue() });
    });

    it('encrypts the bucket, blocks public access and expires the log files', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              Status: 'Enabled',
              ExpirationInDays: TRAIL_LOG_RETENTION_DAYS,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            }),
          ],
        },
      });
    });

    it('denies every request not sent over TLS and lets only CloudTrail write', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
            }),
          ]),
        },
      });
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap(
        (policy) =>
          (policy as { Properties: { PolicyDocument: { Statement: { Effect: string }[] } } })
            .Properties.PolicyDocument.Statement,
      );
      for (const statement of statements.filter((entry) => entry.Effect === 'Allow')) {
        expect(statement).toMatchObject({ Principal: { Service: 'cloudtrail.amazonaws.com' } });
      }
    });

    it('keeps the bucket (and its audit records) when the stack is deleted', () => {
      // Assess
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  it('expires the log files after the retention given as a prop', () => {
    // Act
    const { template } = synthStack({
      createTrail: true,
      trailLogRetention: Duration.days(30),
    });

    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
    });
  });
});

describe('Class: ManagementEventsTrail', () => {
  it.each([Duration.hours(36), Duration.days(0)])('throws for a retention of %s', (retention) => {
    // Act
    const act = (): ManagementEventsTrail =>
      new ManagementEventsTrail(new Stack(), 'Trail', { logRetention: retention });

    // Assess
    expect(act).toThrow(/logRetention must be a whole number of days, at least 1/);
  });
});
