import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describeError } from '../../shared/errors.js';
import { MetricName } from '../../shared/metricNames.js';
import type { ServiceLogger, ServiceMetrics } from '../../shared/observabilityPorts.js';
import { addHasuraClaims } from './addHasuraClaims.js';
import type { PreTokenGenerationConfig } from './config.js';

/**
 * The metric counting roles that read as Hasura's `admin` and were left out of a token
 * (see {@link addHasuraClaims}), one per refused role.
 */
export const ADMIN_ROLE_REFUSED_METRIC = 'AdminRoleRefused';

/** What the trigger is built from (`composePreTokenGeneration` wires it; unit tests pass their own). */
export interface PreTokenGenerationDeps {
  /** The trigger's configuration (`loadPreTokenGenerationConfig`). */
  readonly config: PreTokenGenerationConfig;
  /** Structured logger. Never given attribute values. */
  readonly logger: ServiceLogger;
  /** Metrics; counts `ClaimsSkipped` and `AdminRoleRefused` (only `addMetric` is called). */
  readonly metrics: Pick<ServiceMetrics, 'addMetric'>;
}

/** A pre token generation handler: returns the event with the response Cognito should apply. */
export type PreTokenGenerationHandler = (event: unknown) => Promise<unknown>;

// Only short, non-personal header fields of the event are logged.
const headerField = (event: object, key: string): string | undefined => {
  const value: unknown = key in event ? Reflect.get(event, key) : undefined;
  return typeof value === 'string' ? value.slice(0, 64) : undefined;
};

const eventContext = (event: unknown): Record<string, string | undefined> => {
  if (event === null || typeof event !== 'object') {
    return { eventType: event === null ? 'null' : typeof event };
  }
  return {
    triggerSource: headerField(event, 'triggerSource'),
    version: headerField(event, 'version'),
    userPoolId: headerField(event, 'userPoolId'),
  };
};

/**
 * Creates the pre token generation trigger around {@link addHasuraClaims}: logs and counts
 * what the pure core decided, and never throws, so token issuance is never broken by this
 * function. An event without claims is logged as an error and counted as `ClaimsSkipped`,
 * except machine-to-machine tokens, which have no user by design. A role refused because it
 * reads as `admin` is logged as a warning (where it came from, never attribute values) and
 * counted as `AdminRoleRefused`; the token is issued with the user's other roles.
 *
 * @example
 * const handler = createPreTokenGenerationHandler({
 *   config: loadPreTokenGenerationConfig(process.env),
 *   logger: createLogger('pre-token-generation'),
 *   metrics: createMetrics('pre-token-generation'),
 * });
 */
export const createPreTokenGenerationHandler = (
  deps: PreTokenGenerationDeps,
): PreTokenGenerationHandler => {
  const { config, logger, metrics } = deps;
  return async (event) => {
    try {
      const outcome = addHasuraClaims(event, config);
      if (outcome.status === 'added') {
        if (outcome.refusedRoles.length > 0) {
          logger.warn('Hasura superuser role refused: the source is not an admin group', {
            refused: outcome.refusedRoles,
            hint: 'list the group in HASURA_ADMIN_GROUPS to grant admin on purpose',
            ...eventContext(event),
          });
          metrics.addMetric(
            ADMIN_ROLE_REFUSED_METRIC,
            MetricUnit.Count,
            outcome.refusedRoles.length,
          );
        }
        logger.debug('Hasura claims added', {
          version: outcome.version,
          tokens: outcome.tokens,
          roleCount: outcome.claims['x-hasura-allowed-roles'].length,
        });
        return outcome.event;
      }
      if (outcome.reason === 'machine-to-machine') {
        logger.debug('no Hasura claims for a machine-to-machine token', { detail: outcome.detail });
        return outcome.event;
      }
      logger.error('token issued without Hasura claims: Hasura will reject it', {
        reason: outcome.reason,
        detail: outcome.detail,
        ...eventContext(event),
      });
      metrics.addMetric(MetricName.ClaimsSkipped, MetricUnit.Count, 1);
      return outcome.event;
    } catch (error) {
      // Unreachable by design (the core never throws for bad input); kept so a bug here
      // cannot block sign-ins.
      logger.error('unexpected failure while adding Hasura claims', {
        error: describeError(error),
        ...eventContext(event),
      });
      metrics.addMetric(MetricName.ClaimsSkipped, MetricUnit.Count, 1);
      return event;
    }
  };
};
