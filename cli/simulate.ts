import {
  composePostAuthentication,
  POST_AUTHENTICATION_SERVICE,
} from '../services/post-authentication/compose.js';
import type { Env } from '../shared/env.js';
import { MetricName } from '../shared/metricNames.js';
import { createLogger } from '../shared/observability.js';
import { MetricTotals, RecordingMetrics } from '../shared/recordingMetrics.js';
import { localCredentials } from './localCredentials.js';
import { type SimulationResult, simulateLogins } from './simulateLogins.js';

/** Options of {@link simulate}. */
export interface SimulateOptions {
  readonly logins: number;
  readonly users: number;
  /** Bus the trigger publishes to. */
  readonly eventBusName: string;
  /** Sync queue URL, the trigger's fallback. */
  readonly syncQueueUrl: string;
  readonly region: string;
  /**
   * AWS endpoint (moto, LocalStack).
   * @default - the SDK's own resolution (AWS)
   */
  readonly endpoint?: string;
  /**
   * Sign-ins in flight at once.
   * @default 20
   */
  readonly concurrency?: number;
  /**
   * User pool id written into the simulated trigger events.
   * @default - simulateLogins' local pool id
   */
  readonly userPoolId?: string;
  /** The services' settings (`PUBLISH_BUDGET_MS`, `PUBLISHED_ATTRIBUTES`, `EVENT_SOURCE`). */
  readonly env: Env;
  readonly signal?: AbortSignal;
  readonly onProgress?: (completed: number, total: number) => void;
}

/** What {@link simulate} reports. */
export interface SimulateResult {
  readonly logins: number;
  readonly users: number;
  /** Events EventBridge accepted. */
  readonly published: number;
  /** Events that went to the sync queue because EventBridge failed. */
  readonly fallback: number;
  /** Events lost (both paths failed); `backfill` repairs them. */
  readonly failed: number;
  readonly durationMs: number;
  /** What each simulated user waited for in the trigger, in milliseconds. */
  readonly triggerLatencyMs: SimulationResult['handlerLatencyMs'];
}

/**
 * Drives `logins` sign-ins of `users` users through the REAL post-authentication trigger, built
 * in-process by `composePostAuthentication` as in Lambda, against the configured endpoints: the
 * same code path `npm start` uses, pointed at whatever `AWS_ENDPOINT_URL` names.
 */
export const simulate = async (options: SimulateOptions): Promise<SimulateResult> => {
  const totals = new MetricTotals();
  const trigger = composePostAuthentication({
    env: {
      ...options.env,
      EVENT_BUS_NAME: options.eventBusName,
      SYNC_QUEUE_URL: options.syncQueueUrl,
      AWS_REGION: options.region,
    },
    // A local endpoint takes dummy credentials when the environment has none (moto accepts any).
    ...(options.endpoint ? { endpoint: options.endpoint, ...localCredentials(options.env) } : {}),
    logger: createLogger(POST_AUTHENTICATION_SERVICE, { logLevel: 'ERROR' }),
    metrics: new RecordingMetrics({ serviceName: POST_AUTHENTICATION_SERVICE, totals }),
  });
  try {
    const result = await simulateLogins({
      handler: trigger.handler,
      logins: options.logins,
      users: options.users,
      concurrency: options.concurrency ?? 20,
      region: options.region,
      ...(options.userPoolId ? { userPoolId: options.userPoolId } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return {
      logins: result.logins,
      users: result.users.length,
      published: totals.get(MetricName.Published),
      fallback: totals.get(MetricName.FallbackUsed),
      failed: totals.get(MetricName.PublishFailed) + totals.get(MetricName.InvalidTrigger),
      durationMs: result.durationMs,
      triggerLatencyMs: result.handlerLatencyMs,
    };
  } finally {
    trigger.destroy();
  }
};
