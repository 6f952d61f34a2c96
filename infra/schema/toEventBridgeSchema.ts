/**
 * Converts a committed detail JSON Schema (`schemas/*.v1.schema.json`, draft 2020-12) into
 * the document the EventBridge schema registry accepts: JSON Schema draft 4 describing the
 * whole EventBridge event, with the contract under `detail`.
 *
 * The registry only knows `OpenApi3` and `JSONSchemaDraft4`, so keywords that draft 4 lacks are
 * rewritten (`const` → one-value `enum`, `$id` → `id`) or dropped when draft 4 has no
 * equivalent and the rest of the schema already says it (`propertyNames` of type string: object
 * keys are always strings).
 */

/** A JSON value. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
type JsonObject = { [key: string]: Json };

/** The `$schema` URI of JSON Schema draft 4. */
export const DRAFT4_SCHEMA_URI = 'http://json-schema.org/draft-04/schema#';

/** Keywords of later drafts that draft 4 does not define and that are dropped. */
const DROPPED_KEYWORDS = new Set(['propertyNames', '$comment', 'examples', 'contentMediaType']);

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rewrites one schema node (recursively) from draft 2020-12 to draft 4.
 *
 * @param node - a schema node of the detail schema.
 * @returns the equivalent draft 4 node; the input is not modified.
 */
export const toDraft4 = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(toDraft4);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || key === '$schema') continue;
    if (key === 'const') {
      out.enum = [value];
    } else if (key === '$id') {
      out.id = value;
    } else if (key === 'properties' && isObject(value)) {
      // Property names are data, not keywords: only their schemas are converted.
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, toDraft4(schema)]),
      );
    } else {
      out[key] = toDraft4(value);
    }
  }
  return out;
};

/** Options of {@link toEventBridgeSchema}. */
export interface EventBridgeSchemaOptions {
  /** The `source` of the events. */
  readonly source: string;
  /** The `detail-type` of the events. */
  readonly detailType: string;
}

/**
 * Wraps the detail schema in the EventBridge event envelope, as draft 4.
 *
 * @param detailSchema - the parsed draft 2020-12 detail schema (`schemas/*.schema.json`).
 * @param options - the events' source and detail-type, pinned in the envelope.
 * @returns the draft 4 document to register with type `JSONSchemaDraft4`.
 * @throws Error when the detail schema is not a JSON object.
 */
export const toEventBridgeSchema = (
  detailSchema: unknown,
  options: EventBridgeSchemaOptions,
): JsonObject => {
  const detail = toDraft4(detailSchema as Json);
  if (!isObject(detail)) {
    throw new Error(`The JSON Schema of ${options.detailType} must be a JSON object`);
  }
  const { id: _id, title, description, ...detailBody } = detail;
  const string: JsonObject = { type: 'string' };
  return {
    $schema: DRAFT4_SCHEMA_URI,
    title: title ?? options.detailType,
    description: description ?? `${options.detailType} event`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: string,
      id: string,
      'detail-type': { type: 'string', enum: [options.detailType] },
      source: { type: 'string', enum: [options.source] },
      account: string,
      time: { type: 'string', format: 'date-time' },
      region: string,
      resources: { type: 'array', items: string },
      detail: detailBody,
    },
  };
};
