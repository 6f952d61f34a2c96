import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { ExitCode } from '../errors.js';
import { seconds } from '../options.js';
import { resolveQueueUrl } from '../queues.js';
import { sleep } from '../rateLimiter.js';
import { formatStatus, readStatus } from '../status.js';

interface StatusFlags extends CommonOptions {
  readonly queue: string;
  readonly dlq: string;
  readonly archive: string;
  readonly watch?: number;
  readonly peekSyncQueue?: boolean;
}

/** The `status` command: queue depths, in-flight count, oldest message, archive size. */
export const statusCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('status')
      .description(
        'Show the sync queue depth and in-flight count, the DLQ depth, the age of the oldest message, and the archive size.',
      )
      .option('--queue <name|url>', 'the sync queue', pipeline.syncQueue.name)
      .option('--dlq <name|url>', 'its dead-letter queue', pipeline.syncQueue.dlqName)
      .option('--archive <name>', 'the EventBridge archive', pipeline.archive.name)
      .option('--watch <s>', 'refresh every N seconds until Ctrl-C', seconds)
      .option(
        '--peek-sync-queue',
        'also peek the sync queue for its oldest message (each peek counts as a receive towards maxReceiveCount)',
      ),
  )
    .addHelpText(
      'after',
      '\nThe oldest-message age comes from peeking (receive with visibility 0, nothing consumed); SQS has no such attribute.\nExit codes: 0 ok (also when Ctrl-C ends --watch), 2 bad arguments (unknown queue), 3 endpoint error, 143 SIGTERM.\n\nExample:\n  cognito-hasura-sync status --watch 5',
    )
    .action(async (flags: StatusFlags) => {
      const { sqs, eventBridge } = context.clients();
      const syncQueueUrl = await resolveQueueUrl(sqs, flags.queue, '--queue');
      const dlqUrl = await resolveQueueUrl(sqs, flags.dlq, '--dlq');
      const interactive = Boolean(context.stdout.isTTY) && !flags.json;
      for (;;) {
        const status = await readStatus(
          { sqs, eventBridge },
          {
            syncQueueUrl,
            dlqUrl,
            archiveName: flags.archive,
            peekSyncQueue: flags.peekSyncQueue ?? false,
          },
        );
        // On a terminal, --watch redraws in place (clear screen + home); elsewhere it appends.
        if (flags.watch && interactive) context.stdout.write('\x1b[2J\x1b[H');
        writeResult(context, flags, status, formatStatus(status));
        if (!flags.watch || context.signal.aborted) break;
        await Promise.race([
          sleep(flags.watch * 1000),
          new Promise((resolve) =>
            context.signal.addEventListener('abort', resolve, { once: true }),
          ),
        ]);
        if (context.signal.aborted) break;
      }
      context.exitCode = ExitCode.Ok;
    });
