/**
 * Child process of `bench/reconcileBench.ts`: one HTTP server that answers, instantly and from
 * memory, what reconcile calls — Cognito (ListUsers, AdminGetUser), EventBridge (PutEvents) and
 * Hasura (the users-table reads) — for a pool of `argv[2]` users with 1% missing rows, 1% stale
 * rows and a few orphaned rows. Runs apart so its CPU is not counted as reconcile's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../test/helpers/loopbackServer.js';
import { fakeUser, rowOf, toUserType } from '../test/helpers/reconcileWorld.js';

const users = Number(process.argv[2] ?? 100_000);
/** Orphaned rows: their users are not in the pool. */
const ORPHANS = 5;

const pageSize = 60;
const pages: string[] = [];
const rows = new Map<string, string>();
for (let start = 0; start < users; start += pageSize) {
  const page = [];
  for (let n = start; n < Math.min(start + pageSize, users); n += 1) {
    const user = fakeUser(n);
    page.push(toUserType(user));
    if (n % 100 === 1) continue; // missing
    const row = rowOf(user);
    if (n % 100 === 51) row.email = 'edited@example.com'; // stale
    rows.set(user.sub, JSON.stringify(row));
  }
  const next = start + pageSize < users ? { PaginationToken: String(pages.length + 1) } : {};
  pages.push(JSON.stringify({ Users: page, ...next }));
}
for (let n = 0; n < ORPHANS; n += 1) {
  const orphan = fakeUser(n, 'orphan');
  rows.set(orphan.sub, JSON.stringify(rowOf(orphan)));
}
const liveIds = [...rows.keys()].sort();

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const send = (response: ServerResponse, status: number, body: string, type: string): void => {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
};

/** The first index of `liveIds` after `after` (binary search). */
const firstAfter = (after: string): number => {
  let low = 0;
  let high = liveIds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((liveIds[mid] ?? '') <= after) low = mid + 1;
    else high = mid;
  }
  return low;
};

const graphql = (variables: Record<string, unknown>): string => {
  if (Array.isArray(variables.subs)) {
    const found = (variables.subs as string[]).flatMap((sub) => rows.get(sub) ?? []);
    return `{"data":{"rows":[${found.join(',')}]}}`;
  }
  const start = firstAfter(String(variables.after ?? ''));
  const page = liveIds.slice(start, start + Number(variables.limit ?? 1000)).map((id) => {
    const row = JSON.parse(rows.get(id) ?? '{}') as { id: string; username: string };
    return { id: row.id, username: row.username };
  });
  return JSON.stringify({ data: { rows: page } });
};

const server = createServer(async (request, response) => {
  const body = await readBody(request);
  if (request.url?.startsWith('/v1/graphql')) {
    const { variables } = JSON.parse(body) as { variables: Record<string, unknown> };
    send(response, 200, graphql(variables), 'application/json');
    return;
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  const input = JSON.parse(body) as Record<string, unknown>;
  const json = 'application/x-amz-json-1.1';
  if (target.endsWith('.ListUsers')) {
    send(response, 200, pages[Number(input.PaginationToken ?? 0)] ?? '{"Users":[]}', json);
  } else if (target.endsWith('.AdminGetUser')) {
    send(
      response,
      400,
      '{"__type":"UserNotFoundException","message":"User does not exist."}',
      json,
    );
  } else if (target.endsWith('.DescribeUserPool')) {
    send(response, 200, JSON.stringify({ UserPool: { EstimatedNumberOfUsers: users } }), json);
  } else if (target === 'AWSEvents.PutEvents') {
    const entries = (input.Entries as unknown[]).map((_, i) => ({ EventId: `e-${i}` }));
    send(response, 200, JSON.stringify({ FailedEntryCount: 0, Entries: entries }), json);
  } else {
    send(response, 400, JSON.stringify({ __type: 'UnknownOperationException' }), json);
  }
});
server.keepAliveTimeout = 60_000;
const { port } = await listenOnLoopback(server);
process.send?.({ type: 'ready', endpoint: `http://127.0.0.1:${port}` });
process.on('disconnect', () => process.exit(0));
