import { SIMULATED_USER_POOL_ID } from '../cli/simulateLogins.js';

/**
 * Settings where the local stack departs from `shared/pipeline.ts` on purpose, in one place
 * (docs/local-stack.md explains each). Everything else comes from the shared definition.
 */
export const LOCAL_SETTINGS = {
  /** Region of every local resource; moto accepts any. */
  region: 'us-east-1',
  /** Admin secret of the embedded engine (override with `HASURA_ADMIN_SECRET`). */
  adminSecret: 'local-admin-secret',
  /**
   * Visibility timeout of the local sync queue, seconds (AWS: 180 s, six times the consumer
   * timeout). Short, so failed records come back within seconds and reach the DLQ after
   * `maxReceiveCount` receives in well under a minute. A batch that runs longer than this may be
   * delivered twice; newest-wins makes the duplicate harmless.
   */
  visibilityTimeoutSeconds: 10,
  /** The user pool of the simulated sign-ins (`simulate`, `npm start`); no such pool exists. */
  simulatedUserPoolId: SIMULATED_USER_POOL_ID,
  /**
   * Name of the Cognito user pool the local stack creates in moto (as the CDK stack creates one
   * when no `userPoolId` is given), so `backfill` and `reconcile` have a pool whose events the
   * consumer applies.
   */
  userPoolName: 'cognito-hasura-sync-local',
} as const;
