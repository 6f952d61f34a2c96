import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { USER_AUTHENTICATED_SCHEMA_FILE } from '../../infra/constructs/LoginEventBus.js';
import { REPOSITORY_ROOT } from '../../infra/constructs/SyncFunction.js';
import {
  DRAFT4_SCHEMA_URI,
  toDraft4,
  toEventBridgeSchema,
} from '../../infra/schema/toEventBridgeSchema.js';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';

const detailSchema: unknown = JSON.parse(
  readFileSync(join(REPOSITORY_ROOT, USER_AUTHENTICATED_SCHEMA_FILE), 'utf8'),
);

describe('Function: toDraft4', () => {
  it('rewrites const as a one-value enum and $id as id', () => {
    // Act
    const converted = toDraft4({ $id: 'urn:x', type: 'number', const: 1 });

    // Assess
    expect(converted).toEqual({ id: 'urn:x', type: 'number', enum: [1] });
  });

  it('drops keywords draft 4 lacks, at any depth', () => {
    // Act
    const converted = toDraft4({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { attributes: { type: 'object', propertyNames: { type: 'string' } } },
    });

    // Assess
    expect(converted).toEqual({
      type: 'object',
      properties: { attributes: { type: 'object' } },
    });
  });

  it('keeps a property whose name is a keyword', () => {
    // Act
    const converted = toDraft4({ properties: { const: { const: 'a' }, $id: { type: 'string' } } });

    // Assess
    expect(converted).toEqual({
      properties: { const: { enum: ['a'] }, $id: { type: 'string' } },
    });
  });
});

describe('Function: toEventBridgeSchema', () => {
  const schema = toEventBridgeSchema(detailSchema, {
    source: pipeline.eventSource,
    detailType: pipeline.detailType,
  });
  const properties = schema.properties as Record<string, Record<string, unknown>>;

  it('describes the whole EventBridge event as draft 4, pinning source and detail-type', () => {
    // Assess
    expect(schema).toMatchObject({
      $schema: DRAFT4_SCHEMA_URI,
      type: 'object',
      required: ['detail-type', 'source', 'detail'],
    });
    expect(properties.source).toEqual({ type: 'string', enum: [pipeline.eventSource] });
    expect(properties['detail-type']).toEqual({ type: 'string', enum: [pipeline.detailType] });
  });

  it('covers every field of an envelope the services publish', () => {
    // Prepare
    const detail: UserAuthenticatedV1 = {
      schemaVersion: 1,
      eventId: 'evt-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      sub: '7f9c2d1e-0000-4000-8000-000000000001',
      username: 'alice',
      clientId: 'client-1',
      triggerSource: 'PostAuthentication_Authentication',
      authenticatedAt: '2026-11-26T12:00:00.000Z',
      attributes: { email: 'alice@example.com' },
    };

    // Act
    const envelope = toEnvelope(detail, { source: pipeline.eventSource, region: 'eu-west-1' });
    const detailProperties = properties.detail?.properties as Record<string, unknown>;

    // Assess
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(Object.keys(envelope)));
    expect(Object.keys(detailProperties)).toEqual(expect.arrayContaining(Object.keys(detail)));
    expect(properties.detail?.required).toEqual(expect.arrayContaining(Object.keys(detail)));
    expect(detailProperties.schemaVersion).toMatchObject({ enum: [1] });
  });

  it('leaves no draft 2020-12 keyword in the document', () => {
    // Act
    const text = JSON.stringify(schema);

    // Assess
    expect(text).not.toMatch(/"const"|"propertyNames"|"\$id"|2020-12/);
  });

  it('throws when the detail schema is not an object', () => {
    // Act
    const act = (): unknown => toEventBridgeSchema([], { source: 's', detailType: 'd' });

    // Assess
    expect(act).toThrow(/must be a JSON object/);
  });
});
