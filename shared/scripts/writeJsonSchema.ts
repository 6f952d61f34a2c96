/**
 * Writes the committed JSON Schema of every detail type of the contract from the zod schemas.
 * Run with `npm run schema`; `test/unit/shared/jsonSchema.test.ts` fails when a file is stale.
 */
import { writeFileSync } from 'node:fs';
import { jsonSchemaPath, jsonSchemaText } from '../events/jsonSchema.js';
import { ALL_DETAIL_TYPES } from '../events/syncEvent.js';

for (const detailType of ALL_DETAIL_TYPES) {
  writeFileSync(jsonSchemaPath(detailType), jsonSchemaText(detailType));
  console.log(`wrote ${jsonSchemaPath(detailType)}`);
}
