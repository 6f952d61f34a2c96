import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  USER_AUTHENTICATED_SCHEMA_PATH,
  userAuthenticatedJsonSchemaText,
} from '../../../shared/events/jsonSchema.js';

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
