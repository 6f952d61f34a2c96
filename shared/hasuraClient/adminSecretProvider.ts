import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HasuraRequestError } from './HasuraRequestError.js';
import { RedactedSecret } from './RedactedSecret.js';

/** Where the Hasura admin secret comes from. */
export type AdminSecretSource =
  | { readonly kind: 'value'; readonly secret: RedactedSecret }
  | { readonly kind: 'secretsManager'; readonly secretArn: string };

/**
 * Returns the admin secret; fetched at most once per container while it succeeds. Any
 * `() => Promise<RedactedSecret>` is a provider; `invalidate` is optional.
 */
export interface AdminSecretProvider {
  (): Promise<RedactedSecret>;
  /**
   * Forgets a cached secret, so that the next call fetches it again. The Hasura client calls it
   * when Hasura refuses the secret (`access-denied`): after a rotation, warm containers pick up
   * the new value on their next batch instead of failing every record until they are recycled.
   */
  readonly invalidate?: () => void;
}

/**
 * Reads a Secrets Manager `SecretString`: either the admin secret itself, or JSON with an
 * `adminSecret` key (the shape a rotation template would store).
 */
const parseSecretString = (secretString: string): RedactedSecret => {
  const trimmed = secretString.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // Not JSON after all: an admin secret may legitimately start with "{".
      return new RedactedSecret(trimmed);
    }
    const value =
      typeof parsed === 'object' && parsed !== null && 'adminSecret' in parsed
        ? parsed.adminSecret
        : undefined;
    if (typeof value !== 'string' || value === '') {
      throw new HasuraRequestError(
        'other',
        'secret-unavailable',
        'the secret is JSON without a non-empty string key "adminSecret"',
      );
    }
    return new RedactedSecret(value);
  }
  return new RedactedSecret(trimmed);
};

/** The HTTP status an AWS SDK error carries in `$metadata`, when it has one. */
const httpStatusOf = (error: object): number | undefined => {
  const metadata: unknown = '$metadata' in error ? error.$metadata : undefined;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) {
    return undefined;
  }
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
};

/** Secrets Manager failures worth a retry: throttling, 5xx, no answer. */
const isRetryableAwsError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return true;
  const status = httpStatusOf(error);
  const name = error instanceof Error ? error.name : '';
  return status === undefined || status >= 500 || status === 429 || /Throttl/.test(name);
};

/**
 * The Secrets Manager SDK, loaded on first use: evaluating it is most of the consumer's cold
 * start, and a container configured with the secret's value never needs it.
 */
const loadSecretsManagerSdk = () => import('@aws-sdk/client-secrets-manager');

// Bounded like every other call of the batch: a Secrets Manager that hangs (e.g. a VPC without
// an endpoint for it) must fail and be fetched again, not stay pending for the container's life.
// The SDK builds its NodeHttpHandler from these options (`throwOnRequestTimeout` included).
const boundedSecretsManager = (
  sdk: Awaited<ReturnType<typeof loadSecretsManagerSdk>>,
): SecretsManagerClient =>
  new sdk.SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: 2000,
      requestTimeout: 3000,
      throwOnRequestTimeout: true,
    },
  });

/**
 * The admin secret provider of a container, and the one place that acts on the source's kind
 * (decided by the consumer's configuration). With `kind: 'secretsManager'` it calls
 * `GetSecretValue` on first use and caches the result for every later invocation; a failed
 * fetch is not cached (the next batch tries again) and surfaces as a
 * {@link HasuraRequestError} with code `secret-unavailable` (transient when AWS may recover).
 * `invalidate()` drops the cached value (the Hasura client calls it on `access-denied`). The
 * Secrets Manager SDK is imported on the first fetch, not at cold start.
 *
 * @param client - the Secrets Manager client of `kind: 'secretsManager'` (unused otherwise).
 * @default client - a client with 2 attempts, 2 s connection and 3 s request timeouts
 * @example
 * const adminSecret = createAdminSecretProvider(config.adminSecret, new SecretsManagerClient({}));
 */
export const createAdminSecretProvider = (
  source: AdminSecretSource,
  client?: SecretsManagerClient,
): AdminSecretProvider => {
  if (source.kind === 'value') {
    const resolved = Promise.resolve(source.secret);
    return () => resolved;
  }
  let secretsManager = client;
  let cached: Promise<RedactedSecret> | undefined;
  const fetchSecret = async (): Promise<RedactedSecret> => {
    let secretString: string | undefined;
    try {
      const sdk = await loadSecretsManagerSdk();
      secretsManager ??= boundedSecretsManager(sdk);
      const output = await secretsManager.send(
        new sdk.GetSecretValueCommand({ SecretId: source.secretArn }),
      );
      secretString = output.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new HasuraRequestError(
        isRetryableAwsError(error) ? 'transient' : 'other',
        'secret-unavailable',
        `GetSecretValue failed (${name}) for HASURA_ADMIN_SECRET_ARN`,
      );
    }
    if (secretString === undefined || secretString.trim() === '') {
      throw new HasuraRequestError(
        'other',
        'secret-unavailable',
        'the secret of HASURA_ADMIN_SECRET_ARN has no SecretString',
      );
    }
    return parseSecretString(secretString);
  };
  const provider = (): Promise<RedactedSecret> => {
    if (cached === undefined) {
      const pending = fetchSecret();
      cached = pending;
      // Forget a failure so that the next invocation fetches again.
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
    }
    return cached;
  };
  return Object.assign(provider, {
    invalidate: (): void => {
      cached = undefined;
    },
  });
};
