import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials } from '../cli/localCredentials.js';
import type { Env } from '../shared/env.js';

/** SDK clients of the local stack. */
export interface LocalAwsClients {
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  /** The endpoint the clients talk to. */
  readonly endpoint: string;
  readonly region: string;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/**
 * SQS and EventBridge clients for a local endpoint (moto, LocalStack). moto accepts any
 * credentials, so when the environment holds none (no `AWS_ACCESS_KEY_ID`, no `AWS_PROFILE`)
 * static dummy ones are used instead of failing in the SDK's credential chain.
 *
 * @param endpoint - e.g. `http://127.0.0.1:5000`.
 * @param region - the region of every resource.
 * @param env - where to look for credentials.
 * @default env - process.env
 */
export const createLocalAwsClients = (
  endpoint: string,
  region: string,
  env: Env = process.env,
): LocalAwsClients => {
  const config = { endpoint, region, ...localCredentials(env) };
  const sqs = new SQSClient(config);
  const eventBridge = new EventBridgeClient(config);
  return {
    sqs,
    eventBridge,
    endpoint,
    region,
    destroy() {
      sqs.destroy();
      eventBridge.destroy();
    },
  };
};
