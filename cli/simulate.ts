import { Logger } from '@aws-lambda-powertools/logger';
import { buildPostAuthentication } from '../local/localHandlers.js';
import { MetricTotals, RecordingMetrics } from '../local/recordingMetrics.js';
import { type SimulationResult, simulateLogins } from '../local/simulateLogins.js';
import { loadPostAuthenticationConfig } from '../services/post-authentication/config.js';
import { createPublishClients } from '../services/post-authentication/createPublishClients.js';
import { createPostAuthenticationHandler } from '../services/post-authentication/postAuthentication.js';
import type { Env } from '../shared/env.js';
import { MetricName } from '../shared/metricNames.js';
import { pipeline } from '../shared/pipeline.js';

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
 * in-process as in Lambda, against the configured endpoints: the same code path `npm start`
 * uses (`local/simulateLogins.ts`), pointed at whatever `AWS_ENDPOINT_URL` names.
 */
export const simulate = async (options: SimulateOptions): Promise<SimulateResult> => {
  const totals = new MetricTotals();
  const metrics = new RecordingMetrics({
    serviceName: 'post-authentication',
    namespace: pipeline.metricsNamespace,
    totals,
  });
  const logger = new Logger({ serviceName: 'post-authentication', logLevel: 'ERROR' });
  const trigger = options.endpoint
    ? buildPostAuthentication(
        { env: options.env, logLevel: 'ERROR', totals },
        {
          endpoint: options.endpoint,
          region: options.region,
          eventBusName: options.eventBusName,
          syncQueueUrl: options.syncQueueUrl,
        },
      )
    : awsTrigger(options, { logger, metrics });
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

/** The trigger exactly as `handler.ts` builds it in Lambda, for real AWS endpoints. */
const awsTrigger = (
  options: SimulateOptions,
  observability: { logger: Logger; metrics: RecordingMetrics },
) => {
  const config = loadPostAuthenticationConfig({
    ...options.env,
    EVENT_BUS_NAME: options.eventBusName,
    SYNC_QUEUE_URL: options.syncQueueUrl,
    AWS_REGION: options.region,
  });
  const clients = createPublishClients({ region: config.region, budgetMs: config.budgetMs });
  return {
    handler: createPostAuthenticationHandler({ config, clients, ...observability }),
    destroy() {
      clients.eventBridge.destroy();
      clients.sqs.destroy();
    },
  };
};
