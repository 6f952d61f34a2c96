import { generateLoginStream, newestByUser } from '../../bench/loginStream.js';
import { startLocalStack } from '../../local/stack.js';
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';
import { pipeline } from '../../shared/pipeline.js';
import { drainQueue, feedInWaves } from '../helpers/queues.js';
import {
  compareWithNewest,
  type FaultScenario,
  fastStack,
  fmt,
  readUsers,
  waitForDrain,
} from './faultHelpers.js';

/** One kind of bad message and how to make it. */
interface BadKind {
  readonly kind: string;
  readonly make: (event: UserAuthenticatedV1, index: number) => string;
}

const envelope = (detail: unknown, overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    ...toEnvelope(detail as UserAuthenticatedV1, {
      source: pipeline.eventSource,
      region: 'us-east-1',
    }),
    ...overrides,
  });

const BAD_KINDS: readonly BadKind[] = [
  { kind: 'not JSON', make: (_event, index) => `{"truncated": ${index}, "detail": {` },
  {
    kind: 'wrong detail-type',
    make: (event) => envelope(event, { 'detail-type': 'UserSignedUp' }),
  },
  { kind: 'schemaVersion 2', make: (event) => envelope({ ...event, schemaVersion: 2 }) },
  {
    kind: 'oversized (200 KiB attribute)',
    make: (event) => envelope({ ...event, attributes: { email: 'x'.repeat(200 * 1024) } }),
  },
  {
    kind: 'missing sub',
    make: (event) => {
      const { sub: _sub, ...rest } = event;
      return envelope(rest);
    },
  },
];

/** A consumer log line of a rejected record. */
interface RejectionLog {
  readonly messageId: string;
  readonly reason: string;
}

/**
 * Captures the consumer's `Record rejected` log lines (Powertools writes JSON lines; warnings go
 * to stderr, the rest to stdout) while `work` runs, and lets every other line through.
 */
const captureRejections = async <T>(
  work: () => Promise<T>,
): Promise<{ result: T; rejections: RejectionLog[] }> => {
  const rejections: RejectionLog[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    const original = originals[index] as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.includes('"Record rejected')) return original(chunk, ...rest);
      for (const line of text.split('\n').filter((item) => item.trim() !== '')) {
        try {
          const entry = JSON.parse(line) as Partial<RejectionLog>;
          rejections.push({ messageId: String(entry.messageId), reason: String(entry.reason) });
        } catch {
          // not a JSON log line
        }
      }
      return true;
    }) as typeof stream.write;
  });
  try {
    return { result: await work(), rejections };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
};

/**
 * Malformed, oversized and wrong-version messages mixed with valid ones in the sync queue:
 * each bad message must fail alone with its reason logged and reach the DLQ after
 * `maxReceiveCount` receives; every valid user is written; no invocation crashes.
 */
export const malformedMessagesScenario = (): FaultScenario => ({
  name: 'malformed, oversized and wrong-version messages',
  async run() {
    const perKind = 6;
    const valid = generateLoginStream({ logins: 300, users: 300, eventIdPrefix: 'valid' });
    const donors = generateLoginStream({
      logins: perKind * BAD_KINDS.length,
      users: 1000,
      eventIdPrefix: 'bad',
    });
    const bad = BAD_KINDS.flatMap((kind, k) =>
      Array.from({ length: perKind }, (_, i) => {
        const index = k * perKind + i;
        return { kind: kind.kind, body: kind.make(donors[index] as UserAuthenticatedV1, index) };
      }),
    );
    const validBodies = valid.map((event) => envelope(event));
    // Bad messages spread among the valid ones, so they share batches.
    const bodies = [...validBodies];
    bad.forEach((item, index) => {
      bodies.splice(Math.min(bodies.length, index * 9), 0, item.body);
    });
    const stack = await startLocalStack({
      ...fastStack({ visibilityTimeoutSeconds: 5, consumerTimeoutMs: 4000 }),
      logLevel: 'WARN',
    });
    try {
      const { result: ids, rejections } = await captureRejections(async () => {
        const sent = await feedInWaves(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl, bodies);
        await waitForDrain(stack, 90_000);
        return sent;
      });
      const dead = await drainQueue(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl);
      const deadBodies = new Set(dead.map((message) => message.Body ?? ''));
      const idOfBody = new Map(bodies.map((body, index) => [body, ids[index] ?? '']));
      const reasonOf = new Map(rejections.map((entry) => [entry.messageId, entry.reason]));
      const inDlq = bad.filter((item) => deadBodies.has(item.body)).length;
      const withReason = bad.filter((item) => reasonOf.has(idOfBody.get(item.body) ?? '')).length;
      const validInDlq = validBodies.filter((body) => deadBodies.has(body)).length;
      const rows = await readUsers(stack);
      const written = compareWithNewest(rows, newestByUser(valid));
      const stats = stack.syncPoller.stats();
      const problems: string[] = [];
      if (inDlq !== bad.length)
        problems.push(`${inDlq} of ${bad.length} bad messages reached the DLQ`);
      if (validInDlq > 0) problems.push(`${validInDlq} valid messages reached the DLQ`);
      if (withReason !== bad.length)
        problems.push(`${withReason} of ${bad.length} rejections logged a reason`);
      if (written.matching !== valid.length) {
        problems.push(`${written.missing} valid users missing, ${written.stale} on another event`);
      }
      if (stats.invocationErrors > 0)
        problems.push(`${stats.invocationErrors} invocations crashed`);
      const samples = BAD_KINDS.map((kind) => {
        const item = bad.find((candidate) => candidate.kind === kind.kind);
        const reason = reasonOf.get(idOfBody.get(item?.body ?? '') ?? '') ?? '(none)';
        return `    ${kind.kind}: ${reason.slice(0, 110)}`;
      });
      return {
        passed: problems.length === 0,
        figure:
          `${inDlq}/${bad.length} bad messages in the DLQ, ${withReason}/${bad.length} with a logged reason; ` +
          `${fmt(written.matching)}/${fmt(valid.length)} valid users written; ` +
          `${stats.invocationErrors} crashed invocations of ${fmt(stats.invocations)}\n${samples.join('\n')}`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
});
