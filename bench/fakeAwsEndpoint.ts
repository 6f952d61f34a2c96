import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../test/helpers/loopbackServer.js';

/** How the fake answers one kind of call. */
export interface FakeBehaviour {
  /**
   * Delay before answering, in ms.
   * @default 0
   */
  delayMs?: number;
  /**
   * Accept the request and never answer (the connection stays open until the client gives up).
   * @default false
   */
  hang?: boolean;
  /**
   * Answer this many calls with HTTP 400 `ThrottlingException` before answering normally;
   * `Infinity` throttles every call.
   * @default 0
   */
  throttleFirst?: number;
  /**
   * Report every entry of a PutEvents call as failed (`FailedEntryCount` > 0, HTTP 200).
   * @default false
   */
  failEntries?: boolean;
}

/** What the fake has seen, per operation (`AWSEvents.PutEvents`, `AmazonSQS.SendMessage`, …). */
export interface FakeCalls {
  /** Requests received, answered or not. */
  readonly received: Map<string, number>;
  /** Request bodies of calls answered with success, parsed. */
  readonly accepted: Map<string, unknown[]>;
}

/** A running fake of the JSON-protocol AWS endpoints the post-authentication trigger calls. */
export interface FakeAwsEndpoint {
  /** `http://127.0.0.1:<port>`: the SDK clients' `endpoint`. */
  readonly endpoint: string;
  readonly calls: FakeCalls;
  /** Changes how an operation (e.g. `AWSEvents.PutEvents`) is answered from now on. */
  setBehaviour(operation: string, behaviour: FakeBehaviour): void;
  /** Forgets the counts and accepted bodies. */
  reset(): void;
  /** Closes the server and every open (hung) connection. */
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const answer = (response: ServerResponse, status: number, body: unknown, json10: boolean): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': json10 ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
};

/** The success body of `operation` for the parsed request `input`. */
const successBody = (operation: string, input: Record<string, unknown>, failEntries: boolean) => {
  if (operation === 'AWSEvents.PutEvents') {
    const entries = Array.isArray(input.Entries) ? input.Entries : [];
    return failEntries
      ? {
          FailedEntryCount: entries.length,
          Entries: entries.map(() => ({
            ErrorCode: 'InternalFailure',
            ErrorMessage: 'fake: entry rejected',
          })),
        }
      : { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
  }
  if (operation === 'AmazonSQS.SendMessage') {
    // The SDK checks the body's MD5 against this field.
    const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
    return {
      MessageId: randomUUID(),
      MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
    };
  }
  return {};
};

/**
 * Starts an HTTP server on a free loopback port that plays EventBridge `PutEvents` (JSON 1.1)
 * and SQS `SendMessage` (JSON 1.0), with a configurable delay, throttling, failed entries, or
 * no answer at all. Point an `EventBridgeClient` / `SQSClient` at `endpoint`.
 *
 * @example
 * const fake = await startFakeAwsEndpoint();
 * fake.setBehaviour('AWSEvents.PutEvents', { hang: true });
 */
export const startFakeAwsEndpoint = async (): Promise<FakeAwsEndpoint> => {
  const behaviours = new Map<string, FakeBehaviour>();
  const throttled = new Map<string, number>();
  const calls: FakeCalls = { received: new Map(), accepted: new Map() };

  const server = createServer(async (request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? 'unknown');
    const json10 = operation.startsWith('AmazonSQS.');
    const text = await readBody(request);
    calls.received.set(operation, (calls.received.get(operation) ?? 0) + 1);
    const behaviour = behaviours.get(operation) ?? {};
    if (behaviour.hang === true) return; // keep the socket open, never answer
    if ((behaviour.delayMs ?? 0) > 0) {
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    }
    if (response.destroyed) return;
    const seen = throttled.get(operation) ?? 0;
    if (seen < (behaviour.throttleFirst ?? 0)) {
      throttled.set(operation, seen + 1);
      answer(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, json10);
      return;
    }
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch {
      answer(response, 400, { __type: 'SerializationException', message: 'bad JSON' }, json10);
      return;
    }
    const accepted = calls.accepted.get(operation) ?? [];
    accepted.push(input);
    calls.accepted.set(operation, accepted);
    answer(response, 200, successBody(operation, input, behaviour.failEntries === true), json10);
  });
  server.keepAliveTimeout = 30_000;
  const { port, stop } = await listenOnLoopback(server);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    setBehaviour(operation, behaviour) {
      behaviours.set(operation, behaviour);
      throttled.delete(operation);
    },
    reset() {
      calls.received.clear();
      calls.accepted.clear();
      throttled.clear();
    },
    stop,
  };
};
