import { Command } from 'commander';
import { COGNITO_ATTRIBUTE_NAME } from '../../shared/events/userAuthenticated.js';
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
  readonly dryRun?: boolean;
  readonly rate: number;
  readonly pageSize: number;
}

/** Cognito allows 30 ListUsers calls per second per account; stay well below by default. */
const DEFAULT_LIST_USERS_RATE = 5;

/**
 * The allow-list of attributes the events carry. It must be the deployment's (the trigger's
 * `PUBLISHED_ATTRIBUTES`, the stack's `publishedAttributes`): a shorter list would blank mapped
 * columns, a longer one would publish attributes the deployment keeps out of its events. The
 * operator's shell cannot be trusted to hold it, so it is a required flag.
 *
 * @throws {@link UsageError} when `--attributes` is missing, empty or names no Cognito attribute.
 */
export const requireAttributes = (attributes: readonly string[] | undefined): string[] => {
  if (attributes === undefined || attributes.length === 0) {
    throw new UsageError(
      "--attributes is required: give the deployment's allow-list, the post-authentication trigger's PUBLISHED_ATTRIBUTES (the stack's publishedAttributes, default email), e.g. --attributes email,custom:tenant; read it with `aws lambda get-function-configuration --function-name <PostAuthenticationFunctionArn output of the stack> --query Environment.Variables.PUBLISHED_ATTRIBUTES --output text`",
    );
  }
  const bad = attributes.find((name) => !COGNITO_ATTRIBUTE_NAME.test(name));
  if (bad !== undefined) {
    throw new UsageError(
      `--attributes must list Cognito attribute names separated by commas, got "${bad}"`,
    );
  }
  return [...attributes];
};

/** The `backfill` command: one UserUpdated event (the state as read) per Cognito user, resumable. */
export const backfillCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('backfill')
      .description(
        'Publish one UserUpdated event (cause Backfill, occurredAt = the time of the ListUsers read, enabled and status as listed; never a login) per user of a Cognito pool, paging ListUsers under a rate limit; resumable from a checkpoint.',
      )
      .option('--user-pool-id <id>', 'the Cognito user pool (default: USER_POOL_ID)')
      .option('--bus <name>', `event bus (default: EVENT_BUS_NAME or ${pipeline.eventBusName})`)
      .option(
        '--source <source>',
        `event Source (default: EVENT_SOURCE or ${pipeline.eventSource})`,
      )
      .option(
        '--attributes <names>',
        "required: the deployment's allow-list, the post-authentication trigger's PUBLISHED_ATTRIBUTES (e.g. email,custom:tenant)",
        list,
      )
      .option(
        '--dry-run',
        'page through the pool and count the events, publish nothing, write no checkpoint',
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
      '\nExit codes: 0 every user published, 1 some events failed (run again with --resume), 2 bad arguments, 3 endpoint error, 130 interrupted (resume with --resume), 143 SIGTERM (resume with --resume).\n\nExample:\n  cognito-hasura-sync backfill --user-pool-id eu-west-1_AbCdEf123 --attributes email --checkpoint bf.json\n  cognito-hasura-sync backfill --user-pool-id eu-west-1_AbCdEf123 --attributes email --checkpoint bf.json --resume',
    )
    .action(async (flags: BackfillFlags) => {
      const userPoolId = flags.userPoolId ?? context.env.USER_POOL_ID;
      if (!userPoolId) throw new UsageError('--user-pool-id is required (or set USER_POOL_ID)');
      if (flags.pageSize > 60) {
        throw new UsageError(`--page-size must be from 1 to 60, got ${flags.pageSize}`);
      }
      const attributes = requireAttributes(flags.attributes);
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
        dryRun: flags.dryRun ?? false,
        listUsersPerSecond: flags.rate,
        pageSize: flags.pageSize,
        signal: context.signal,
        onPage: (state) => {
          progress.setTotal(state.estimatedUsers);
          progress.update(
            state.dryRun ? state.wouldPublish : state.published,
            `page ${state.pages}`,
          );
        },
      });
      progress.finish();
      if (result.dryRun) {
        writeResult(context, flags, { ...result, attributes }, [
          `dry run of backfill of ${userPoolId}: ${result.wouldPublish} event(s) would be published over ${result.pages} page(s)` +
            (result.skipped ? `, ${result.skipped} user(s) without sub or username skipped` : '') +
            ` with attributes ${attributes.join(',')}` +
            (result.interrupted ? ' (interrupted)' : '') +
            '; nothing was published, no checkpoint written',
          ...result.samples.map((sample) => `  sample ${JSON.stringify(sample)}`),
        ]);
        context.exitCode = result.interrupted ? ExitCode.Interrupted : ExitCode.Ok;
        return;
      }
      const state = result.complete
        ? 'complete'
        : result.interrupted
          ? 'interrupted: continue with --resume'
          : 'incomplete: continue with --resume';
      writeResult(context, flags, { ...result, attributes, checkpoint: flags.checkpoint }, [
        `backfill of ${userPoolId}: ${result.published} event(s) published over ${result.pages} page(s)` +
          (result.skipped ? `, ${result.skipped} user(s) without sub or username skipped` : '') +
          (result.failed ? `, ${result.failed} event(s) failed` : '') +
          ` — ${state} (checkpoint ${flags.checkpoint})`,
      ]);
      context.exitCode = result.complete
        ? ExitCode.Ok
        : result.interrupted
          ? ExitCode.Interrupted
          : ExitCode.Failed;
    });
