import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type ReplayDlqResult, replayDlq } from '../replayDlq.js';
import { checkConsoleRequest, newConsoleToken, TOKEN_HEADER } from './consoleAccess.js';
import type { PipelineView } from './consoleModel.js';
import { renderConsolePage } from './consolePage.js';
import type { DeadLetterReasons } from './deadLetterReasons.js';
import { attributesOf, listDeadLetters, peekDeadLetters } from './deadLetters.js';
import { type PipelineSources, readPipelineView } from './pipelineView.js';

/** A reconcile run the console can start (the same core as `cognito-hasura-sync reconcile`). */
export type ConsoleReconcile = (options: {
  readonly dryRun: boolean;
  readonly maxDeletes: number;
}) => Promise<unknown>;

/** What the console serves. */
export interface ConsoleOptions extends PipelineSources {
  readonly reasons: DeadLetterReasons;
  /** Hide and refuse every action (replay, reconcile). @default false */
  readonly readOnly?: boolean;
  /** @default 0 - a free port */
  readonly port?: number;
  /** @default - a new random token */
  readonly token?: string;
  /** @default - the reconcile action is not offered */
  readonly reconcile?: ConsoleReconcile;
  /** @default 2000 - how long one read of the pipeline serves every page that asks */
  readonly viewCacheMs?: number;
}

/** An action the console ran or runs, as the page shows it. */
export interface ConsoleJob {
  readonly id: number;
  readonly kind: 'replay' | 'reconcile';
  readonly startedAt: string;
  state: 'running' | 'done' | 'failed';
  /** What it did so far (replay: the replay result; reconcile: its report). */
  result?: unknown;
  error?: string;
}

/** A running console. */
export interface RunningConsole {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

const send = (
  response: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
): void => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  });
  response.end(text);
};

const readJson = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
};

/**
 * Starts the operator console: a page and its JSON API on 127.0.0.1 only, every request checked
 * by {@link checkConsoleRequest} (token, `Host`, and for actions POST + `Origin`). Actions run
 * one at a time as jobs the page follows; replay is `replayDlq` (send first, delete second).
 *
 * @example
 * const console = await startConsole({ sqs, queues, series, reasons, target: 'local stack' });
 * process.stdout.write(`${console.url}\n`);
 */
export const startConsole = async (options: ConsoleOptions): Promise<RunningConsole> => {
  const token = options.token ?? newConsoleToken();
  const readOnly = options.readOnly ?? false;
  const jobs: ConsoleJob[] = [];
  let port = 0;
  let cached: { at: number; view: Promise<PipelineView> } | undefined;
  const cacheMs = options.viewCacheMs ?? 2000;
  const view = (): Promise<PipelineView> => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > cacheMs) {
      cached = { at: now, view: readPipelineView(options) };
      cached.view.catch(() => {
        cached = undefined;
      });
    }
    return cached.view;
  };
  const queueByLabel = (label: unknown) => options.queues.find((queue) => queue.label === label);
  const deadLetterQueue = (label: unknown) => {
    const queue = queueByLabel(label);
    if (!queue?.deadLetter)
      throw new Error(`"${String(label)}" is not a dead-letter queue of this console`);
    const source = queueByLabel(queue.sourceLabel);
    return { queue, source };
  };
  const runJob = (kind: ConsoleJob['kind'], work: (job: ConsoleJob) => Promise<unknown>) => {
    if (jobs.some((job) => job.state === 'running')) {
      throw new Error('another action is still running: wait for it to finish');
    }
    const job: ConsoleJob = {
      id: jobs.length + 1,
      kind,
      startedAt: new Date().toISOString(),
      state: 'running',
    };
    jobs.push(job);
    work(job).then(
      (result) => {
        job.result = result;
        job.state = 'done';
        cached = undefined;
      },
      (error: unknown) => {
        job.error = error instanceof Error ? error.message : String(error);
        job.state = 'failed';
        cached = undefined;
      },
    );
    return job;
  };

  const routes: Record<
    string,
    {
      post: boolean;
      action?: boolean;
      run: (request: IncomingMessage, url: URL) => Promise<unknown>;
    }
  > = {
    '/api/view': {
      post: false,
      run: async () => ({ ...(await view()), jobs: jobs.slice(-5), readOnly }),
    },
    '/api/dead-letters': {
      post: false,
      run: async (_request, url) => {
        const { queue } = deadLetterQueue(url.searchParams.get('queue'));
        return {
          queue: queue.label,
          reasonsFrom: options.reasons.source,
          messages: await listDeadLetters(options.sqs, queue.url, options.reasons),
        };
      },
    },
    '/api/reveal': {
      post: true,
      run: async (request) => {
        const body = await readJson(request);
        const { queue } = deadLetterQueue(body.queue);
        const message = (await peekDeadLetters(options.sqs, queue.url)).find(
          (candidate) => candidate.MessageId === body.messageId,
        );
        if (message === undefined) throw new Error('that message is no longer in the DLQ');
        return { messageId: body.messageId, attributes: attributesOf(message) };
      },
    },
    '/api/replay': {
      post: true,
      action: true,
      run: async (request) => {
        const body = await readJson(request);
        const { queue, source } = deadLetterQueue(body.queue);
        if (source === undefined)
          throw new Error(`${queue.label} has no source queue to replay to`);
        const ids = Array.isArray(body.messageIds)
          ? new Set(body.messageIds.filter((id): id is string => typeof id === 'string'))
          : undefined;
        if (body.all !== true && (ids === undefined || ids.size === 0)) {
          throw new Error('say which messages: messageIds, or all: true');
        }
        return runJob('replay', (job) =>
          replayDlq(options.sqs as SQSClient, {
            dlqUrl: queue.url,
            destinationUrl: source.url,
            ...(ids && body.all !== true ? { messageIds: ids } : {}),
            waitTimeSeconds: 0,
            maxReceives: 1000,
            onProgress: (progress: ReplayDlqResult) => {
              job.result = progress;
            },
          }),
        );
      },
    },
    '/api/reconcile': {
      post: true,
      action: true,
      run: async (request) => {
        const reconcile = options.reconcile;
        if (reconcile === undefined) throw new Error('reconcile is not available in this console');
        const body = await readJson(request);
        const dryRun = body.dryRun !== false;
        const maxDeletes = Number(body.maxDeletes ?? 10);
        if (!Number.isInteger(maxDeletes) || maxDeletes < 0) {
          throw new Error('maxDeletes must be a whole number ≥ 0');
        }
        return runJob('reconcile', () => reconcile({ dryRun, maxDeletes }));
      },
    },
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    const route = routes[url.pathname];
    const page = url.pathname === '/';
    if (!page && route === undefined) return send(response, 404, { error: 'not found' });
    const refusal = checkConsoleRequest(request, {
      token,
      port,
      changesState: route?.post ?? false,
    });
    if (refusal) return send(response, refusal.status, { error: refusal.reason });
    if (page) {
      if (request.method !== 'GET') return send(response, 405, { error: 'GET only' });
      return send(
        response,
        200,
        renderConsolePage({ readOnly, target: options.target }),
        'text/html; charset=utf-8',
      );
    }
    if (route === undefined) return;
    if (route.post !== (request.method === 'POST')) {
      return send(response, 405, { error: route.post ? 'POST only' : 'GET only' });
    }
    if (route.action && readOnly) {
      return send(response, 403, { error: 'this console is read-only (--read-only)' });
    }
    route.run(request, url).then(
      (result) => send(response, 200, result),
      (error: unknown) =>
        send(response, 400, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export { TOKEN_HEADER };
