import { createServer } from 'node:http';
import { listenOnLoopback } from '../test/helpers/loopbackServer.js';

/** A GraphQL endpoint that answers every insert at once ({@link startInstantHasura}). */
export interface InstantHasura {
  readonly graphqlUrl: string;
  requestCount(): number;
  stop(): Promise<void>;
}

/** Every `id` found in the request's variables (arrays of row objects, or single objects). */
const collectIds = (value: unknown, ids: string[]): void => {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, ids);
  } else if (typeof value === 'object' && value !== null) {
    const row = value as Record<string, unknown>;
    if (typeof row.id === 'string') ids.push(row.id);
    else for (const nested of Object.values(row)) collectIds(nested, ids);
  }
};

const ALIASED_INSERT_ONE = /(\w+)\s*:\s*insert_\w+_one\b/g;
const INSERT_MANY = /(?:(\w+)\s*:\s*)?(insert_\w+?)(?!_one)\s*\(/;

/**
 * The success body Hasura would send for the request: `insert_<t>` answers what the query
 * selects of `affected_rows` (every row sent, nothing skipped) and `returning { id }` (every id
 * sent); aliased `insert_<t>_one` fields (the consumer's `where` mode) each answer `{ id }`, in
 * the order of the ids in the variables.
 */
export const cannedInsertAnswer = (body: string): string => {
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return JSON.stringify({
      errors: [{ message: 'invalid json', extensions: { code: 'invalid-json', path: '$' } }],
    });
  }
  const query = typeof request.query === 'string' ? request.query : '';
  const ids: string[] = [];
  collectIds(request.variables, ids);
  const aliases = [...query.matchAll(ALIASED_INSERT_ONE)].map((match) => match[1] ?? '');
  if (aliases.length > 0) {
    const data: Record<string, unknown> = {};
    aliases.forEach((alias, index) => {
      data[alias] = { id: ids[index] ?? alias, __typename: 'users' };
    });
    return JSON.stringify({ data });
  }
  const many = INSERT_MANY.exec(query);
  const field = many?.[1] ?? many?.[2] ?? 'insert_users';
  const answer: Record<string, unknown> = {};
  if (/\baffected_rows\b/.test(query)) answer.affected_rows = ids.length;
  if (/\breturning\b/.test(query)) answer.returning = ids.map((id) => ({ id }));
  return JSON.stringify({ data: { [field]: answer } });
};

/**
 * Starts a server on a free loopback port that answers every POST to `/v1/graphql` at once with
 * {@link cannedInsertAnswer}: a Hasura with zero cost, to measure the consumer's own CPU.
 */
export const startInstantHasura = async (): Promise<InstantHasura> => {
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const text = cannedInsertAnswer(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  const { port, stop } = await listenOnLoopback(server);
  return {
    graphqlUrl: `http://127.0.0.1:${port}/v1/graphql`,
    requestCount: () => requests,
    stop,
  };
};
