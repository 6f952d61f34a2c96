import { fetchSyncedUsers } from '../local/hasuraTarget.js';
import { queueDepth } from '../local/queueDepth.js';
import { startLocalStack } from '../local/stack.js';
import { driveLogins } from '../test/faults/driveLogins.js';
import { compareWithNewest, dropLocalArchive } from '../test/faults/faultHelpers.js';
import { resetBenchSchema } from './benchSchema.js';
import { round, sampleRss, sleep, summarize } from './benchStats.js';
import { BENCH_USER_POOL_ID } from './loginStream.js';

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
  /** Sign-ins whose publish the trigger could not confirm within its budget (PublishFailed). */
  readonly publish_failed: number;
  readonly hasura_requests: number;
  readonly fallback: number;
  readonly peak_rss_mib: number;
}

/** The schema of the end-to-end run (never `public`). */
const E2E_SCHEMA = 'bench_end_to_end';

/** Most messages allowed to wait in the sync queue before sign-ins are held back. */
const MAX_BACKLOG = 200;

/**
 * End to end on the local stack (`startLocalStack`: moto, the engine on the same PostgreSQL,
 * the poller with the pipeline's batch settings, the real handlers): sign-ins through the real
 * trigger (`driveLogins`, 8 in flight), held back while more than 200 messages wait in the sync
 * queue — moto's `ReceiveMessage` scans the whole queue, so an unbounded backlog would measure
 * moto's slowdown, not the pipeline. The clock stops when every user's row holds its newest
 * event (or when the queue stayed idle for 2 s). The local archive is deleted first (moto's
 * archive makes PutEvents slower with every archived event).
 *
 * @param scale - 1 for 5,000 logins by 1,000 users, 0.1 for `--quick` (500 by 100).
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
    // The bench's sign-ins come from its own pool; the consumer applies only the pools it lists.
    env: { USER_POOL_IDS: BENCH_USER_POOL_ID },
    // The subscriber keeps the audit queue drained: moto's SendMessage slows down with the
    // queue's depth (75 ms per message at 3,000), and every PutEvents feeds that queue too.
    exampleSubscriber: true,
    logLevel: 'SILENT',
  });
  const rss = sampleRss(100);
  try {
    await dropLocalArchive(stack);
    let checkedAt = 0;
    let backlog = 0;
    const gate = async (): Promise<void> => {
      for (;;) {
        if (Date.now() - checkedAt > 250) {
          checkedAt = Date.now();
          backlog = (await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl)).visible;
        }
        if (backlog <= MAX_BACKLOG) return;
        await sleep(100);
      }
    };
    const started = performance.now();
    const driven = await driveLogins(stack.postAuthentication, {
      logins,
      users,
      concurrency: 8,
      beforeLogin: gate,
    });
    const publishedMs = performance.now() - started;
    let synced = 0;
    let wallMs = 0;
    let idleSince: number | undefined;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const rows = new Map((await fetchSyncedUsers(stack.hasura)).map((row) => [row.id, row]));
      const matching = compareWithNewest(rows, driven.newest).matching;
      if (matching > synced || wallMs === 0) {
        synced = matching;
        wallMs = performance.now() - started;
      }
      if (matching === driven.newest.size || Date.now() > deadline) break;
      const depth = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl);
      const idle = depth.total === 0 && stack.syncPoller.stats().inFlight === 0;
      idleSince = idle ? (idleSince ?? Date.now()) : undefined;
      if (idleSince !== undefined && Date.now() - idleSince > 2000) break;
      await sleep(100);
    }
    const snapshot = stack.recorder.snapshot();
    const trigger = summarize(driven.handlerMs);
    return {
      logins,
      users: driven.newest.size,
      database: databaseUrl === undefined ? 'PGlite' : `PostgreSQL, schema ${E2E_SCHEMA}`,
      logins_per_s: Math.round(logins / (wallMs / 1000)),
      published_per_s: Math.round(logins / (publishedMs / 1000)),
      lag_p50_ms: round(snapshot.syncLagMs.p50, 0),
      lag_p99_ms: round(snapshot.syncLagMs.p99, 0),
      trigger_p50_ms: trigger.p50,
      trigger_p99_ms: trigger.p99,
      users_synced: synced,
      publish_failed: snapshot.publishFailed,
      hasura_requests: snapshot.engineRequests ?? snapshot.hasuraRequests,
      fallback: snapshot.fallback,
      peak_rss_mib: rss.stop(),
    };
  } finally {
    rss.stop();
    await stack.stop();
    // Leave the shared database as found.
    if (databaseUrl !== undefined) await resetBenchSchema(databaseUrl, E2E_SCHEMA);
  }
};
