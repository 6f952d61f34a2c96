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
} as const;
