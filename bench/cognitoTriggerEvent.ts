import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { BENCH_USER_POOL_ID, subOf } from './loginStream.js';

/**
 * A Cognito post-authentication trigger event for user number `n`, in the documented format
 * (version, region, userPoolId, userName, callerContext, triggerSource, request, response).
 *
 * @param n - the user's number (its `sub` is {@link subOf}(n)).
 * @param userPoolId - the pool.
 * @default userPoolId BENCH_USER_POOL_ID
 */
export const postAuthenticationEvent = (
  n: number,
  userPoolId: string = BENCH_USER_POOL_ID,
): PostAuthenticationTriggerEvent => ({
  version: '1',
  region: 'us-east-1',
  userPoolId,
  userName: `user${n}`,
  callerContext: {
    awsSdkVersion: 'aws-sdk-unknown-unknown',
    clientId: 'benchclient0001',
  },
  triggerSource: 'PostAuthentication_Authentication',
  request: {
    userAttributes: {
      sub: subOf(n),
      email: `user${n}@example.com`,
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
      phone_number: '+15555550100',
    },
    newDeviceUsed: false,
  },
  response: {},
});
