/**
 * Child-process entry of the benchmark's servers, so the server's CPU and memory are not
 * counted as the consumer's (a Lambda consumer and Hasura never share a process either).
 *
 * `argv[2]`:
 * - `engine`: the project's Hasura-compatible engine (`startHasuraEngine`) on `DATABASE_URL`,
 *   project applied into the schema `BENCH_SCHEMA` (default `public`);
 * - `instant`: a server that answers every GraphQL insert at once with a canned success
 *   ({@link startInstantHasura}).
 *
 * Protocol (IPC): the child sends `{ type: 'ready', graphqlUrl }`, then answers
 * `{ id, op, args }` requests with `{ id, result }` or `{ id, error }`.
 */
import { startInstantHasura } from './instantHasura.js';

interface ServerHandle {
  graphqlUrl: string;
  requestCount(): number;
  sql?(text: string, params?: unknown[]): Promise<unknown[]>;
  suspend?(): Promise<void>;
  resume?(): Promise<void>;
  stop(): Promise<void>;
}

interface Request {
  id: number;
  op: 'requestCount' | 'sql' | 'suspend' | 'resume' | 'stop';
  args?: unknown[];
}

const start = async (kind: string): Promise<ServerHandle> => {
  if (kind === 'instant') return startInstantHasura();
  // Imported lazily: the instant mode must not need the engine.
  const { startHasuraEngine } = await import('../engine/src/server.js');
  const databaseUrl = process.env.DATABASE_URL;
  const schema = process.env.BENCH_SCHEMA;
  const adminSecret = process.env.HASURA_GRAPHQL_ADMIN_SECRET;
  return startHasuraEngine({
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(adminSecret === undefined ? {} : { adminSecret }),
    ...(schema === undefined ? {} : { schema }),
  });
};

const main = async (): Promise<void> => {
  const server = await start(process.argv[2] ?? 'engine');
  let stopped = false;
  process.on('message', async (message: Request) => {
    try {
      let result: unknown = null;
      if (message.op === 'requestCount') result = server.requestCount();
      if (message.op === 'sql') {
        if (server.sql === undefined) throw new Error('this server has no SQL access');
        const [text, params] = message.args ?? [];
        result = await server.sql(String(text), Array.isArray(params) ? params : []);
      }
      if (message.op === 'suspend') await server.suspend?.();
      if (message.op === 'resume') await server.resume?.();
      if (message.op === 'stop') {
        stopped = true;
        await server.stop();
      }
      process.send?.({ id: message.id, result }, () => {
        if (stopped) process.exit(0);
      });
    } catch (error) {
      process.send?.({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  // The parent died: don't linger.
  process.on('disconnect', () => {
    if (stopped) return;
    stopped = true;
    void server.stop().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', graphqlUrl: server.graphqlUrl });
};

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
