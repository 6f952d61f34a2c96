import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Env } from '../shared/env.js';

/** The AWS clients the commands use. */
export interface AwsClients {
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly cognito: CognitoIdentityProviderClient;
}

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  /**
   * Region.
   * @default - `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the SDK's own chain (profile)
   */
  readonly region?: string;
  /**
   * Endpoint of every service (moto, LocalStack).
   * @default - `AWS_ENDPOINT_URL` (read by the SDK itself, with the per-service variants), else AWS
   */
  readonly endpoint?: string;
  /**
   * Named profile of the shared config and credentials files (`--profile`).
   * @default - `AWS_PROFILE`, else none (the SDK's chain without a profile)
   */
  readonly profile?: string;
}

/**
 * Creates the SQS, EventBridge and Cognito clients once. Credentials follow the SDK's default
 * chain and its precedence: a profile (`--profile`, else `AWS_PROFILE`) wins over the key
 * variables, then `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, SSO, container/instance role; the
 * endpoint from
 * `AWS_ENDPOINT_URL_<SERVICE>` (`_SQS`, `_EVENTBRIDGE`, `_COGNITO_IDENTITY_PROVIDER`), then
 * `AWS_ENDPOINT_URL`, as the SDK resolves them, so the same command targets moto, LocalStack or AWS. Timeouts are bounded so a dead endpoint fails in seconds, not minutes.
 */
export const createAwsClients = (env: Env, options: AwsClientOptions = {}): AwsClients => {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // The SDK reads these variables from process.env itself; resolving them from `env` with the
  // SDK's precedence (service-specific first) keeps an injected env (tests, embedding) authoritative.
  const endpointOf = (service: string): string | undefined =>
    options.endpoint ??
    (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'
      ? undefined
      : (env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL));
  // The SDK's default chain skips the key variables when a profile is set (AWS_PROFILE wins, with
  // a warning); a profile therefore goes to the SDK, which resolves it from the shared files.
  // Without one, the keys of the given env are used first (keeping an injected env authoritative)
  // and the chain goes on from there (SSO, container or instance role).
  const profile = options.profile ?? (env.AWS_PROFILE || undefined);
  const credentials =
    !profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const config = {
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
    ...(profile ? { profile } : {}),
    maxAttempts: 3,
    // requestTimeout covers a 20 s long poll of ReceiveMessage.
    // Options the SDK builds its NodeHttpHandler from (no dependency on @smithy/node-http-handler).
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  const withEndpoint = (service: string) => {
    const endpoint = endpointOf(service);
    return endpoint ? { ...config, endpoint } : config;
  };
  return {
    sqs: new SQSClient(withEndpoint('SQS')),
    eventBridge: new EventBridgeClient(withEndpoint('EVENTBRIDGE')),
    cognito: new CognitoIdentityProviderClient(withEndpoint('COGNITO_IDENTITY_PROVIDER')),
  };
};

/** Closes the clients' sockets so the process can exit promptly. */
export const destroyAwsClients = (clients: AwsClients): void => {
  clients.sqs.destroy();
  clients.eventBridge.destroy();
  clients.cognito.destroy();
};
