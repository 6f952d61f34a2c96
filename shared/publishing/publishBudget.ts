/**
 * The post-authentication trigger's time budget, all of its arithmetic in one place: how much of
 * the Lambda's remaining time the trigger may spend, what it keeps back to finish, the share
 * EventBridge gets before the SQS fallback, and the per-attempt HTTP timeouts that fit the SDK's
 * retry inside that share. The default budget is `pipeline.postAuthentication.budgetMs`.
 */

/** Smallest and largest accepted `PUBLISH_BUDGET_MS` (Cognito gives a trigger 5 s in all). */
export const PUBLISH_BUDGET_RANGE = { min: 50, max: 4000 } as const;

/**
 * Milliseconds kept back from the Lambda's remaining time, so the handler returns (and the
 * metrics are flushed) before the function's own timeout even with a short timeout configured.
 */
export const LAMBDA_TIMEOUT_RESERVE_MS = 250;

/**
 * Milliseconds of the budget kept for what follows the last deadline (aborting the request,
 * counting the metric, logging), so the handler returns within the budget, not just after it.
 */
export const BUDGET_FINISH_RESERVE_MS = 25;

/**
 * Share of the budget EventBridge may use; the rest is kept for the SQS fallback, so a bus that
 * accepts connections and never answers still leaves the fallback time to run.
 */
export const EVENTBRIDGE_BUDGET_SHARE = 0.6;

/**
 * SDK attempts per call: one retry for throttling and transient errors. More would not fit the
 * budget, and the fallback is a better second chance than a third attempt at the same endpoint.
 */
export const PUBLISH_MAX_ATTEMPTS = 2;

/** Share of the budget kept, inside EventBridge's share, for the SDK's backoff before its retry. */
const RETRY_BACKOFF_SHARE = 0.1;

/**
 * Share of the budget one request may take: a hung first attempt times out early enough for the
 * SDK's retry (and its backoff) to run inside {@link EVENTBRIDGE_BUDGET_SHARE}, a quarter.
 */
const REQUEST_TIMEOUT_SHARE =
  (EVENTBRIDGE_BUDGET_SHARE - RETRY_BACKOFF_SHARE) / PUBLISH_MAX_ATTEMPTS;

/** Share of the budget one attempt may spend opening the TCP (and TLS) connection. */
const CONNECTION_TIMEOUT_SHARE = 0.2;

/** Per-attempt HTTP timeouts derived from the publish budget. */
export interface PublishTimeouts {
  /** Milliseconds to open the TCP (and TLS) connection. */
  readonly connectionTimeoutMs: number;
  /** Milliseconds from sending the request to the end of the response. */
  readonly requestTimeoutMs: number;
}

/**
 * Per-attempt timeouts for a publish budget (the clients' HTTP handler settings).
 *
 * @example
 * publishTimeouts(1000); // { connectionTimeoutMs: 200, requestTimeoutMs: 250 }
 */
export const publishTimeouts = (budgetMs: number): PublishTimeouts => ({
  connectionTimeoutMs: Math.max(20, Math.round(budgetMs * CONNECTION_TIMEOUT_SHARE)),
  requestTimeoutMs: Math.max(30, Math.round(budgetMs * REQUEST_TIMEOUT_SHARE)),
});

/**
 * The epoch ms by which one sign-in's publishing must be done: the configured budget, cut to the
 * Lambda's remaining time less {@link LAMBDA_TIMEOUT_RESERVE_MS}, less
 * {@link BUDGET_FINISH_RESERVE_MS} to count and log before returning.
 *
 * @param startedAt - epoch ms when the invocation started.
 * @param budgetMs - the configured budget (`PUBLISH_BUDGET_MS`).
 * @param remainingMs - the Lambda's remaining time, when there is a Lambda context.
 * @returns the budget in force and its deadline.
 *
 * @example
 * publishDeadline(0, 1000, 800); // { budgetMs: 550, deadlineAt: 525 }
 */
export const publishDeadline = (
  startedAt: number,
  budgetMs: number,
  remainingMs: number | undefined,
): { readonly budgetMs: number; readonly deadlineAt: number } => {
  const inForce =
    remainingMs === undefined
      ? budgetMs
      : Math.max(0, Math.min(budgetMs, remainingMs - LAMBDA_TIMEOUT_RESERVE_MS));
  return {
    budgetMs: inForce,
    deadlineAt: startedAt + Math.max(0, inForce - BUDGET_FINISH_RESERVE_MS),
  };
};

/**
 * The epoch ms by which EventBridge must have accepted the event: its
 * {@link EVENTBRIDGE_BUDGET_SHARE} of the time from `startedAt` to `deadlineAt`; the rest is the
 * fallback's.
 *
 * @example
 * eventBridgeDeadline(0, 1000); // 600
 */
export const eventBridgeDeadline = (startedAt: number, deadlineAt: number): number =>
  startedAt + Math.floor((deadlineAt - startedAt) * EVENTBRIDGE_BUDGET_SHARE);
