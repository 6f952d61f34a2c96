import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { type HasuraEngine, startHasuraEngine } from '../../engine/src/server.js';
import { post, UPSERT_USERS, userRow } from '../../engine/test/unit/helpers.js';
import { composeUserSync } from '../../services/user-sync/compose.js';
import type { UserSyncHandler } from '../../services/user-sync/createUserSyncHandler.js';
import { systemClock } from '../../services/user-sync/retryTransient.js';
import { loginRecords, sqsEvent, userDetail } from '../fixtures/sqs/sqsFactories.js';
import { lambdaContext } from '../helpers/lambdaContexts.js';
import { recordingLogger, recordingMetrics } from '../helpers/testDoubles.js';

jest.setTimeout(120_000);

const ADMIN_SECRET = 'it-contention-secret';
const admin = { 'x-hasura-admin-secret': ADMIN_SECRET };

/** Hasura's answer to a mutation that waited longer than `lock_timeout` for a row lock. */
const lockTimeoutAnswer = (root: string) => ({
  status: 200,
  body: {
    errors: [
      {
        message: 'database query error',
        extensions: {
          path: `$.selectionSet.${root}.args.objects`,
          code: 'unexpected',
          internal: {
            statement: expect.stringContaining('INSERT INTO'),
            arguments: expect.any(Array),
            prepared: false,
            error: {
              exec_status: 'FatalError',
              status_code: '55P03',
              message: 'canceling statement due to lock timeout',
              description: null,
              hint: null,
            },
          },
        },
      },
    ],
  },
});

/**
 * The consumer as the Lambda runs it, against `graphqlUrl`; `beforeBackoff` runs before each
 * backoff sleep (the test releases the lock there, between two attempts).
 */
const consumerOn = (
  graphqlUrl: string,
  beforeBackoff: () => Promise<void>,
): { sync: UserSyncHandler; logger: ReturnType<typeof recordingLogger> } => {
  const logger = recordingLogger();
  const clock = {
    ...systemClock,
    sleep: async (ms: number) => {
      await beforeBackoff();
      await systemClock.sleep(ms);
    },
  };
  const { handler: sync } = composeUserSync({
    env: {
      HASURA_GRAPHQL_ENDPOINT: graphqlUrl,
      HASURA_ADMIN_SECRET: ADMIN_SECRET,
      USER_POOL_IDS: userDetail().userPoolId,
      HASURA_RETRY_BASE_DELAY_MS: '20',
      HASURA_RETRY_MAX_DELAY_MS: '100',
      SYNC_TIME_SAFETY_MARGIN_MS: '500',
      HASURA_REQUEST_TIMEOUT_MS: '5000',
    },
    logger,
    metrics: recordingMetrics(),
    clock,
  });
  return { sync, logger };
};

/** The retry warnings the consumer logged, as their structured fields. */
const retries = (logger: ReturnType<typeof recordingLogger>): unknown[] =>
  logger.lines.filter((line) => line.level === 'warn').flatMap((line) => line.extra);

describe('Function: createUserSyncHandler (a lock timeout of the database, through the engine)', () => {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = `it_contention_${process.pid}`;
  let engine: HasuraEngine;

  beforeAll(async () => {
    engine = await startHasuraEngine({ databaseUrl, schema, adminSecret: ADMIN_SECRET });
    // PGlite has one connection, so no second one can hold a lock: a trigger reports the lock
    // timeout the server would (SQLSTATE 55P03) while a row of `lock_held` exists.
    await engine.sql('CREATE TABLE lock_held (since timestamptz NOT NULL DEFAULT now())');
    await engine.sql(`CREATE FUNCTION report_lock_timeout() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM lock_held) THEN
          RAISE EXCEPTION 'canceling statement due to lock timeout' USING ERRCODE = 'lock_not_available';
        END IF;
        RETURN NEW;
      END $$`);
    await engine.sql(
      'CREATE TRIGGER report_lock_timeout BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION report_lock_timeout()',
    );
  });
  afterAll(async () => {
    if (databaseUrl !== undefined) {
      await engine.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await engine.stop();
  });

  it("answers in Hasura's shape, and the consumer retries and writes the batch once it passes", async () => {
    // Prepare
    await engine.sql('INSERT INTO lock_held DEFAULT VALUES');
    const direct = await post(
      engine.graphqlUrl,
      {
        query: UPSERT_USERS,
        variables: { objects: [userRow('x-1', '2026-01-01T00:00:00Z', 'e')] },
      },
      admin,
    );
    const { sync, logger } = consumerOn(engine.graphqlUrl, async () => {
      await engine.sql('DELETE FROM lock_held');
    });
    const requestsBefore = engine.requestCount();

    // Act
    const result = await sync(sqsEvent(loginRecords(5, 'pglite')), lambdaContext(30_000));

    // Assess
    const written = await engine.sql<{ id: string }>(
      `SELECT id FROM users WHERE id LIKE 'user-%' ORDER BY id`,
    );
    expect(direct).toEqual(lockTimeoutAnswer('insert_users'));
    expect(result.batchItemFailures).toEqual([]);
    expect(engine.requestCount() - requestsBefore).toBe(2);
    expect(written.map((row) => row.id)).toEqual([
      'user-0',
      'user-1',
      'user-2',
      'user-3',
      'user-4',
    ]);
    expect(retries(logger)).toEqual([
      expect.objectContaining({ failureClass: 'ambiguous', code: 'unexpected', sqlState: '55P03' }),
    ]);
  });
});

// A second connection holding a row lock needs a real server: this part exists only in the
// PostgreSQL run (DATABASE_URL set, as CI runs the integration tests).
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl !== undefined) {
  describe('Function: createUserSyncHandler (a row lock held by another PostgreSQL connection)', () => {
    const role = `it_contention_role_${process.pid}`;
    const schema = `it_contention_lock_${process.pid}`;
    const superuser = new pg.Client({ connectionString: databaseUrl });
    const holder = new pg.Client({ connectionString: databaseUrl });
    let engine: HasuraEngine;

    beforeAll(async () => {
      await superuser.connect();
      await holder.connect();
      // The engine's connections log in as a role of this test whose lock_timeout is short:
      // no other test's sessions are touched.
      await superuser.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await superuser.query(`DROP ROLE IF EXISTS "${role}"`);
      // A superuser like the one the engine uses elsewhere (it shares the hdb_catalog schema).
      await superuser.query(`CREATE ROLE "${role}" LOGIN SUPERUSER`);
      await superuser.query(`ALTER ROLE "${role}" SET lock_timeout = '300ms'`);
      const engineUrl = new URL(databaseUrl);
      engineUrl.username = role;
      engineUrl.password = '';
      engine = await startHasuraEngine({
        databaseUrl: engineUrl.toString(),
        schema,
        adminSecret: ADMIN_SECRET,
      });
      await engine.sql(
        `INSERT INTO users (id, username, last_seen_at, last_event_id) VALUES ('user-0', 'before', '2020-01-01T00:00:00Z', 'old')`,
      );
    });
    afterAll(async () => {
      try {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
        // undefined when beforeAll failed before the engine started
        await engine?.stop();
        await superuser.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await superuser.query(`DROP OWNED BY "${role}"`);
        await superuser.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await superuser.end();
      }
    });

    it("answers a real lock timeout in Hasura's shape, and the consumer retries and succeeds once the lock is released", async () => {
      // Prepare
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM "${schema}".users WHERE id = 'user-0' FOR UPDATE`);
      const direct = await post(
        engine.graphqlUrl,
        {
          query: UPSERT_USERS,
          variables: { objects: [userRow('user-0', '2026-01-01T00:00:00Z', 'direct')] },
        },
        admin,
      );
      let released = false;
      const { sync, logger } = consumerOn(engine.graphqlUrl, async () => {
        if (!released) await holder.query('COMMIT');
        released = true;
      });

      // Act
      const result = await sync(sqsEvent(loginRecords(3)), lambdaContext(30_000));

      // Assess
      const [row] = await engine.sql<{ username: string; last_event_id: string }>(
        `SELECT username, last_event_id FROM users WHERE id = 'user-0'`,
      );
      expect(direct).toEqual(lockTimeoutAnswer('insert_users'));
      expect(released).toBe(true);
      expect(result.batchItemFailures).toEqual([]);
      expect(row).toEqual({ username: 'user0', last_event_id: 'evt-m-0' });
      expect(retries(logger)).toEqual([
        expect.objectContaining({
          failureClass: 'ambiguous',
          code: 'unexpected',
          sqlState: '55P03',
        }),
      ]);
    });
  });
}
