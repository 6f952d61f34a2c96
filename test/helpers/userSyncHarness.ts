import { composeUserSync } from '../../services/user-sync/compose.js';
import type { UserSyncHandler } from '../../services/user-sync/createUserSyncHandler.js';
import { userDetail } from '../fixtures/sqs/sqsFactories.js';
import type { FakeHasura } from './fakeHasuraServer.js';
import { recordingLogger, recordingMetrics } from './testDoubles.js';

/** The admin secret the tests configure; it must never show up outside the request header. */
export const ADMIN_SECRET = 'test-admin-secret-Zq7x!';

/** A consumer wired to a fake Hasura, with recording logger and metrics. */
export interface Harness {
  readonly sync: UserSyncHandler;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly metrics: ReturnType<typeof recordingMetrics>;
}

/**
 * Builds the consumer with `composeUserSync`, as handler.ts does, from an environment, against `fake`.
 * Retry delays are tiny so that tests run fast; `env` overrides any variable.
 */
export const consumerFor = (fake: FakeHasura, env: Record<string, string> = {}): Harness => {
  const logger = recordingLogger();
  const metrics = recordingMetrics();
  const { handler } = composeUserSync({
    env: {
      HASURA_GRAPHQL_ENDPOINT: fake.url,
      HASURA_ADMIN_SECRET: ADMIN_SECRET,
      // The pool of the documented event fixture, which every factory record carries.
      USER_POOL_IDS: userDetail().userPoolId,
      HASURA_RETRY_BASE_DELAY_MS: '5',
      HASURA_RETRY_MAX_DELAY_MS: '40',
      SYNC_TIME_SAFETY_MARGIN_MS: '200',
      HASURA_REQUEST_TIMEOUT_MS: '1000',
      ...env,
    },
    logger,
    metrics,
  });
  return { sync: handler, logger, metrics };
};
