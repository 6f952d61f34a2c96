import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { positiveInteger, rate, seconds } from '../options.js';
import { Progress } from '../progress.js';
import {
  assertDeadLetterQueueOf,
  checkDeadLetterQueueOf,
  findSourceQueue,
  queueCounts,
  queueName,
  resolveQueueUrl,
} from '../queues.js';
import { replayDlq } from '../replayDlq.js';
import { replayDlqNative } from '../replayDlqNative.js';

interface ReplayDlqFlags extends CommonOptions {
  readonly dlq: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly max?: number;
  readonly rate?: number;
  readonly user?: string;
  readonly native?: boolean;
  readonly force?: boolean;
  readonly visibilityTimeout: number;
}

/** The `replay-dlq` command: moves DLQ messages back to their source queue. */
export const replayDlqCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('replay-dlq')
      .description(
        'Move messages from a dead-letter queue back to its source queue: send first, delete second, so an interruption may duplicate a message but never lose one.',
      )
      .option('--dlq <name|url>', 'the dead-letter queue', pipeline.syncQueue.dlqName)
      .option(
        '--to <name|url>',
        'destination queue (default: the queue whose redrive policy names the DLQ)',
      )
      .option('--dry-run', 'count and sample the messages, move nothing')
      .option('--max <n>', 'move at most N messages', positiveInteger())
      .option('--rate <n>', 'at most N messages per second (default: unlimited)', rate)
      .option('--user <sub>', "move only this user's messages (sub or username); others stay")
      .option('--native', 'use SQS StartMessageMoveTask instead (no --user/--max/--dry-run)')
      .option(
        '--force',
        "replay even though --dlq is not --to's dead-letter queue (its RedrivePolicy does not name it)",
      )
      .option(
        '--visibility-timeout <s>',
        'how long messages are held hidden while the command works on them',
        seconds,
        60,
      ),
  )
    .addHelpText(
      'after',
      "\nThe command refuses (exit 2) unless --to's RedrivePolicy names --dlq as its dead-letter queue; --force overrides.\nExit codes: 0 all moved, 1 some not moved or the scan stopped before the end of the DLQ, 2 bad arguments or refused, 3 endpoint error/unsupported, 130 interrupted, 143 SIGTERM.\n\nExample:\n  cognito-hasura-sync replay-dlq --user 4f1c…-sub --rate 50",
    )
    .action(async (flags: ReplayDlqFlags) => {
      context.exitCode = await runReplayDlq(context, flags);
    });

const runReplayDlq = async (context: CliContext, flags: ReplayDlqFlags) => {
  if (flags.native && (flags.user || flags.max || flags.dryRun)) {
    throw new UsageError('--native cannot be combined with --user, --max or --dry-run');
  }
  const { sqs } = context.clients();
  const dlqUrl = await resolveQueueUrl(sqs, flags.dlq, '--dlq');
  const destinationUrl = flags.to
    ? await resolveQueueUrl(sqs, flags.to, '--to')
    : await findSourceQueue(sqs, dlqUrl);
  if (destinationUrl === dlqUrl) throw new UsageError('--to names the DLQ itself');
  // Checked before the first receive: scanning a live queue would already count receives.
  const link = flags.force
    ? await checkDeadLetterQueueOf(sqs, dlqUrl, destinationUrl)
    : await assertDeadLetterQueueOf(sqs, dlqUrl, destinationUrl);
  if (!link.linked) {
    context.stderr.write(
      `warning: --force: ${queueName(dlqUrl)} is not the dead-letter queue of ${queueName(destinationUrl)}; moving its messages anyway\n`,
    );
  }
  if (link.dlqRedrivePolicy) {
    context.stderr.write(
      `warning: ${queueName(dlqUrl)} has a RedrivePolicy of its own: every receive of this scan counts towards its maxReceiveCount\n`,
    );
  }
  const before = await queueCounts(sqs, dlqUrl);
  const progress = new Progress(context.stderr, {
    label: flags.dryRun ? 'scanned' : 'moved',
    silent: flags.quiet ?? false,
    ...(flags.user
      ? {}
      : { total: Math.min(before.visible, flags.max ?? Number.MAX_SAFE_INTEGER) }),
  });

  if (flags.native) {
    const destination = await queueCounts(sqs, destinationUrl);
    const result = await replayDlqNative(sqs, {
      dlqArn: before.arn,
      destinationArn: destination.arn,
      ...(flags.rate ? { perSecond: flags.rate } : {}),
      signal: context.signal,
      onProgress: (task) => {
        if (task.ApproximateNumberOfMessagesToMove !== undefined) {
          progress.setTotal(task.ApproximateNumberOfMessagesToMove);
        }
        progress.update(task.ApproximateNumberOfMessagesMoved ?? 0, task.Status ?? '');
      },
    });
    progress.finish();
    writeResult(context, flags, { native: true, ...result }, [
      `StartMessageMoveTask ${result.status}: ${result.moved} message(s) moved from ${queueName(dlqUrl)} to ${queueName(destinationUrl)}${result.failureReason ? ` (${result.failureReason})` : ''}`,
    ]);
    if (result.status === 'COMPLETED') return ExitCode.Ok;
    return result.status === 'RUNNING' ? ExitCode.Interrupted : ExitCode.Failed;
  }

  const result = await replayDlq(sqs, {
    dlqUrl,
    destinationUrl,
    dryRun: flags.dryRun ?? false,
    visibilityTimeoutSeconds: flags.visibilityTimeout,
    // One receive per message at worst, plus a margin: the scan cannot run forever even when
    // messages keep arriving as fast as it reads them.
    maxReceives: before.visible + before.inFlight + before.delayed + 10,
    signal: context.signal,
    ...(flags.max ? { max: flags.max } : {}),
    ...(flags.rate ? { perSecond: flags.rate } : {}),
    ...(flags.user ? { user: flags.user } : {}),
    onProgress: (state) =>
      progress.update(
        flags.dryRun ? state.scanned : state.moved,
        flags.user ? `${state.matched} matched` : '',
      ),
  });
  progress.finish();
  const from = queueName(dlqUrl);
  const to = queueName(destinationUrl);
  // The scan read the DLQ to its end, or at least as many messages as it held at the start.
  const scanComplete =
    result.stoppedBecause === 'empty' ||
    result.stoppedBecause === 'max' ||
    result.scanned >= before.visible;
  const scanLine = `scan: ${result.scanned} message(s) in ${result.receives} receive(s), ${result.repeats} seen again, stopped: ${result.stoppedBecause}`;
  const incompleteLine = scanComplete
    ? []
    : [
        `scan incomplete: ${result.scanned} of about ${before.visible} message(s) scanned before the scan ${result.stoppedBecause === 'wrapped' ? `went round the queue (held messages came back after --visibility-timeout ${flags.visibilityTimeout}s)` : 'reached its receive limit'}; run again, or raise --visibility-timeout`,
      ];
  const lines = result.dryRun
    ? [
        `dry run: ${result.matched} of ${result.scanned} message(s) in ${from} would move to ${to}; nothing was moved`,
        ...result.samples.map((sample) => `  sample ${JSON.stringify(sample)}`),
        scanLine,
        ...incompleteLine,
      ]
    : [
        `moved ${result.moved} message(s) from ${from} to ${to}` +
          (result.skipped ? `, ${result.skipped} left in the DLQ` : '') +
          (result.failed ? `, ${result.failed} failed to send (still in the DLQ)` : '') +
          (result.duplicated ? `, ${result.duplicated} sent but not deleted (duplicates)` : '') +
          (result.interrupted ? ' (interrupted)' : ''),
        scanLine,
        ...incompleteLine,
      ];
  writeResult(
    context,
    flags,
    {
      dlq: dlqUrl,
      destination: destinationUrl,
      forced: !link.linked,
      dlqDepthAtStart: before.visible,
      scanComplete,
      ...result,
    },
    lines,
  );
  if (result.interrupted) return ExitCode.Interrupted;
  return result.failed > 0 || result.duplicated > 0 || !scanComplete
    ? ExitCode.Failed
    : ExitCode.Ok;
};
