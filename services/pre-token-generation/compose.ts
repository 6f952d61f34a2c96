import type { Env } from '../../shared/env.js';
import { serviceObservability } from '../../shared/observability.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { loadPreTokenGenerationConfig, type PreTokenGenerationConfig } from './config.js';
import {
  createPreTokenGenerationHandler,
  type PreTokenGenerationHandler,
} from './createPreTokenGenerationHandler.js';

/** The service's name: its logger's `service`, its metrics' `service` dimension. */
export const PRE_TOKEN_GENERATION_SERVICE = 'pre-token-generation';

/** Options of {@link composePreTokenGeneration}: the environment, and optional observability. */
export interface PreTokenGenerationComposeOptions {
  /** The variables read by `loadPreTokenGenerationConfig` (`process.env` in Lambda). */
  readonly env: Env;
  /** @default createLogger('pre-token-generation') */
  readonly logger?: ServiceLogger;
  /** @default createMetrics('pre-token-generation') */
  readonly metrics?: ServiceMetrics;
}

/** The trigger {@link composePreTokenGeneration} built, and what it was built from. */
export interface ComposedPreTokenGeneration {
  readonly handler: PreTokenGenerationHandler;
  readonly config: PreTokenGenerationConfig;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
}

/**
 * The composition root of the pre token generation trigger, and the only place it is wired:
 * configuration from `env` (a bad variable throws, naming it), logger and metrics, then the
 * core handler. The Lambda module calls it once at cold start.
 *
 * @throws {@link ConfigurationError} naming the variable that is invalid.
 *
 * @example
 * const { handler } = composePreTokenGeneration({ env: process.env });
 * const response = await handler(tokenGenerationEvent);
 */
export const composePreTokenGeneration = (
  options: PreTokenGenerationComposeOptions,
): ComposedPreTokenGeneration => {
  const config = loadPreTokenGenerationConfig(options.env);
  const { logger, metrics } = serviceObservability(PRE_TOKEN_GENERATION_SERVICE, options);
  const handler = createPreTokenGenerationHandler({ config, logger, metrics });
  return { handler, config, logger, metrics };
};
