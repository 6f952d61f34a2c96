/**
 * Writes the committed JSON Schema of `UserAuthenticated` v1 from the zod schema.
 * Run with `npm run schema`; `test/unit/shared/jsonSchema.test.ts` fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import {
  USER_AUTHENTICATED_SCHEMA_PATH,
  userAuthenticatedJsonSchemaText,
} from '../events/jsonSchema.js';

writeFileSync(USER_AUTHENTICATED_SCHEMA_PATH, userAuthenticatedJsonSchemaText());
console.log(`wrote ${USER_AUTHENTICATED_SCHEMA_PATH}`);
