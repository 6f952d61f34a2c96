import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserAuthenticatedV1Schema } from './userAuthenticated.js';

/** Where the generated JSON Schema is committed (repository root `schemas/`). */
export const USER_AUTHENTICATED_SCHEMA_PATH = fileURLToPath(
  new URL('../../schemas/UserAuthenticated.v1.schema.json', import.meta.url),
);

/**
 * The JSON Schema (draft 2020-12) of the `UserAuthenticated` v1 detail, as the text committed
 * in `schemas/`. `additionalProperties` stays open: subscribers must ignore unknown fields.
 */
export const userAuthenticatedJsonSchemaText = (): string => {
  const schema = z.toJSONSchema(UserAuthenticatedV1Schema, {
    io: 'input',
    target: 'draft-2020-12',
  });
  const document = {
    $id: 'https://cognito-hasura-sync.dev/schemas/UserAuthenticated.v1.schema.json',
    title: 'UserAuthenticated',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};
