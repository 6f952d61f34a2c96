import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { composeReconcile } from '../../services/reconcile/compose.js';
import { reconcilePool } from '../../services/reconcile/reconcilePool.js';
import type { Env } from '../../shared/env.js';
import type { ConsoleReconcile } from './consoleServer.js';

/** What the console's reconcile runs against: the same settings as `cognito-hasura-sync reconcile`. */
export interface ConsoleReconcileOptions {
  /** `HASURA_GRAPHQL_ENDPOINT`, `HASURA_ADMIN_SECRET`(`_ARN`), `USERS_TABLE`, `USERS_COLUMN_MAP`, … */
  readonly env: Env;
  readonly cognito: CognitoIdentityProviderClient;
  readonly eventBridge: EventBridgeClient;
  readonly userPoolId: string;
  /** Where repairs are published. */
  readonly target: { readonly eventBusName: string; readonly source: string };
}

/**
 * The console's reconcile action: one pass of the reconcile core (`reconcilePool`, the code
 * behind the CLI command and the scheduled job) with the operator's dry-run choice and
 * `maxDeletes` guard; the page shows the report it returns.
 */
export const consoleReconcile =
  (options: ConsoleReconcileOptions): ConsoleReconcile =>
  async ({ dryRun, maxDeletes }) => {
    const { dependencies, settings } = composeReconcile({
      env: options.env,
      cognito: options.cognito,
      eventBridge: options.eventBridge,
      overrides: { userPoolId: options.userPoolId, dryRun, maxDeletes, target: options.target },
    });
    return reconcilePool(dependencies, settings, { prefixLength: 0 });
  };
