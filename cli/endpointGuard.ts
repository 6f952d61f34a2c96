import { isIPv4, isIPv6 } from 'node:net';
import type { Env } from '../shared/env.js';
import { RefusedError } from './errors.js';
import { isQueueUrl } from './queues.js';

/** How a target without an explicit endpoint is named: the SDK sends it to AWS itself. */
export const AWS_DEFAULT_ENDPOINT = 'AWS (no AWS_ENDPOINT_URL set)';

/**
 * True when `endpoint` is a URL whose host is a loopback address: `localhost`, an IPv4 address
 * in 127.0.0.0/8, or `::1`. Names that merely resolve to loopback (`*.localhost.localstack.cloud`)
 * are not: what a name resolves to can change, a literal address cannot.
 *
 * @example
 * isLoopbackEndpoint('http://127.0.0.1:5000'); // true
 * isLoopbackEndpoint('https://events.eu-west-1.amazonaws.com'); // false
 */
export const isLoopbackEndpoint = (endpoint: string): boolean => {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(bare)) return bare.split('.')[0] === '127';
  // WHATWG URL writes ::1 in its shortest form, so the literal comparison is exact.
  return isIPv6(bare) && bare === '::1';
};

/** What {@link simulateEndpoints} needs. */
export interface SimulateTarget {
  /** The explicit endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL`), if any. */
  readonly endpoint?: string;
  /** The environment the SDK reads per-service endpoints from. */
  readonly env: Env;
  /** The fallback queue as given (`--queue` / `SYNC_QUEUE_URL`): a name or a URL. */
  readonly queue: string;
}

/**
 * The endpoints `simulate`'s trigger sends to. With an explicit endpoint both of its clients use
 * it. Without one, the SDK picks `AWS_ENDPOINT_URL_EVENTBRIDGE` / `AWS_ENDPOINT_URL_SQS` or AWS,
 * and SQS sends to the host of a queue URL (the SDK's `useQueueUrlAsEndpoint`).
 */
export const simulateEndpoints = (target: SimulateTarget): string[] => {
  if (target.endpoint) return [target.endpoint];
  const eventBridge = target.env.AWS_ENDPOINT_URL_EVENTBRIDGE || AWS_DEFAULT_ENDPOINT;
  const sqs = isQueueUrl(target.queue)
    ? target.queue
    : target.env.AWS_ENDPOINT_URL_SQS || AWS_DEFAULT_ENDPOINT;
  return [...new Set([eventBridge, sqs])];
};

/**
 * Refuses to simulate sign-ins against anything but loopback endpoints unless `yes` is set:
 * synthetic users would reach the real bus, its archive, every subscriber and Hasura.
 *
 * @returns the endpoints that are not loopback (empty when every one is); with `yes` the caller
 *   warns about them instead.
 * @throws {@link RefusedError} naming the endpoints and `--yes`, when one is not loopback and
 *   `yes` is false.
 */
export const assertLocalEndpoints = (endpoints: readonly string[], yes: boolean): string[] => {
  const remote = endpoints.filter((endpoint) => !isLoopbackEndpoint(endpoint));
  if (remote.length === 0 || yes) return remote;
  throw new RefusedError(
    '--yes',
    `simulate refuses to run against ${remote.join(' and ')}: not a loopback endpoint (127.0.0.0/8, ::1, localhost), so its synthetic sign-ins would reach a real bus, its archive, its subscribers and Hasura. Point AWS_ENDPOINT_URL (or --endpoint-url) at the local stack, or pass --yes to run against it anyway`,
  );
};
