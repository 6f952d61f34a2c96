import type { Env } from '../env.js';
import { serviceObservability } from '../observability.js';
import type { ServiceLogger, ServiceMetrics } from '../observabilityPorts.js';
import {
  createPublishClients,
  type PublishClients,
  type PublishClientsOptions,
} from './createPublishClients.js';
import type { CognitoTriggerHandler, PublishingTriggerDeps } from './createPublishingTrigger.js';
import type { TriggerPublishConfig } from './publishConfig.js';

/**
 * Options of a publishing trigger's composition root (`composePostAuthentication`,
 * `composePostConfirmation`): the environment, and what a caller outside Lambda (the local
 * stack, `simulate`, tests, benchmarks) puts in place of the defaults.
 */
export interface PublishingTriggerComposeOptions {
  /** The variables read by the trigger's config loader (`process.env` in Lambda). */
  readonly env: Env;
  /**
   * Where the clients send their requests; ignored when `clients` is given.
   * @default - the SDK's own configuration: `AWS_ENDPOINT_URL`, or AWS
   */
  readonly endpoint?: PublishClientsOptions['endpoint'];
  /**
   * Static credentials of the clients (moto accepts any); ignored when `clients` is given.
   * @default - the SDK's default credential chain
   */
  readonly credentials?: PublishClientsOptions['credentials'];
  /**
   * The EventBridge and SQS clients; the caller owns them (`destroy()` leaves them open).
   * @default - `createPublishClients` with the configured region and budget
   */
  readonly clients?: PublishClients;
  /** @default createLogger(<service name>) */
  readonly logger?: ServiceLogger;
  /** @default createMetrics(<service name>) */
  readonly metrics?: ServiceMetrics;
  /**
   * The clock, epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** A trigger a composition root built, and what it was built from. */
export interface ComposedPublishingTrigger {
  readonly handler: CognitoTriggerHandler;
  readonly config: TriggerPublishConfig;
  readonly clients: PublishClients;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
  /** Closes the clients this function created (not those passed in `clients`). */
  destroy(): void;
}

/** What differs between the publishing triggers' composition roots. */
export interface PublishingTriggerRecipe {
  /** The service's name: its logger's `service`, its metrics' `service` dimension. */
  readonly serviceName: string;
  /** The trigger's config loader; throws naming the variable. */
  readonly loadConfig: (env: Env) => TriggerPublishConfig;
  /** The trigger's core. */
  readonly createHandler: (deps: PublishingTriggerDeps) => CognitoTriggerHandler;
}

/**
 * Wires a publishing trigger, the one way both triggers are wired: configuration from `env`
 * (a missing or invalid variable throws, naming it), the publish clients with timeouts from the
 * budget, logger and metrics, then the trigger's core.
 *
 * @throws {@link ConfigurationError} naming the variable that is missing or invalid.
 */
export const composePublishingTrigger = (
  recipe: PublishingTriggerRecipe,
  options: PublishingTriggerComposeOptions,
): ComposedPublishingTrigger => {
  const config = recipe.loadConfig(options.env);
  const clients =
    options.clients ??
    createPublishClients({
      region: config.region,
      budgetMs: config.budgetMs,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  const { logger, metrics } = serviceObservability(recipe.serviceName, options);
  const handler = recipe.createHandler({
    config,
    clients,
    logger,
    metrics,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const owned = options.clients === undefined;
  return {
    handler,
    config,
    clients,
    logger,
    metrics,
    destroy() {
      if (!owned) return;
      clients.eventBridge.destroy();
      clients.sqs.destroy();
    },
  };
};
