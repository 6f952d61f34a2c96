import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { pipeline } from '../pipeline.js';
import { DETAIL_SCHEMAS_V1, type DetailType } from './syncEvent.js';

/** Where the generated JSON Schema of a detail type is committed (repository root `schemas/`). */
export const jsonSchemaPath = (detailType: DetailType): string =>
  fileURLToPath(new URL(`../../schemas/${detailType}.v1.schema.json`, import.meta.url));

/** Where the generated JSON Schema of `UserAuthenticated` v1 is committed. */
export const USER_AUTHENTICATED_SCHEMA_PATH = jsonSchemaPath(pipeline.detailTypes.authenticated);

/**
 * The JSON Schema (draft 2020-12) of a detail type's v1 detail, as the text committed in
 * `schemas/`. `additionalProperties` stays open: subscribers must ignore unknown fields.
 */
export const jsonSchemaText = (detailType: DetailType): string => {
  const schema = z.toJSONSchema(DETAIL_SCHEMAS_V1[detailType], {
    io: 'input',
    target: 'draft-2020-12',
  });
  const document = {
    $id: `https://cognito-hasura-sync.dev/schemas/${detailType}.v1.schema.json`,
    title: detailType,
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};

/** The JSON Schema text of `UserAuthenticated` v1 (see {@link jsonSchemaText}). */
export const userAuthenticatedJsonSchemaText = (): string =>
  jsonSchemaText(pipeline.detailTypes.authenticated);
