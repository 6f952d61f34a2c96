import type { UserAuthenticatedV1 } from '../shared/events/userAuthenticated.js';
import { runWithConcurrency, startStopwatch } from './benchStats.js';

/** Outcome of {@link writeNaively}. */
export interface NaiveRun {
  readonly wallMs: number;
  /** Duration of each request (a "batch" of one), ms. */
  readonly requestMs: number[];
  /** Requests that answered with GraphQL errors or a non-200 status. */
  readonly failed: number;
}

/**
 * The mutation of the pattern this product replaces: the post-authentication trigger inserts
 * the user itself, one request per sign-in, and ignores conflicts. `last_seen_at` is sent too,
 * because the shipped table requires it (NOT NULL); the table is the same for every variant.
 */
export const NAIVE_MUTATION = `mutation UpsertUser($id: String!, $username: String!, $lastSeenAt: timestamptz!) {
  insert_users(
    objects: [{ id: $id, username: $username, last_seen_at: $lastSeenAt }]
    on_conflict: { constraint: users_pkey, update_columns: [] }
  ) { affected_rows }
}`;

/**
 * (a) The naive client: one Hasura request per login with `concurrency` requests in flight, as
 * concurrent trigger invocations would send them.
 *
 * @param graphqlUrl - Hasura's `/v1/graphql`.
 * @param adminSecret - sent as `x-hasura-admin-secret` (what the tutorial hard-codes).
 * @param events - the stream.
 * @param concurrency - requests in flight.
 * @default concurrency 8
 */
export const writeNaively = async (
  graphqlUrl: string,
  adminSecret: string | undefined,
  events: readonly UserAuthenticatedV1[],
  concurrency = 8,
): Promise<NaiveRun> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (adminSecret !== undefined) headers['x-hasura-admin-secret'] = adminSecret;
  const requestMs: number[] = [];
  let failed = 0;
  const watch = startStopwatch();
  await runWithConcurrency(events, concurrency, async (event) => {
    const started = performance.now();
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: NAIVE_MUTATION,
        variables: { id: event.sub, username: event.username, lastSeenAt: event.authenticatedAt },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    requestMs.push(performance.now() - started);
    if (response.status !== 200 || body.errors !== undefined) failed += 1;
  });
  return { wallMs: watch.wallMs(), requestMs, failed };
};
