import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { ExitCode } from '../errors.js';
import { seconds, timestamp } from '../options.js';
import { Progress } from '../progress.js';
import { replayArchive, replayFraction } from '../replayArchive.js';

interface ReplayArchiveFlags extends CommonOptions {
  readonly from: Date;
  readonly to?: Date;
  readonly archive: string;
  readonly bus: string;
  readonly rule: string;
  readonly name?: string;
  readonly pollInterval: number;
  readonly timeout: number;
  readonly dryRun?: boolean;
}

/** The `replay-archive` command: EventBridge archive replay of a window to the sync rule only. */
export const replayArchiveCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('replay-archive')
      .description(
        'Replay the EventBridge archive for a time window to the sync rule only (StartReplay with Destination.FilterArns), then follow it until it completes.',
      )
      .requiredOption(
        '--from <time>',
        'start of the window: ISO-8601, epoch ms, or a duration ago (2h, 7d)',
        (raw: string) => timestamp(raw),
      )
      .option('--to <time>', 'end of the window (default: now)', (raw: string) => timestamp(raw))
      .option('--archive <name>', 'archive to replay', pipeline.archive.name)
      .option('--bus <name>', 'event bus of the archive', pipeline.eventBusName)
      .option('--rule <name>', 'the only rule that receives the replay', pipeline.syncRuleName)
      .option('--name <name>', 'replay name (default: cognito-hasura-sync-<time>)')
      .option('--poll-interval <s>', 'seconds between two DescribeReplay calls', seconds, 2)
      .option('--timeout <s>', 'stop following after this many seconds', seconds, 3600)
      .option(
        '--dry-run',
        'check the archive, rule and bus and print the replay that would start; start nothing',
      ),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 COMPLETED (or a dry run), 1 FAILED/CANCELLED, 2 bad arguments, 3 endpoint error, 130 interrupted or timed out, 143 SIGTERM (the replay goes on).\nNote: moto replays the whole archive to every rule (ignores the window and FilterArns); AWS does not.\n\nExample:\n  cognito-hasura-sync replay-archive --from 2026-11-26T08:00:00Z --to 2026-11-26T09:00:00Z',
    )
    .action(async (flags: ReplayArchiveFlags) => {
      const to = flags.to ?? new Date();
      const replayName =
        flags.name ?? `cognito-hasura-sync-${new Date().toISOString().replace(/[^0-9]/g, '')}`;
      const progress = new Progress(context.stderr, {
        label: '% of the window',
        total: 100,
        silent: flags.quiet ?? false,
      });
      const result = await replayArchive(context.clients().eventBridge, {
        archiveName: flags.archive,
        eventBusName: flags.bus,
        ruleName: flags.rule,
        from: flags.from,
        to,
        replayName,
        pollIntervalMs: flags.pollInterval * 1000,
        timeoutMs: flags.timeout * 1000,
        dryRun: flags.dryRun ?? false,
        signal: context.signal,
        onProgress: (replay) =>
          progress.update(
            Math.floor(replayFraction(replay, flags.from, to) * 100),
            replay.State ?? '',
          ),
      });
      progress.finish(result.state);
      const window = `${flags.from.toISOString()} → ${to.toISOString()}`;
      writeResult(
        context,
        flags,
        { ...result, from: flags.from.toISOString(), to: to.toISOString() },
        [
          result.dryRun
            ? `dry run: would replay ${flags.archive} (${window}${result.eventCountInArchive !== undefined ? `, ${result.eventCountInArchive} event(s) in the archive` : ''}) to rule ${flags.rule} only, as replay ${result.replayName}; nothing was started`
            : `replay ${result.replayName} of ${flags.archive} (${window}) to rule ${flags.rule}: ${result.state}${result.stateReason ? ` (${result.stateReason})` : ''}`,
        ],
      );
      if (result.dryRun) {
        context.exitCode = ExitCode.Ok;
        return;
      }
      context.exitCode =
        result.state === 'COMPLETED'
          ? ExitCode.Ok
          : result.state === 'FAILED' || result.state === 'CANCELLED'
            ? ExitCode.Failed
            : ExitCode.Interrupted;
    });
