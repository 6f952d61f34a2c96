/**
 * Runs the Hasura-compatible engine standalone.
 *
 * Environment: PORT (default 8080), DATABASE_URL (default: embedded PGlite),
 * HASURA_GRAPHQL_ADMIN_SECRET, HASURA_GRAPHQL_JWT_SECRET, HASURA_GRAPHQL_UNAUTHORIZED_ROLE,
 * HASURA_ENGINE_SCHEMA (default public), HASURA_GRAPHQL_DEV_MODE (default false),
 * HASURA_GRAPHQL_ADMIN_INTERNAL_ERRORS (default true).
 *
 * @example
 * PORT=8080 HASURA_GRAPHQL_ADMIN_SECRET=secret npx tsx engine/src/main.ts
 */
import { boolean, integer, maybeString } from '../../shared/env.js';
import { startHasuraEngine } from './server.js';

const env = process.env;
const engine = await startHasuraEngine({
  port: integer(env, 'PORT', 8080, { min: 0, max: 65535 }),
  databaseUrl: maybeString(env, 'DATABASE_URL'),
  adminSecret: maybeString(env, 'HASURA_GRAPHQL_ADMIN_SECRET'),
  jwtSecret: maybeString(env, 'HASURA_GRAPHQL_JWT_SECRET'),
  unauthorizedRole: maybeString(env, 'HASURA_GRAPHQL_UNAUTHORIZED_ROLE'),
  schema: maybeString(env, 'HASURA_ENGINE_SCHEMA'),
  devMode: boolean(env, 'HASURA_GRAPHQL_DEV_MODE', false),
  adminInternalErrors: boolean(env, 'HASURA_GRAPHQL_ADMIN_INTERNAL_ERRORS', true),
});
console.log(`Hasura-compatible engine listening: ${engine.graphqlUrl}`);

const shutdown = (): void => {
  engine.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
