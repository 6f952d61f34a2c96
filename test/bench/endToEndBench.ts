import { fetchSyncedUsers } from '../../local/hasuraTarget.js';
import { simulateLogins, unsyncedUsers } from '../../local/simulateLogins.js';
import { startLocalStack } from '../../local/stack.js';
import { resetBenchSchema } from './benchSchema.js';
import { round, sampleRss, sleep } from './benchStats.js';

/** Results of {@link benchEndToEnd}. */
export interface EndToEndResults {
  readonly logins: number;
  readonly users: number;
  /** Where the engine kept the rows. */
  readonly database: string;
  /** Logins per second from the first trigger call to the last row written. */
  readonly logins_per_s: number;
  /** Logins per second the trigger published (moto's EventBridge is the bottleneck here). */
  readonly published_per_s: number;
  /** Sync lag (authenticatedAt → batch written), per record. */
  readonly lag_p50_ms: number;
  readonly lag_p99_ms: number;
  readonly trigger_p50_ms: number;
  readonly trigger_p99_ms: number;
  readonly users_synced: number;
  readonly hasura_requests: number;
  readonly fallback: number;
  readonly peak_rss_mib: number;
}

/** The schema of the end-to-end run (never `public`). */
const E2E_SCHEMA = 'bench_end_to_end';

/**
 * End to end on the local stack (`startLocalStack`: moto, the engine on the same PostgreSQL,
 * the poller with the pipeline's batch settings, the real handlers): `simulateLogins` drives
 * sign-ins through the real trigger; the clock stops when every user's newest sign-in is in
 * the table.
 *
 * @param scale - 1 for 5,000 logins by 1,000 users, 0.1 for `--quick`.
 * @param databaseUrl - the PostgreSQL server; PGlite when undefined.
 */
export const benchEndToEnd = async (
  scale: number,
  databaseUrl: string | undefined = process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test',
): Promise<EndToEndResults> => {
  const logins = Math.max(500, Math.round(5000 * scale));
  const users = Math.max(100, Math.round(1000 * scale));
  if (databaseUrl !== undefined) await resetBenchSchema(databaseUrl, E2E_SCHEMA);
  const stack = await startLocalStack({
    ...(databaseUrl === undefined ? {} : { databaseUrl, databaseSchema: E2E_SCHEMA }),
    consumer: { waitTimeSeconds: 2 },
    exampleSubscriber: false,
    logLevel: 'ERROR',
  });
  const rss = sampleRss(100);
  try {
    const started = performance.now();
    const simulation = await simulateLogins({
      handler: stack.postAuthentication,
      logins,
      users,
      concurrency: 20,
    });
    const publishedMs = performance.now() - started;
    let synced = 0;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const rows = await fetchSyncedUsers(stack.hasura);
      const missing = unsyncedUsers(simulation, rows).length;
      synced = simulation.users.length - missing;
      if (missing === 0 || Date.now() > deadline) break;
      await sleep(100);
    }
    const wallMs = performance.now() - started;
    const snapshot = stack.recorder.snapshot();
    return {
      logins,
      users: simulation.users.length,
      database: databaseUrl === undefined ? 'PGlite' : `PostgreSQL, schema ${E2E_SCHEMA}`,
      logins_per_s: Math.round(logins / (wallMs / 1000)),
      published_per_s: Math.round(logins / (publishedMs / 1000)),
      lag_p50_ms: round(snapshot.syncLagMs.p50, 0),
      lag_p99_ms: round(snapshot.syncLagMs.p99, 0),
      trigger_p50_ms: round(simulation.handlerLatencyMs.p50, 1),
      trigger_p99_ms: round(simulation.handlerLatencyMs.p99, 1),
      users_synced: synced,
      hasura_requests: snapshot.engineRequests ?? snapshot.hasuraRequests,
      fallback: snapshot.fallback,
      peak_rss_mib: rss.stop(),
    };
  } finally {
    rss.stop();
    await stack.stop();
  }
};
