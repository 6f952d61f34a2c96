import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueCounts, queueName } from '../queues.js';
import type { PipelineView, QueueView } from './consoleModel.js';
import { peekDeadLetters } from './deadLetters.js';
import type { SeriesSource } from './pipelineSeries.js';

/** One queue the console watches. */
export interface WatchedQueue {
  /** What it is for: `sync`, `sync DLQ`, `lifecycle`, … */
  readonly label: string;
  readonly url: string;
  /** A DLQ: browsed (peeked with visibility 0) and replayed to `sourceLabel`'s queue. */
  readonly deadLetter: boolean;
  readonly sourceLabel?: string;
}

/** Ages of source queues' oldest messages, by queue name, from a source that does not receive. */
export type QueueAges = (names: readonly string[]) => Promise<Map<string, number>>;

/**
 * `ApproximateAgeOfOldestMessage` of each queue from CloudWatch (AWS/SQS, one-minute maximum):
 * the only way to know a source queue's age without receiving from it, which would count towards
 * its `maxReceiveCount`.
 */
export const cloudWatchQueueAges =
  (cloudWatch: CloudWatchClient): QueueAges =>
  async (names) => {
    const ages = new Map<string, number>();
    if (names.length === 0) return ages;
    const end = new Date();
    const answer = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 10 * 60_000),
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: names.map((name, index) => ({
          Id: `q${index}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: name }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    names.forEach((name, index) => {
      const value = answer.MetricDataResults?.find((item) => item.Id === `q${index}`)?.Values?.[0];
      if (value !== undefined) ages.set(name, value);
    });
    return ages;
  };

/** What {@link readPipelineView} reads from. */
export interface PipelineSources {
  readonly sqs: SQSClient;
  readonly queues: readonly WatchedQueue[];
  readonly series: SeriesSource;
  /** @default - ages of source queues unknown (`null`); DLQs are always peeked */
  readonly queueAges?: QueueAges;
  /** Shown on the page: the endpoint or the stack. */
  readonly target: string;
}

const missing = (queue: WatchedQueue): QueueView => ({
  label: queue.label,
  name: queueName(queue.url),
  found: false,
  depth: 0,
  inFlight: 0,
  oldestAgeSeconds: null,
  deadLetter: queue.deadLetter,
  ...(queue.sourceLabel ? { sourceLabel: queue.sourceLabel } : {}),
});

/**
 * Reads the whole picture once: every queue's counts (GetQueueAttributes), DLQ ages from a peek
 * of their oldest messages, source-queue ages from `queueAges`, counters and series. Costs one
 * call per queue, one receive per non-empty DLQ, and the sources' own calls.
 */
export const readPipelineView = async (sources: PipelineSources): Promise<PipelineView> => {
  const now = Date.now();
  const ages = sources.queueAges
    ? await sources
        .queueAges(sources.queues.filter((q) => !q.deadLetter).map((q) => queueName(q.url)))
        .catch(() => new Map<string, number>())
    : new Map<string, number>();
  const queues = await Promise.all(
    sources.queues.map(async (queue): Promise<QueueView> => {
      let counts: Awaited<ReturnType<typeof queueCounts>>;
      try {
        counts = await queueCounts(sources.sqs, queue.url);
      } catch {
        return missing(queue);
      }
      let oldest: number | null = ages.get(queueName(queue.url)) ?? null;
      if (queue.deadLetter && counts.visible > 0) {
        const sent = (await peekDeadLetters(sources.sqs, queue.url, 10))
          .map((message) => Number(message.Attributes?.SentTimestamp))
          .filter((value) => Number.isFinite(value) && value > 0);
        oldest = sent.length > 0 ? Math.max(0, Math.round((now - Math.min(...sent)) / 1000)) : null;
      }
      return {
        label: queue.label,
        name: queueName(queue.url),
        found: true,
        depth: counts.visible,
        inFlight: counts.inFlight,
        oldestAgeSeconds: oldest,
        deadLetter: queue.deadLetter,
        ...(queue.sourceLabel ? { sourceLabel: queue.sourceLabel } : {}),
      };
    }),
  );
  const [counters, series] = await Promise.all([
    sources.series.counters(),
    sources.series.series(),
  ]);
  return { at: new Date(now).toISOString(), target: sources.target, queues, counters, series };
};
