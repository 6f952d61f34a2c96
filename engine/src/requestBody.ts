/**
 * Reads and checks a request body as Hasura does: size limit, JSON syntax, and for
 * `/v1/graphql` the `{query, variables, operationName}` shape. Failures become Hasura's
 * HTTP 400 answers (`invalid-json`, `parse-failed`), never an exception.
 */
import type { IncomingMessage } from 'node:http';
import { apiErrorBody, graphqlErrorBody, HasuraError } from './errors.js';
import type { GraphqlRequest } from './executor.js';

/** The outcome of {@link readJsonBody}. */
export type BodyResult =
  | { ok: true; json: unknown; request: GraphqlRequest }
  | { ok: false; status: number; error: unknown };

const fail = (mode: 'graphql' | 'api', status: number, error: HasuraError): BodyResult => ({
  ok: false,
  status,
  error: mode === 'graphql' ? graphqlErrorBody([error]) : apiErrorBody(error),
});

const readRaw = (req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const typeName = (value: unknown): string => {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  const type = typeof value;
  return type === 'object' ? 'Object' : type.charAt(0).toUpperCase() + type.slice(1);
};

/** Reads the body of `req`; `graphql` mode also checks the GraphQL request shape. */
export const readJsonBody = async (
  req: IncomingMessage,
  maxBytes: number,
  mode: 'graphql' | 'api',
): Promise<BodyResult> => {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return fail(mode, 413, new HasuraError('bad-request', 'request body is too large', '$'));
  }
  const raw = await readRaw(req, maxBytes);
  if (raw === 'too-large') {
    return fail(mode, 413, new HasuraError('bad-request', 'request body is too large', '$'));
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return fail(
      mode,
      400,
      new HasuraError('invalid-json', 'Error in $: Failed reading: not a valid json value', '$'),
    );
  }
  if (mode === 'api') return { ok: true, json, request: { query: '' } };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(
      mode,
      400,
      new HasuraError(
        'parse-failed',
        `Error in $: parsing GQLReq failed, expected Object, but encountered ${typeName(json)}`,
        '$',
      ),
    );
  }
  const { query, variables, operationName } = json as Record<string, unknown>;
  if (query === undefined) {
    return fail(
      mode,
      400,
      new HasuraError('parse-failed', 'Error in $: key "query" not found', '$'),
    );
  }
  if (typeof query !== 'string') {
    return fail(
      mode,
      400,
      new HasuraError(
        'parse-failed',
        `Error in $.query: parsing Text failed, expected String, but encountered ${typeName(query)}`,
        '$.query',
      ),
    );
  }
  if (variables !== undefined && variables !== null && typeName(variables) !== 'Object') {
    return fail(
      mode,
      400,
      new HasuraError(
        'parse-failed',
        `Error in $.variables: parsing HashMap failed, expected Object, but encountered ${typeName(variables)}`,
        '$.variables',
      ),
    );
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return fail(
      mode,
      400,
      new HasuraError(
        'parse-failed',
        'Error in $.operationName: expected String',
        '$.operationName',
      ),
    );
  }
  return {
    ok: true,
    json,
    request: {
      query,
      variables: (variables ?? null) as Record<string, unknown> | null,
      operationName: (operationName ?? null) as string | null,
    },
  };
};
