/**
 * A Hasura-compatible HTTP endpoint for the subset this product uses: `POST /v1/graphql`,
 * `POST /v1/query` (+ `/v2/query`, `/v1/metadata`), `GET /healthz`, Hasura's 404 elsewhere.
 * Embedded PGlite by default, a real PostgreSQL server when `databaseUrl` is given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type AuthConfig, resolveSession } from './auth.js';
import { createEngineCore } from './engineCore.js';
import {
  apiErrorBody,
  graphqlErrorBody,
  HasuraError,
  isHasuraError,
  notFoundBody,
} from './errors.js';
import { createJwtVerifier } from './jwtConfig.js';
import { ADMIN_ROLE } from './permissions.js';
import { readJsonBody } from './requestBody.js';

/** Options of {@link startHasuraEngine}. */
export interface HasuraEngineOptions {
  /** A real PostgreSQL connection string. @default undefined — embedded PGlite in memory */
  databaseUrl?: string | undefined;
  /** Like HASURA_GRAPHQL_ADMIN_SECRET. @default undefined — no secret: every request is admin */
  adminSecret?: string | undefined;
  /** HASURA_GRAPHQL_JWT_SECRET JSON text. @default undefined — no JWT mode */
  jwtSecret?: string | undefined;
  /** Like HASURA_GRAPHQL_UNAUTHORIZED_ROLE. @default undefined */
  unauthorizedRole?: string | undefined;
  /** Port on 127.0.0.1. @default 0 — a free port */
  port?: number | undefined;
  /** Apply `hasura/migrations` and `hasura/metadata` at start. @default true */
  applyProject?: boolean | undefined;
  /** Postgres schema the project's `public` tables live in. @default 'public' */
  schema?: string | undefined;
  /** The Hasura project folder. @default the repository's `hasura/` */
  projectDir?: string | undefined;
  /**
   * Like HASURA_GRAPHQL_DEV_MODE: errors carry `extensions.internal` (the database error) for
   * every role.
   * @default false
   */
  devMode?: boolean | undefined;
  /**
   * Like HASURA_GRAPHQL_ADMIN_INTERNAL_ERRORS: errors of admin requests carry
   * `extensions.internal`, as Hasura's do by default.
   * @default true
   */
  adminInternalErrors?: boolean | undefined;
  /** Largest accepted request body in bytes. @default 10485760 (10 MiB) */
  maxBodyBytes?: number | undefined;
}

/** A running engine. */
export interface HasuraEngine {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** `${endpoint}/v1/graphql`. */
  graphqlUrl: string;
  /** The port it listens on. */
  port: number;
  /** Raw SQL on the engine's database (for tests). */
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** HTTP requests served to `/v1/graphql` so far. */
  requestCount(): number;
  /** Stops listening and drops open connections (fault injection); data is kept. */
  suspend(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  /** Closes everything. */
  stop(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: string): void => {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
};

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolvePort(typeof address === 'object' && address !== null ? address.port : port);
    });
  });

/**
 * Starts the engine.
 *
 * @example
 * const engine = await startHasuraEngine({ adminSecret: 'secret' });
 * await fetch(engine.graphqlUrl, { method: 'POST', headers: { 'x-hasura-admin-secret': 'secret' },
 *   body: JSON.stringify({ query: '{ users { id } }' }) });
 * await engine.stop();
 */
export const startHasuraEngine = async (
  options: HasuraEngineOptions = {},
): Promise<HasuraEngine> => {
  // Auth first: a bad JWT secret must fail before a database is opened.
  const auth: AuthConfig = {
    adminSecret: options.adminSecret,
    jwt: options.jwtSecret === undefined ? undefined : await createJwtVerifier(options.jwtSecret),
    unauthorizedRole: options.unauthorizedRole,
  };
  const { db, metadata, executor } = await createEngineCore(options);
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;

  let graphqlRequests = 0;
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    graphqlRequests += 1;
    const body = await readJsonBody(req, maxBodyBytes, 'graphql');
    if (!body.ok) return send(res, body.status, JSON.stringify(body.error));
    // Hasura shows `internal` to admin requests (unless disabled) and, in dev mode, to every role;
    // an error before the role is known (authentication) never carries it.
    let includeInternal = false;
    try {
      const session = await resolveSession(req.headers, auth);
      includeInternal =
        options.devMode === true ||
        ((options.adminInternalErrors ?? true) && session.role === ADMIN_ROLE);
      send(res, 200, await executor.run(body.request, session));
    } catch (error) {
      const hasuraError = isHasuraError(error)
        ? error
        : new HasuraError('unexpected', 'an unexpected error occurred', '$', { cause: error });
      // An error that is not Hasura's is an engine bug: say so on stderr, never to the client.
      if (!isHasuraError(error)) console.error(`hasura engine: ${String(error)}`);
      send(res, 200, JSON.stringify(graphqlErrorBody([hasuraError], includeInternal)));
    }
  };
  const handleQuery = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req, maxBodyBytes, 'api');
    if (!body.ok) return send(res, body.status, JSON.stringify(body.error));
    try {
      const session = await resolveSession(req.headers, auth);
      if (session.role !== ADMIN_ROLE) {
        throw new HasuraError('access-denied', 'restricted access : admin only', '$');
      }
      send(res, 200, JSON.stringify(await metadata.run(body.json)));
    } catch (error) {
      const hasuraError = isHasuraError(error)
        ? error
        : new HasuraError('unexpected', 'an unexpected error occurred', '$', {
            status: 500,
            cause: error,
          });
      send(res, hasuraError.status, JSON.stringify(apiErrorBody(hasuraError)));
    }
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    let handled: Promise<void> | undefined;
    if (req.method === 'POST' && path === '/v1/graphql') handled = handleGraphql(req, res);
    else if (
      req.method === 'POST' &&
      (path === '/v1/query' || path === '/v2/query' || path === '/v1/metadata')
    ) {
      handled = handleQuery(req, res);
    } else if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
    } else {
      send(res, 404, JSON.stringify(notFoundBody()));
    }
    // A failure while answering (client gone) must never take the process down.
    handled?.catch(() => {
      const error = new HasuraError('unexpected', 'an unexpected error occurred', '$');
      if (!res.headersSent) send(res, 500, JSON.stringify(apiErrorBody(error)));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    await db.close();
    throw error;
  }
  let listening = true;
  const close = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    graphqlUrl: `${endpoint}/v1/graphql`,
    port,
    sql: (text, params) => db.query(text, params),
    requestCount: () => graphqlRequests,
    suspend: close,
    resume: async () => {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    stop: async () => {
      await close();
      await db.close();
    },
  };
};
