/** Lambda contexts for handler tests, fault scenarios and benchmarks. */
import type { Context } from 'aws-lambda';

/** What differs between the contexts of {@link runtimeContext}. */
export interface RuntimeContextOptions {
  /** @default 'post-authentication' */
  readonly functionName?: string;
  /** @default 'c6af9ac6-7b61-11e6-9a41-93e812345678' */
  readonly awsRequestId?: string | undefined;
  /** What `getRemainingTimeInMillis` always returns. @default 3000 */
  readonly remainingMs?: number | undefined;
  /** @default '256' */
  readonly memoryLimitInMB?: string;
}

/** A full Lambda context as the runtime passes it, with a fixed remaining time. */
export const runtimeContext = ({
  functionName = 'post-authentication',
  awsRequestId = 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  remainingMs = 3000,
  memoryLimitInMB = '256',
}: RuntimeContextOptions = {}): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
  memoryLimitInMB,
  awsRequestId,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/11/26/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/**
 * The part of a context the handlers read, with a time budget that runs down from now.
 *
 * @param awsRequestId - the invocation's id.
 * @default awsRequestId a random UUID
 */
export const lambdaContext = (
  budgetMs: number,
  awsRequestId: string = crypto.randomUUID(),
): { awsRequestId: string; getRemainingTimeInMillis(): number } => {
  const end = Date.now() + budgetMs;
  return { awsRequestId, getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
};
