import { describe, expect, it } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { pipeline } from '../../shared/pipeline.js';
import { arnOf, logicalIdOf, synthStack } from './stackFixture.js';

describe('Class: LoginEventBus (in CognitoHasuraSyncStack)', () => {
  const { template } = synthStack();
  const busId = logicalIdOf(template, 'AWS::Events::EventBus', { Name: pipeline.eventBusName });

  it('creates the bus under the shared name', () => {
    // Assess
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: pipeline.eventBusName,
      Description: Match.stringLikeRegexp('UserAuthenticated'),
    });
  });

  it('archives every user event of the bus (logins and lifecycle) for the shared retention', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: pipeline.archive.name,
      SourceArn: arnOf(busId),
      RetentionDays: pipeline.archive.retentionDays,
      EventPattern: {
        source: [pipeline.eventSource],
        'detail-type': Object.values(pipeline.detailTypes),
      },
    });
  });

  it('keeps archived events for the retention given as a prop', () => {
    // Act
    const { template: custom } = synthStack({ archiveRetention: Duration.days(90) });

    // Assess
    custom.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
  });

  it('registers the UserAuthenticated schema as JSON Schema draft 4 of the whole event', () => {
    // Prepare
    const content = new Capture();

    // Act
    const registryId = logicalIdOf(template, 'AWS::EventSchemas::Registry');
    template.hasResourceProperties('AWS::EventSchemas::Schema', {
      RegistryName: { 'Fn::GetAtt': [registryId, 'RegistryName'] },
      SchemaName: `${pipeline.eventSource}@${pipeline.detailType}`,
      Type: 'JSONSchemaDraft4',
      Content: content,
    });
    const schema = JSON.parse(content.asString()) as {
      $schema: string;
      properties: Record<string, { enum?: unknown[]; required?: string[] }>;
    };

    // Assess
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.properties['detail-type']?.enum).toEqual([pipeline.detailType]);
    expect(schema.properties.source?.enum).toEqual([pipeline.eventSource]);
    expect(schema.properties.detail?.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'eventId', 'sub', 'authenticatedAt']),
    );
    expect(content.asString()).not.toMatch(/"const"|"propertyNames"|2020-12/);
  });

  it.each([
    [
      pipeline.detailTypes.signedUp,
      ['sub', 'username', 'enabled', 'status', 'occurredAt', 'cause'],
    ],
    [pipeline.detailTypes.updated, ['sub', 'username', 'enabled', 'status', 'occurredAt', 'cause']],
    [pipeline.detailTypes.deleted, ['sub', 'occurredAt', 'cause']],
  ])('registers the %s schema beside it, with the detail it requires', (detailType, fields) => {
    // Prepare
    const content = new Capture();

    // Act
    template.hasResourceProperties('AWS::EventSchemas::Schema', {
      SchemaName: `${pipeline.eventSource}@${detailType}`,
      Type: 'JSONSchemaDraft4',
      Content: content,
    });
    const schema = JSON.parse(content.asString()) as {
      properties: Record<string, { enum?: unknown[]; required?: string[] }>;
    };

    // Assess
    expect(schema.properties['detail-type']?.enum).toEqual([detailType]);
    expect(schema.properties.detail?.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'eventId', 'userPoolId', ...fields]),
    );
    expect(content.asString()).not.toMatch(/"const"|2020-12/);
  });

  it('registers exactly one schema per detail type of the contract', () => {
    // Assess
    template.resourceCountIs(
      'AWS::EventSchemas::Schema',
      Object.values(pipeline.detailTypes).length,
    );
  });

  it('adds no subscriber statement to the bus policy when no other account may subscribe', () => {
    // Prepare
    const statements = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
      (resource) => (resource as { Properties: { Statement: { Effect: string } } }).Properties,
    );

    // Assess
    expect(statements.map((policy) => policy.Statement.Effect)).toEqual(['Deny']);
    template.hasResourceProperties('AWS::Events::EventBus', { Policy: Match.absent() });
  });

  it('lets the listed accounts manage only their own rules for login events', () => {
    // Act
    const { template: shared } = synthStack({ subscriberAccountIds: ['111122223333'] });
    const sharedBusId = logicalIdOf(shared, 'AWS::Events::EventBus');
    const principal = new Capture();

    // Assess
    shared.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: sharedBusId },
      Statement: Match.objectLike({
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: Match.arrayWith(['events:PutRule', 'events:PutTargets', 'events:RemoveTargets']),
        Resource: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([`:rule/${pipeline.eventBusName}/*`])]),
        }),
        Condition: {
          StringEqualsIfExists: {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
            'events:creatorAccount': '${aws:PrincipalAccount}',
            'events:source': pipeline.eventSource,
          },
        },
      }),
    });
    expect(JSON.stringify(principal.asObject())).toContain(':iam::111122223333:root');
  });

  it('lets the accounts of an organization subscribe', () => {
    // Act
    const { template: shared } = synthStack({ subscriberOrganizationId: 'o-a1b2c3d4e5' });

    // Assess
    shared.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: Match.arrayWith(['events:PutRule', 'events:PutTargets']),
        Condition: Match.objectLike({
          StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
          StringEqualsIfExists: Match.objectLike({
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
            'events:creatorAccount': '${aws:PrincipalAccount}',
          }),
        }),
      }),
    });
  });
});
