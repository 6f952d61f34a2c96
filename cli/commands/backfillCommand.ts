import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { backfill } from '../backfill.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { list, positiveInteger, rate } from '../options.js';
import { Progress } from '../progress.js';

interface BackfillFlags extends CommonOptions {
  readonly userPoolId?: string;
  readonly bus?: string;
  readonly source?: string;
  readonly attributes?: string[];
  readonly checkpoint: string;
  readonly resume?: boolean;
  readonly rate: number;
  readonly pageSize: number;
}

/** Cognito allows 30 ListUsers calls per second per account; stay well below by default. */
const DEFAULT_LIST_USERS_RATE = 5;

/** The `backfill` command: one UserAuthenticated event per Cognito user, resumable. */
export const backfillCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('backfill')
      .description(
        'Publish one UserAuthenticated event (triggerSource Backfill, authenticatedAt = UserLastModifiedDate) per user of a Cognito pool, paging ListUsers under a rate limit; resumable from a checkpoint.',
      )
      .option('--user-pool-id <id>', 'the Cognito user pool (default: USER_POOL_ID)')
      .option('--bus <name>', `event bus (default: EVENT_BUS_NAME or ${pipeline.eventBusName})`)
      .option(
        '--source <source>',
        `event Source (default: EVENT_SOURCE or ${pipeline.eventSource})`,
      )
      .option(
        '--attributes <names>',
        'allow-listed attributes to publish (default: PUBLISHED_ATTRIBUTES or email)',
        list,
      )
      .option(
        '--checkpoint <path>',
        'checkpoint file, rewritten after each published page',
        'backfill-checkpoint.json',
      )
      .option('--resume', 'continue after the last page recorded in the checkpoint')
      .option(
        '--rate <n>',
        'ListUsers calls per second (Cognito quota: 30/s per account)',
        rate,
        DEFAULT_LIST_USERS_RATE,
      )
      .option('--page-size <n>', 'users per ListUsers page (1-60)', positiveInteger(), 60),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 every user published, 1 some events failed (run again with --resume), 2 bad arguments, 3 endpoint error, 130 interrupted (resume with --resume).\n\nExample:\n  cognito-hasura-sync backfill --user-pool-id eu-west-1_AbCdEf123 --checkpoint bf.json\n  cognito-hasura-sync backfill --user-pool-id eu-west-1_AbCdEf123 --checkpoint bf.json --resume',
    )
    .action(async (flags: BackfillFlags) => {
      const userPoolId = flags.userPoolId ?? context.env.USER_POOL_ID;
      if (!userPoolId) throw new UsageError('--user-pool-id is required (or set USER_POOL_ID)');
      if (flags.pageSize > 60) {
        throw new UsageError(`--page-size must be from 1 to 60, got ${flags.pageSize}`);
      }
      const attributes = flags.attributes ??
        context.env.PUBLISHED_ATTRIBUTES?.split(',')
          .map((name) => name.trim())
          .filter(Boolean) ?? ['email'];
      const progress = new Progress(context.stderr, {
        label: 'users',
        silent: flags.quiet ?? false,
      });
      const result = await backfill(context.clients(), {
        userPoolId,
        eventBusName: flags.bus ?? context.env.EVENT_BUS_NAME ?? pipeline.eventBusName,
        source: flags.source ?? context.env.EVENT_SOURCE ?? pipeline.eventSource,
        attributes,
        checkpointPath: flags.checkpoint,
        resume: flags.resume ?? false,
        listUsersPerSecond: flags.rate,
        pageSize: flags.pageSize,
        signal: context.signal,
        onPage: (state) => {
          progress.setTotal(state.estimatedUsers);
          progress.update(state.published, `page ${state.pages}`);
        },
      });
      progress.finish();
      const state = result.complete
        ? 'complete'
        : result.interrupted
          ? 'interrupted: continue with --resume'
          : 'incomplete: continue with --resume';
      writeResult(context, flags, { ...result, checkpoint: flags.checkpoint }, [
        `backfill of ${userPoolId}: ${result.published} event(s) published over ${result.pages} page(s)` +
          (result.skipped ? `, ${result.skipped} user(s) without sub skipped` : '') +
          (result.failed ? `, ${result.failed} event(s) failed` : '') +
          ` — ${state} (checkpoint ${flags.checkpoint})`,
      ]);
      context.exitCode = result.complete
        ? ExitCode.Ok
        : result.interrupted
          ? ExitCode.Interrupted
          : ExitCode.Failed;
    });
