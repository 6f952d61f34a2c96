import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
  DescribeRuleCommand,
  type EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { UsageError } from './errors.js';
import { sleep } from './rateLimiter.js';

/** Options of {@link replayArchive}. */
export interface ReplayArchiveOptions {
  /** Archive name. */
  readonly archiveName: string;
  /** Bus the archive belongs to (and the replay goes back to). */
  readonly eventBusName: string;
  /** The only rule the replayed events go to (`Destination.FilterArns`). */
  readonly ruleName: string;
  /** Start of the window (inclusive). */
  readonly from: Date;
  /** End of the window. */
  readonly to: Date;
  /** Replay name; unique per account and region. */
  readonly replayName: string;
  /**
   * Time between two `DescribeReplay` calls, in milliseconds.
   * @default 2000
   */
  readonly pollIntervalMs?: number;
  /**
   * Give up following after this long, in milliseconds (the replay keeps running).
   * @default 3600000
   */
  readonly timeoutMs?: number;
  /**
   * Check the archive, rule and bus and return the replay that would start, without starting it.
   * @default false
   */
  readonly dryRun?: boolean;
  /** Stops following the replay (it keeps running in EventBridge). */
  readonly signal?: AbortSignal;
  /** Called after every `DescribeReplay`. */
  readonly onProgress?: (replay: DescribeReplayCommandOutput) => void;
}

/** What {@link replayArchive} saw. */
export interface ReplayArchiveResult {
  readonly replayName: string;
  /** Empty for a dry run (no replay exists). */
  readonly replayArn: string;
  /** True when nothing was started (`dryRun`). */
  readonly dryRun: boolean;
  /** COMPLETED, FAILED, CANCELLED, STARTING/RUNNING when following stopped early, DRY_RUN. */
  readonly state: string;
  readonly stateReason?: string;
  readonly ruleArn: string;
  readonly archiveArn: string;
  readonly eventCountInArchive?: number;
  readonly lastReplayedAt?: string;
}

const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/**
 * Starts an EventBridge archive replay of `[from, to]` whose destination is limited to the sync
 * rule (`FilterArns`), so other subscribers of the bus do not receive the events twice, then
 * follows it with `DescribeReplay` until it is COMPLETED, FAILED or CANCELLED. With `dryRun` it
 * checks the archive, rule and bus and returns without starting anything.
 *
 * moto 5.2.5 replays synchronously, ignores the time window AND `FilterArns` (every archived
 * event goes to every matching rule); AWS honours both.
 *
 * @throws {@link UsageError} when `from` is not before `to`, or the archive / rule is unknown.
 */
export const replayArchive = async (
  eventBridge: EventBridgeClient,
  options: ReplayArchiveOptions,
): Promise<ReplayArchiveResult> => {
  if (options.from.getTime() >= options.to.getTime()) {
    throw new UsageError(
      `--from (${options.from.toISOString()}) must be before --to (${options.to.toISOString()})`,
    );
  }
  const archive = await eventBridge
    .send(new DescribeArchiveCommand({ ArchiveName: options.archiveName }))
    .catch(notFound(`--archive: unknown archive "${options.archiveName}"`));
  const rule = await eventBridge
    .send(new DescribeRuleCommand({ Name: options.ruleName, EventBusName: options.eventBusName }))
    .catch(notFound(`--rule: unknown rule "${options.ruleName}" on bus "${options.eventBusName}"`));
  const bus = await eventBridge
    .send(new DescribeEventBusCommand({ Name: options.eventBusName }))
    .catch(notFound(`--bus: unknown event bus "${options.eventBusName}"`));
  const archiveArn = archive.ArchiveArn ?? '';
  const ruleArn = rule.Arn ?? '';
  const request = {
    ReplayName: options.replayName,
    Description: 'cognito-hasura-sync replay-archive',
    EventSourceArn: archiveArn,
    EventStartTime: options.from,
    EventEndTime: options.to,
    Destination: { Arn: bus.Arn ?? archive.EventSourceArn ?? '', FilterArns: [ruleArn] },
  };
  if (options.dryRun) {
    return {
      replayName: options.replayName,
      replayArn: '',
      dryRun: true,
      state: 'DRY_RUN',
      ruleArn,
      archiveArn,
      ...(archive.EventCount !== undefined ? { eventCountInArchive: archive.EventCount } : {}),
    };
  }

  const started = await eventBridge.send(new StartReplayCommand(request));

  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  for (;;) {
    const replay = await eventBridge.send(
      new DescribeReplayCommand({ ReplayName: options.replayName }),
    );
    options.onProgress?.(replay);
    const state = replay.State ?? 'STARTING';
    if (FINAL_STATES.has(state) || options.signal?.aborted || Date.now() > deadline) {
      return {
        replayName: options.replayName,
        replayArn: replay.ReplayArn ?? started.ReplayArn ?? '',
        dryRun: false,
        state,
        ruleArn,
        archiveArn,
        ...(replay.StateReason ? { stateReason: replay.StateReason } : {}),
        ...(archive.EventCount !== undefined ? { eventCountInArchive: archive.EventCount } : {}),
        ...(replay.EventLastReplayedTime
          ? { lastReplayedAt: replay.EventLastReplayedTime.toISOString() }
          : {}),
      };
    }
    await sleep(options.pollIntervalMs ?? 2000);
  }
};

/** Fraction of the window replayed so far, from `EventLastReplayedTime`. */
export const replayFraction = (
  replay: DescribeReplayCommandOutput,
  from: Date,
  to: Date,
): number => {
  if (replay.State === 'COMPLETED') return 1;
  const last = replay.EventLastReplayedTime?.getTime();
  if (last === undefined) return 0;
  return Math.max(0, Math.min(1, (last - from.getTime()) / (to.getTime() - from.getTime())));
};

const notFound =
  (message: string) =>
  (error: unknown): never => {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new UsageError(message, { cause: error });
    }
    throw error;
  };
