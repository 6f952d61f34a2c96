import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ServiceLogger } from '../../shared/observabilityPorts.js';

/** Where the console finds why a message failed, by its SQS message id. */
export interface DeadLetterReasons {
  /** Where the reasons come from, shown on the page. */
  readonly source: string;
  /** The newest logged reason of each message id that has one. */
  reasonsFor(messageIds: readonly string[]): Promise<Map<string, string>>;
}

/** One line of the local reason log. */
interface ReasonLine {
  readonly at: string;
  readonly messageId: string;
  readonly reason: string;
}

/** The file the local stack records failure reasons in, under the project's `.local-state/`. */
export const LOCAL_REASON_LOG = '.local-state/dead-letter-reasons.jsonl';

/** The reason log's bytes read at most (its tail): it only grows while the local stack runs. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

/**
 * The local stack's reason log: a JSON-lines file, appended by the consumers' loggers (see
 * {@link recordingReasons}) and read by the console, in the same or another process.
 */
export const fileReasonLog = (
  path: string,
): DeadLetterReasons & { record(messageId: string, reason: string): void } => ({
  source: `the local stack's reason log (${path})`,
  record(messageId, reason) {
    mkdirSync(dirname(path), { recursive: true });
    const line: ReasonLine = { at: new Date().toISOString(), messageId, reason };
    appendFileSync(path, `${JSON.stringify(line)}\n`);
  },
  async reasonsFor(messageIds) {
    const wanted = new Set(messageIds);
    const reasons = new Map<string, string>();
    let text: string;
    try {
      const size = statSync(path).size;
      text = readFileSync(path, 'utf8');
      if (size > MAX_READ_BYTES) text = text.slice(text.length - MAX_READ_BYTES);
    } catch {
      return reasons; // no failure recorded yet
    }
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      try {
        const line = JSON.parse(raw) as Partial<ReasonLine>;
        if (typeof line.messageId === 'string' && wanted.has(line.messageId)) {
          reasons.set(line.messageId, String(line.reason));
        }
      } catch {
        // a torn last line while the stack writes: skip it
      }
    }
    return reasons;
  },
});

const reasonOf = (message: string, fields: Record<string, unknown>): string => {
  const parts = [message];
  for (const key of ['reason', 'failureClass', 'code', 'error']) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') parts.push(`${key}: ${value}`);
  }
  return parts.join(' · ');
};

/**
 * Wraps a service logger so that every warning or error naming message ids (`messageId` or
 * `messageIds`, as the consumers log a rejected record or a failed write) also records its
 * reason. The logger itself is called unchanged.
 */
export const recordingReasons = (
  logger: ServiceLogger,
  record: (messageId: string, reason: string) => void,
): ServiceLogger => {
  const capture =
    (call: ServiceLogger['warn']): ServiceLogger['warn'] =>
    (message, ...rest) => {
      const fields = rest.find((item): item is Record<string, unknown> => {
        return typeof item === 'object' && item !== null && !(item instanceof Error);
      });
      if (typeof message === 'string' && fields) {
        const ids = [
          ...(typeof fields.messageId === 'string' ? [fields.messageId] : []),
          ...(Array.isArray(fields.messageIds)
            ? fields.messageIds.filter((id): id is string => typeof id === 'string')
            : []),
        ];
        for (const id of ids) record(id, reasonOf(message, fields));
      }
      return call.call(logger, message, ...(rest as []));
    };
  return {
    debug: logger.debug.bind(logger),
    info: logger.info.bind(logger),
    warn: capture(logger.warn),
    error: capture(logger.error),
  };
};

/** Options of {@link logsInsightsReasons}. */
export interface LogsInsightsOptions {
  readonly logs: CloudWatchLogsClient;
  /** The consumers' log groups (`/aws/lambda/<function>`). */
  readonly logGroupNames: readonly string[];
  /**
   * How far back to search.
   * @default 14 days - the DLQ's retention
   */
  readonly lookbackSeconds?: number;
  /**
   * Longest wait for the query.
   * @default 20000
   */
  readonly timeoutMs?: number;
}

/** Message ids are SQS UUIDs; anything else is not put into a query. */
const MESSAGE_ID = /^[\w-]{1,128}$/;

/**
 * A deployed stack's reasons: one CloudWatch Logs Insights query over the consumers' log groups
 * for the warnings and errors that name the message ids (Powertools logs them as JSON fields).
 */
export const logsInsightsReasons = (options: LogsInsightsOptions): DeadLetterReasons => ({
  source: `CloudWatch Logs Insights (${options.logGroupNames.join(', ')})`,
  async reasonsFor(messageIds) {
    const ids = messageIds.filter((id) => MESSAGE_ID.test(id)).slice(0, 50);
    const reasons = new Map<string, string>();
    if (ids.length === 0 || options.logGroupNames.length === 0) return reasons;
    const now = Math.floor(Date.now() / 1000);
    const pattern = ids.join('|');
    const { queryId } = await options.logs.send(
      new StartQueryCommand({
        logGroupNames: [...options.logGroupNames],
        startTime: now - (options.lookbackSeconds ?? 14 * 24 * 3600),
        endTime: now,
        limit: 1000,
        queryString: `fields @timestamp, @message | filter level in ["WARN", "ERROR"] and @message like /${pattern}/ | sort @timestamp asc`,
      }),
    );
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    while (Date.now() < deadline) {
      const answer = await options.logs.send(new GetQueryResultsCommand({ queryId }));
      if (answer.status === 'Complete') {
        for (const row of answer.results ?? []) {
          const text = row.find((field) => field.field === '@message')?.value;
          if (!text) continue;
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            continue;
          }
          const reason = reasonOf(String(parsed.message ?? ''), parsed);
          for (const id of ids) if (text.includes(id)) reasons.set(id, reason);
        }
        return reasons;
      }
      if (answer.status === 'Failed' || answer.status === 'Cancelled') return reasons;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return reasons;
  },
});
