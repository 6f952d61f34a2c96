import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { pipeline } from '../../shared/pipeline.js';
import { resolveQueueUrl } from '../queues.js';
import {
  type DeadLetterReasons,
  fileReasonLog,
  LOCAL_REASON_LOG,
  logsInsightsReasons,
} from './deadLetterReasons.js';
import {
  cloudWatchSeriesSource,
  fileSeriesSource,
  LOCAL_SERIES_FILE,
  type SeriesSource,
} from './pipelineSeries.js';
import { cloudWatchQueueAges, type QueueAges, type WatchedQueue } from './pipelineView.js';

/** The queues of the pipeline by default: sync, lifecycle, the example subscriber, their DLQs. */
export interface ConsoleQueueNames {
  readonly sync: string;
  readonly syncDlq: string;
  readonly lifecycle: string;
  readonly lifecycleDlq: string;
  readonly subscribers: readonly {
    readonly name: string;
    readonly queue: string;
    readonly dlq: string;
  }[];
}

/** The queue names of {@link pipeline}, the stack's and the local stack's defaults. */
export const DEFAULT_CONSOLE_QUEUES: ConsoleQueueNames = {
  sync: pipeline.syncQueue.name,
  syncDlq: pipeline.syncQueue.dlqName,
  lifecycle: pipeline.lifecycle.queue.name,
  lifecycleDlq: pipeline.lifecycle.queue.dlqName,
  subscribers: [
    {
      name: 'login-audit',
      queue: pipeline.exampleSubscriber.queueName,
      dlq: pipeline.exampleSubscriber.dlqName,
    },
  ],
};

/**
 * Resolves the watched queues' URLs; a queue the endpoint does not have is kept with a URL
 * built from its name, and the view shows it as "not found".
 */
export const resolveWatchedQueues = async (
  sqs: SQSClient,
  names: ConsoleQueueNames,
): Promise<WatchedQueue[]> => {
  const url = async (name: string): Promise<string> =>
    resolveQueueUrl(sqs, name, 'queue').catch(() => `missing://${name}`);
  const pairs: Array<readonly [string, string, string]> = [
    ['sync', names.sync, names.syncDlq],
    ['lifecycle', names.lifecycle, names.lifecycleDlq],
    ...names.subscribers.map(
      (subscriber) => [`subscriber ${subscriber.name}`, subscriber.queue, subscriber.dlq] as const,
    ),
  ];
  const queues: WatchedQueue[] = [];
  for (const [label, queue, dlq] of pairs) {
    queues.push({ label, url: await url(queue), deadLetter: false });
    queues.push({
      label: `${label} DLQ`,
      url: await url(dlq),
      deadLetter: true,
      sourceLabel: label,
    });
  }
  return queues;
};

/** Where the console reads metrics and reasons from. */
export interface ConsoleSources {
  readonly series: SeriesSource;
  readonly reasons: DeadLetterReasons;
  readonly queueAges?: QueueAges;
}

/**
 * The sources for the endpoint: the local stack's files (its counters and reason log under
 * `.local-state/`) for a loopback endpoint; CloudWatch (metrics, SQS ages) and CloudWatch Logs
 * Insights over `logGroups` for a deployed stack.
 */
export const consoleSources = (options: {
  readonly local: boolean;
  readonly region?: string;
  readonly logGroups: readonly string[];
}): ConsoleSources => {
  if (options.local) {
    return {
      series: fileSeriesSource(LOCAL_SERIES_FILE),
      reasons: fileReasonLog(LOCAL_REASON_LOG),
    };
  }
  const region = options.region ? { region: options.region } : {};
  const cloudWatch = new CloudWatchClient(region);
  return {
    series: cloudWatchSeriesSource(cloudWatch),
    queueAges: cloudWatchQueueAges(cloudWatch),
    reasons: logsInsightsReasons({
      logs: new CloudWatchLogsClient(region),
      logGroupNames: options.logGroups,
    }),
  };
};
