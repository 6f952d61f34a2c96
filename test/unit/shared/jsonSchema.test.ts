import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  jsonSchemaPath,
  jsonSchemaText,
  USER_AUTHENTICATED_SCHEMA_PATH,
  userAuthenticatedJsonSchemaText,
} from '../../../shared/events/jsonSchema.js';
import { ALL_DETAIL_TYPES } from '../../../shared/events/syncEvent.js';

const STALE =
  'schemas/UserAuthenticated.v1.schema.json is stale: the zod schema changed. Run `npm run schema` and commit the result.';

describe('Function: userAuthenticatedJsonSchemaText', () => {
  it('matches the committed schemas/UserAuthenticated.v1.schema.json', () => {
    // Prepare
    const committed = readFileSync(USER_AUTHENTICATED_SCHEMA_PATH, 'utf8');

    // Act
    const generated = userAuthenticatedJsonSchemaText();

    // Assess
    // The message is the assertion's diff, so a stale file says what to do.
    expect(committed === generated ? 'up to date' : STALE).toBe('up to date');
  });

  it('describes every field of the detail as required and leaves unknown fields open', () => {
    // Prepare
    const text = userAuthenticatedJsonSchemaText();

    // Act
    const schema = JSON.parse(text) as {
      $schema: string;
      required: string[];
      additionalProperties?: unknown;
    };

    // Assess
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect([...schema.required].sort()).toStrictEqual(
      [
        'attributes',
        'authenticatedAt',
        'clientId',
        'eventId',
        'schemaVersion',
        'sub',
        'triggerSource',
        'userPoolId',
        'username',
      ].sort(),
    );
    expect(schema.additionalProperties).not.toBe(false);
  });
});

describe('Function: jsonSchemaText', () => {
  it.each(ALL_DETAIL_TYPES.map((type) => [type]))(
    'matches the committed schemas/%s.v1.schema.json',
    (detailType) => {
      // Prepare
      const committed = readFileSync(jsonSchemaPath(detailType), 'utf8');

      // Act
      const generated = jsonSchemaText(detailType);

      // Assess
      expect(committed === generated ? 'up to date' : `${detailType}: ${STALE}`).toBe('up to date');
    },
  );

  it('requires the state of the user in every lifecycle event but the deletion', () => {
    // Prepare
    const required = (type: (typeof ALL_DETAIL_TYPES)[number]): string[] =>
      (JSON.parse(jsonSchemaText(type)) as { required: string[] }).required;

    // Act
    const updated = required('UserUpdated');
    const deleted = required('UserDeleted');

    // Assess
    expect(updated).toEqual(
      expect.arrayContaining(['occurredAt', 'attributes', 'enabled', 'status', 'cause']),
    );
    expect(deleted).toEqual(expect.arrayContaining(['occurredAt', 'sub', 'userPoolId']));
    expect(deleted).not.toContain('attributes');
  });
});
