import { createHash, randomUUID } from 'node:crypto';

/**
 * The event id of one trigger invocation: a UUID-shaped SHA-256 of the pool, the user's `sub`
 * and the Lambda request id. Every copy sent by this invocation (the SDK's retry, our retry of a
 * rejected entry, the SQS fallback) carries the same id, so consumers can drop duplicates.
 * Cognito's payload carries no request id of its own; a Cognito retry is a new Lambda invocation
 * with a new request id, so it gets a new id, which is harmless because the consumer is
 * idempotent and newest-wins (docs/post-authentication.md explains the choice).
 *
 * @param requestId - the Lambda request id.
 * @default requestId - none: the id is random (invocations without a Lambda context)
 *
 * @example
 * invocationEventId('eu-west-1_Ab12Cd34E', sub, context.awsRequestId);
 */
export const invocationEventId = (userPoolId: string, sub: string, requestId?: string): string => {
  if (requestId === undefined || requestId === '') return randomUUID();
  const hex = createHash('sha256').update(`${userPoolId}\n${sub}\n${requestId}`).digest('hex');
  // Shape it as an RFC 9562 version-8 (custom) UUID so it reads like any other event id.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
