/**
 * Hasura's JWT mode: parses a `HASURA_GRAPHQL_JWT_SECRET` JSON and verifies bearer tokens with
 * `jose`, answering with Hasura's `invalid-jwt` / `jwt-invalid-claims` messages.
 */
import {
  type CryptoKey,
  createRemoteJWKSet,
  importSPKI,
  importX509,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { ConfigurationError } from '../../shared/errors.js';
import { HasuraError } from './errors.js';

/** Hasura's default claims namespace. */
export const DEFAULT_CLAIMS_NAMESPACE = 'https://hasura.io/jwt/claims';

const JwtSecretSchema = z
  .object({
    type: z.string().optional(),
    key: z.string().optional(),
    jwk_url: z.string().url().optional(),
    claims_namespace: z.string().optional(),
    claims_namespace_path: z.string().optional(),
    claims_format: z.enum(['json', 'stringified_json']).default('json'),
    audience: z.union([z.string(), z.array(z.string())]).optional(),
    issuer: z.string().optional(),
    allowed_skew: z.number().nonnegative().optional(),
  })
  .refine(
    (value) => value.jwk_url !== undefined || (value.type !== undefined && value.key !== undefined),
    {
      message: 'give either "type" and "key", or "jwk_url"',
    },
  );

/** The parsed `HASURA_GRAPHQL_JWT_SECRET`. */
export type JwtSecretConfig = z.infer<typeof JwtSecretSchema>;

/** Verifies a token and returns the Hasura claims object (keys as in the token). */
export type JwtVerifier = (token: string) => Promise<Record<string, unknown>>;

/** Reads a value at a JSON path such as `$.hasura.claims` or `$['https://x/claims']`. */
export const readJsonPath = (root: unknown, path: string): unknown => {
  if (!path.startsWith('$')) return undefined;
  const keys: string[] = [];
  const pattern = /\.([^.[\]]+)|\[['"](.+?)['"]\]|\[(\d+)\]/g;
  for (const match of path.slice(1).matchAll(pattern)) {
    keys.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  let current: unknown = root;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

const jwtError = (detail: string): HasuraError =>
  new HasuraError('invalid-jwt', `Could not verify JWT: ${detail}`, '$');

/** jose's errors → the text Hasura (Haskell `jose`) puts after "Could not verify JWT: ". */
const describeJoseError = (error: unknown): string => {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'JWTExpired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'JWSError JWSInvalidSignature';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return 'JWTNotInAudience';
      if (claim === 'iss') return 'JWTNotInIssuer';
      if (claim === 'nbf') return 'JWTNotYetValid';
      return 'JWTClaimsSetDecodeError';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'JWSError (AlgorithmMismatch "the key does not suit the algorithm")';
    default:
      return 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts)';
  }
};

const loadKey = async (
  config: JwtSecretConfig,
): Promise<CryptoKey | Uint8Array | JWTVerifyGetKey> => {
  if (config.jwk_url !== undefined) return createRemoteJWKSet(new URL(config.jwk_url));
  const type = config.type ?? '';
  const key = config.key ?? '';
  if (type.startsWith('HS')) {
    const bytes = new TextEncoder().encode(key);
    // Hasura refuses HMAC keys shorter than 32 bytes.
    if (bytes.length < 32) {
      throw new ConfigurationError(
        'HASURA_GRAPHQL_JWT_SECRET',
        'HASURA_GRAPHQL_JWT_SECRET: an HMAC key must be at least 32 characters long',
      );
    }
    return bytes;
  }
  return key.includes('BEGIN CERTIFICATE') ? importX509(key, type) : importSPKI(key, type);
};

/**
 * Builds a verifier from the `HASURA_GRAPHQL_JWT_SECRET` JSON text.
 *
 * @example
 * const verify = await createJwtVerifier('{"type":"HS256","key":"…32+ chars…"}');
 */
export const createJwtVerifier = async (secretJson: string): Promise<JwtVerifier> => {
  let config: JwtSecretConfig;
  try {
    config = JwtSecretSchema.parse(JSON.parse(secretJson));
  } catch (error) {
    throw new ConfigurationError(
      'HASURA_GRAPHQL_JWT_SECRET',
      'HASURA_GRAPHQL_JWT_SECRET is not a valid JWT secret JSON ({"type","key"} or {"jwk_url"})',
      { cause: error },
    );
  }
  const key = await loadKey(config);
  const options = {
    ...(config.type === undefined ? {} : { algorithms: [config.type] }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    clockTolerance: config.allowed_skew ?? 0,
  };
  const namespace = config.claims_namespace ?? DEFAULT_CLAIMS_NAMESPACE;
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload =
        typeof key === 'function'
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw jwtError(describeJoseError(error));
    }
    const raw =
      config.claims_namespace_path !== undefined
        ? readJsonPath(payload, config.claims_namespace_path)
        : payload[namespace];
    const label = config.claims_namespace_path ?? namespace;
    if (raw === undefined || raw === null) {
      throw new HasuraError('jwt-invalid-claims', `claims key: '${label}' not found`, '$');
    }
    let claims: unknown = raw;
    if (config.claims_format === 'stringified_json') {
      try {
        claims = typeof raw === 'string' ? JSON.parse(raw) : undefined;
      } catch {
        claims = undefined;
      }
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new HasuraError(
        'jwt-invalid-claims',
        `claims key: '${label}' is not a JSON object`,
        '$',
      );
    }
    return claims as Record<string, unknown>;
  };
};
