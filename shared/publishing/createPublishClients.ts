import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PUBLISH_MAX_ATTEMPTS, publishTimeouts } from './publishBudget.js';

/** The two clients the trigger publishes with. Create them once per container. */
export interface PublishClients {
  /** Publishes to the bus (PutEvents). */
  readonly eventBridge: EventBridgeClient;
  /** Sends the fallback message to the sync queue (SendMessage). */
  readonly sqs: SQSClient;
}

/** An endpoint per client; a missing one falls back to the SDK's own configuration. */
export interface PublishEndpoints {
  /** @default - the SDK's own configuration */
  readonly eventBridge?: string;
  /** @default - the SDK's own configuration */
  readonly sqs?: string;
}

/** Options of {@link createPublishClients}. */
export interface PublishClientsOptions {
  /** The clients' region. */
  readonly region: string;
  /** The trigger's publish budget; sets the per-attempt timeouts. */
  readonly budgetMs: number;
  /**
   * An explicit endpoint (the local stack runs several in one process): one for both clients,
   * or one per service (a fault test sends PutEvents to a fake and SendMessage to moto).
   * @default - the SDK's own configuration: `AWS_ENDPOINT_URL`, or AWS
   */
  readonly endpoint?: string | PublishEndpoints;
  /**
   * Static credentials (moto accepts any).
   * @default - the SDK's default credential chain
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Builds the EventBridge and SQS clients with bounded HTTP timeouts and at most
 * {@link PUBLISH_MAX_ATTEMPTS} attempts. Without `endpoint`, the SDK's own configuration
 * applies: `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_EVENTBRIDGE` / `AWS_ENDPOINT_URL_SQS`)
 * points the clients at moto, LocalStack or AWS without code changes.
 *
 * @example
 * const clients = createPublishClients({ region: 'eu-west-1', budgetMs: 1000 });
 */
export const createPublishClients = (options: PublishClientsOptions): PublishClients => {
  const timeouts = publishTimeouts(options.budgetMs);
  const config = {
    region: options.region,
    maxAttempts: PUBLISH_MAX_ATTEMPTS,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  const endpoints: PublishEndpoints =
    typeof options.endpoint === 'string'
      ? { eventBridge: options.endpoint, sqs: options.endpoint }
      : (options.endpoint ?? {});
  const endpointOf = (endpoint: string | undefined) => (endpoint === undefined ? {} : { endpoint });
  // Options, not a NodeHttpHandler: the SDK builds its own handler from them, one per client.
  const requestHandler = () => ({
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // Without it a breached requestTimeout is only a warning and the request keeps waiting.
    throwOnRequestTimeout: true,
  });
  return {
    eventBridge: new EventBridgeClient({
      ...config,
      ...endpointOf(endpoints.eventBridge),
      requestHandler: requestHandler(),
    }),
    sqs: new SQSClient({
      ...config,
      ...endpointOf(endpoints.sqs),
      requestHandler: requestHandler(),
    }),
  };
};
