/**
 * Hasura's authentication: admin secret (with `x-hasura-role` and session headers), JWT mode,
 * or no auth at all. Header and claim names are case-insensitive; session variable names are
 * lower-cased, as Hasura does.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HasuraError } from './errors.js';
import type { JwtVerifier } from './jwtConfig.js';
import { ADMIN_ROLE } from './permissions.js';
import { type Session, toArrayLiteral } from './sqlParams.js';

/** How requests are authenticated. */
export interface AuthConfig {
  /** HASURA_GRAPHQL_ADMIN_SECRET. @default undefined — no secret: every request is admin */
  adminSecret?: string | undefined;
  /** Verifier built from HASURA_GRAPHQL_JWT_SECRET. @default undefined — no JWT mode */
  jwt?: JwtVerifier | undefined;
  /** HASURA_GRAPHQL_UNAUTHORIZED_ROLE. @default undefined — unauthenticated requests fail */
  unauthorizedRole?: string | undefined;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `x-hasura-*` request headers as session variables (names lower-cased). */
const headerVariables = (headers: IncomingHttpHeaders): Record<string, string> => {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Node lower-cases header names already; the admin secret is never a session variable.
    if (!name.startsWith('x-hasura-') || name === 'x-hasura-admin-secret') continue;
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined) variables[name] = text;
  }
  return variables;
};

const secretMatches = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const fromHeaders = (headers: IncomingHttpHeaders, isAdminSecret: boolean): Session => {
  const variables = headerVariables(headers);
  const role = variables['x-hasura-role'] ?? ADMIN_ROLE;
  return { role, variables: { ...variables, 'x-hasura-role': role }, isAdminSecret };
};

/** A claim value as a session variable: strings as they are, lists as PostgreSQL arrays. */
const claimText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return toArrayLiteral(value);
  if (typeof value === 'object' && value !== null) {
    throw new HasuraError(
      'jwt-invalid-claims',
      'x-hasura-* values cannot be JSON. should be string',
      '$',
    );
  }
  return String(value);
};

const fromJwt = async (
  headers: IncomingHttpHeaders,
  verify: JwtVerifier,
  unauthorizedRole: string | undefined,
): Promise<Session> => {
  const authorization = header(headers, 'authorization');
  if (authorization === undefined) {
    if (unauthorizedRole !== undefined) return unauthorized(headers, unauthorizedRole);
    throw new HasuraError(
      'invalid-headers',
      'Missing Authorization header in JWT authentication mode',
      '$',
    );
  }
  const match = authorization.match(/^Bearer\s+(\S+)\s*$/i);
  if (match?.[1] === undefined) {
    throw new HasuraError('invalid-headers', 'Malformed Authorization header', '$');
  }
  const rawClaims = await verify(match[1]);
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rawClaims)) claims[name.toLowerCase()] = value;
  const allowed = claims['x-hasura-allowed-roles'];
  if (!Array.isArray(allowed) || allowed.some((role) => typeof role !== 'string')) {
    throw new HasuraError(
      'jwt-missing-role-claims',
      'JWT claim does not contain x-hasura-allowed-roles',
      '$',
    );
  }
  const defaultRole = claims['x-hasura-default-role'];
  if (typeof defaultRole !== 'string') {
    throw new HasuraError(
      'jwt-missing-role-claims',
      'JWT claim does not contain x-hasura-default-role',
      '$',
    );
  }
  const role = header(headers, 'x-hasura-role') ?? defaultRole;
  if (!allowed.includes(role)) {
    throw new HasuraError('access-denied', 'Your requested role is not in allowed roles', '$');
  }
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (!name.startsWith('x-hasura-')) continue;
    if (name === 'x-hasura-allowed-roles' || name === 'x-hasura-default-role') continue;
    variables[name] = claimText(value);
  }
  variables['x-hasura-role'] = role;
  return { role, variables, isAdminSecret: false };
};

const unauthorized = (headers: IncomingHttpHeaders, role: string): Session => ({
  role,
  variables: { ...headerVariables(headers), 'x-hasura-role': role },
  isAdminSecret: false,
});

/**
 * Resolves the session of a request, or throws the error Hasura answers with.
 *
 * @example
 * const session = await resolveSession(req.headers, { adminSecret: 'secret' });
 */
export const resolveSession = async (
  headers: IncomingHttpHeaders,
  config: AuthConfig,
): Promise<Session> => {
  if (config.adminSecret === undefined && config.jwt === undefined) {
    return fromHeaders(headers, true);
  }
  const given = header(headers, 'x-hasura-admin-secret') ?? header(headers, 'x-hasura-access-key');
  if (given !== undefined) {
    if (config.adminSecret === undefined || !secretMatches(given, config.adminSecret)) {
      throw new HasuraError(
        'access-denied',
        'invalid x-hasura-admin-secret/x-hasura-access-key',
        '$',
        { status: 401 },
      );
    }
    return fromHeaders(headers, true);
  }
  if (config.jwt !== undefined) return fromJwt(headers, config.jwt, config.unauthorizedRole);
  if (config.unauthorizedRole !== undefined) return unauthorized(headers, config.unauthorizedRole);
  throw new HasuraError(
    'access-denied',
    'x-hasura-admin-secret/x-hasura-access-key required, but not found',
    '$',
    { status: 401 },
  );
};
