import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { DETAIL_TYPES } from '../shared/events/syncEvent.js';
import { backfillEvent, toPutEventsEntry } from './backfillEvent.js';
import { type BackfillCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { RateLimiter, sleep } from './rateLimiter.js';

/** Options of {@link backfill}. */
export interface BackfillOptions {
  readonly userPoolId: string;
  readonly eventBusName: string;
  /** `Source` of the published events. */
  readonly source: string;
  /** Allow-listed attributes copied into the events. */
  readonly attributes: readonly string[];
  /** Checkpoint file, rewritten after every fully published page. */
  readonly checkpointPath: string;
  /**
   * Continue from the checkpoint instead of the first page.
   * @default false
   */
  readonly resume?: boolean;
  /**
   * `ListUsers` calls per second. Cognito's quota for ListUsers is 30 per second per account,
   * shared with every other caller; the default leaves most of it to the application.
   * @default 5
   */
  readonly listUsersPerSecond?: number;
  /**
   * Users per page (Cognito allows 1–60).
   * @default 60
   */
  readonly pageSize?: number;
  /**
   * Attempts for entries PutEvents reports as failed (FailedEntryCount).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Page through the pool and build every event, but publish nothing and write no checkpoint;
   * `wouldPublish` counts the events and `samples` shows a few (no attribute values).
   * @default false
   */
  readonly dryRun?: boolean;
  /** Stops after the current page (SIGINT); the checkpoint lets `--resume` continue. */
  readonly signal?: AbortSignal;
  /** Called after every page. */
  readonly onPage?: (state: BackfillResult) => void;
}

/** What a dry run shows of an event it would publish: ids and dates, attribute names only. */
export interface BackfillSample {
  readonly eventId: string;
  readonly sub: string;
  readonly occurredAt: string;
  readonly attributeNames: readonly string[];
}

/** What {@link backfill} did. */
export interface BackfillResult {
  readonly userPoolId: string;
  /** True for a dry run: nothing was published, no checkpoint written. */
  readonly dryRun: boolean;
  /** Events a dry run would have published (0 otherwise). */
  wouldPublish: number;
  /** A few events of a dry run (empty otherwise). */
  readonly samples: BackfillSample[];
  /** Whether this run continued a checkpoint. */
  readonly resumed: boolean;
  /** Pages fully published, including those of earlier runs. */
  pages: number;
  /** Events published, including those of earlier runs. */
  published: number;
  /** Users of this run without a `sub` or a username (nothing to publish). */
  skipped: number;
  /** Entries still failing after every attempt (their page is not checkpointed). */
  failed: number;
  /** True when the last page was published. */
  complete: boolean;
  /** True when the run stopped on the signal. */
  interrupted: boolean;
  /** `EstimatedNumberOfUsers` of the pool, when the endpoint reports it. */
  estimatedUsers?: number;
}

/** Events a dry run shows. */
const DRY_RUN_SAMPLES = 3;

/**
 * Publishes one `UserUpdated` event (`cause: "Backfill"`, `occurredAt` = the time of the
 * `ListUsers` read, `enabled` and `status` as listed) per user of a pool, never a login: pages
 * through `ListUsers` under a rate limit, sends 10 entries per `PutEvents`, retries the entries
 * PutEvents reports as failed, and writes the pagination token to the checkpoint only once every
 * event of the page is published. An interruption therefore re-publishes at most one page
 * (harmless: the state as read again, newest wins downstream) and never skips one.
 */
export const backfill = async (
  clients: { cognito: CognitoIdentityProviderClient; eventBridge: EventBridgeClient },
  options: BackfillOptions,
): Promise<BackfillResult> => {
  const start: BackfillCheckpoint | undefined = options.resume
    ? await readCheckpoint(options.checkpointPath, options.userPoolId)
    : undefined;
  const dryRun = options.dryRun ?? false;
  const result: BackfillResult = {
    userPoolId: options.userPoolId,
    dryRun,
    wouldPublish: 0,
    samples: [],
    resumed: start !== undefined,
    pages: start?.pages ?? 0,
    published: start?.published ?? 0,
    skipped: 0,
    failed: 0,
    complete: start?.complete ?? false,
    interrupted: false,
  };
  if (result.complete) return result;

  const estimate = await clients.cognito
    .send(new DescribeUserPoolCommand({ UserPoolId: options.userPoolId }))
    .then((pool) => pool.UserPool?.EstimatedNumberOfUsers)
    .catch(() => undefined);
  if (estimate !== undefined) result.estimatedUsers = estimate;

  // A resumed run keeps the page size of the checkpoint: the token belongs to it.
  const pageSize = start?.pageSize ?? options.pageSize ?? 60;
  const limiter = new RateLimiter({ perSecond: options.listUsersPerSecond ?? 5, burst: 1 });
  let token: string | undefined = start?.paginationToken ?? undefined;
  for (;;) {
    if (options.signal?.aborted) {
      result.interrupted = true;
      return result;
    }
    await limiter.take();
    const page = await clients.cognito.send(
      new ListUsersCommand({
        UserPoolId: options.userPoolId,
        Limit: pageSize,
        ...(token ? { PaginationToken: token } : {}),
      }),
    );
    // Every user of the page is stated as of this read.
    const readAt = new Date();
    const entries: PutEventsRequestEntry[] = [];
    for (const user of page.Users ?? []) {
      const detail = backfillEvent(user, {
        userPoolId: options.userPoolId,
        attributes: options.attributes,
        readAt,
      });
      if (!detail) {
        result.skipped += 1;
        continue;
      }
      entries.push(toPutEventsEntry({ type: DETAIL_TYPES.updated, detail }, options));
      if (dryRun && result.samples.length < DRY_RUN_SAMPLES) {
        result.samples.push({
          eventId: detail.eventId,
          sub: detail.sub,
          occurredAt: detail.occurredAt,
          attributeNames: Object.keys(detail.attributes),
        });
      }
    }
    if (dryRun) {
      // Nothing published, nothing checkpointed: a real run starts where this one started.
      result.wouldPublish += entries.length;
      result.pages += 1;
      token = page.PaginationToken || undefined;
      result.complete = token === undefined;
      options.onPage?.(result);
      if (result.complete) return result;
      continue;
    }
    const failed = await publishAll(clients.eventBridge, entries, options.maxAttempts ?? 5);
    if (failed > 0) {
      // The page is not checkpointed: the next --resume publishes it again.
      result.failed += failed;
      result.published += entries.length - failed;
      return result;
    }
    result.published += entries.length;
    result.pages += 1;
    token = page.PaginationToken || undefined;
    result.complete = token === undefined;
    await writeCheckpoint(options.checkpointPath, {
      userPoolId: options.userPoolId,
      paginationToken: token ?? null,
      pageSize,
      pages: result.pages,
      published: result.published,
      complete: result.complete,
    });
    options.onPage?.(result);
    if (result.complete) return result;
  }
};

/**
 * The entries of a `PutEvents` call with `FailedEntryCount > 0` that did not get through. The
 * response's `Entries` are in request order and the failed ones carry an `ErrorCode`; when the
 * response has no `Entries`, or not one per request entry, nothing tells which entries were
 * accepted, so every entry counts as failed (retried; a duplicate is harmless downstream).
 */
const stillFailing = (
  sent: PutEventsRequestEntry[],
  results: readonly PutEventsResultEntry[] | undefined,
): PutEventsRequestEntry[] => {
  if (!results || results.length !== sent.length) return sent;
  const failed = sent.filter((_, index) => results[index]?.ErrorCode !== undefined);
  // FailedEntryCount > 0 but no entry says which: trust the count, not the silence.
  return failed.length > 0 ? failed : sent;
};

/**
 * Publishes entries 10 per `PutEvents` call; entries the response marks failed (throttling,
 * internal errors) are retried with exponential backoff and jitter. A response with
 * `FailedEntryCount > 0` that does not say which entries failed counts all of them as failed.
 *
 * @returns how many entries still failed after `maxAttempts`.
 */
export const publishAll = async (
  eventBridge: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
  maxAttempts: number,
): Promise<number> => {
  let failedTotal = 0;
  for (let i = 0; i < entries.length; i += 10) {
    let pending = entries.slice(i, i + 10);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const response = await eventBridge.send(new PutEventsCommand({ Entries: pending }));
      if (!response.FailedEntryCount) {
        pending = [];
        break;
      }
      pending = stillFailing(pending, response.Entries);
      if (attempt >= maxAttempts) break;
      await sleep(Math.min(100 * 2 ** attempt, 5_000) * (0.5 + Math.random() / 2));
    }
    failedTotal += pending.length;
  }
  return failedTotal;
};
