import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Command, InvalidArgumentError } from 'commander';
import { composeReconcile } from '../../services/reconcile/compose.js';
import { DEFAULT_MAX_DELETES, DEFAULT_RECONCILE_RATE } from '../../services/reconcile/config.js';
import { MAX_PREFIX_LENGTH, prefixLengthFor } from '../../services/reconcile/partitions.js';
import { type ReconcileReport, reconcilePool } from '../../services/reconcile/reconcilePool.js';
import { pipeline } from '../../shared/pipeline.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { ExitCode, type ExitCodeValue, UsageError } from '../errors.js';
import { list, positiveInteger, rate } from '../options.js';
import { Progress } from '../progress.js';
import {
  fileCheckpoint,
  readReconcileCheckpoint,
  resetCheckpoint,
} from '../reconcileCheckpoint.js';
import { requireAttributes } from './backfillCommand.js';

interface ReconcileFlags extends CommonOptions {
  readonly userPoolId?: string;
  readonly bus?: string;
  readonly source?: string;
  readonly attributes?: string[];
  readonly dryRun?: boolean;
  readonly maxDeletes: number;
  readonly rate: number;
  readonly checkpoint: string;
  readonly resume?: boolean;
  readonly partitionDepth?: number;
}

/** `--rate`: calls per second, or `off` (no limit: a quiet test pool, the benchmark). */
const rateOrOff = (raw: string): number =>
  raw.trim().toLowerCase() === 'off' ? Number.POSITIVE_INFINITY : rate(raw);

const depth = (raw: string): number => {
  const value = positiveInteger(0)(raw);
  if (value > MAX_PREFIX_LENGTH) {
    throw new InvalidArgumentError(`expected 0 to ${MAX_PREFIX_LENGTH}, got "${raw}"`);
  }
  return value;
};

/** The pool's `EstimatedNumberOfUsers`, or `undefined` when the endpoint does not say. */
const estimatedUsers = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<number | undefined> => {
  try {
    const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return pool?.UserPool?.EstimatedNumberOfUsers;
  } catch {
    return undefined;
  }
};

/** The exit code of a report: error, max-deletes stop, drift, interrupted, or none. */
export const reconcileExitCode = (report: ReconcileReport): ExitCodeValue => {
  if (report.stoppedAtMaxDeletes) return ExitCode.MaxDeletesReached;
  if (report.failed > 0) return ExitCode.Failed;
  if (report.interrupted) return ExitCode.Interrupted;
  return report.drift ? ExitCode.DriftFound : ExitCode.Ok;
};

/** The human summary of a report: counts, what was done, samples (subs only). */
export const formatReconcileReport = (report: ReconcileReport, checkpoint?: string): string[] => {
  const { counts } = report;
  const seconds = (report.timings.elapsedMs / 1000).toFixed(1);
  const lines = [
    `${report.dryRun ? 'dry run of ' : ''}reconcile of ${report.userPoolId}: ${counts.inStep} in step, ${counts.missing} missing, ${counts.stale} stale, ${counts.orphaned} orphaned` +
      (report.tombstoned
        ? `, ${report.tombstoned} tombstoned (deleted in the table, present in Cognito)`
        : '') +
      ` — ${report.pages} page(s), ${report.cognitoCalls} Cognito call(s), ${seconds} s`,
  ];
  if (report.stoppedAtMaxDeletes) {
    lines.push(
      `STOPPED: ${counts.orphaned} orphaned row(s) exceed --max-deletes ${report.maxDeletes}; nothing was deleted. Check the pool and the Hasura endpoint; if the orphans are real, run again with a larger --max-deletes.`,
    );
  }
  if (report.dryRun) lines.push('nothing was published (--dry-run)');
  else {
    lines.push(
      `repaired: ${report.repaired} event(s) published (${report.deleted} deletion(s))` +
        (report.failed ? `, ${report.failed} failed: run again` : ''),
    );
  }
  const fields = Object.entries(report.staleFields);
  if (fields.length > 0) {
    lines.push(`stale fields: ${fields.map(([field, n]) => `${field} ${n}`).join(', ')}`);
  }
  for (const [kind, subs] of Object.entries(report.samples)) {
    if (subs.length > 0) lines.push(`  ${kind}: ${subs.join(' ')}`);
  }
  if (report.interrupted && checkpoint) {
    lines.push(`interrupted: continue with --resume (checkpoint ${checkpoint})`);
  }
  if (!report.drift && report.complete) lines.push('no drift');
  return lines;
};

/** The `reconcile` command: diff Cognito against the users table, repair through the bus. */
export const reconcileCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('reconcile')
      .description(
        'Compare every Cognito user with its row in the users table (through Hasura): report users missing, stale or orphaned, and repair them by publishing UserUpdated / UserDeleted (cause Reconcile); orphans are confirmed with AdminGetUser and deleted only if there are at most --max-deletes.',
      )
      .option('--user-pool-id <id>', 'the Cognito user pool (default: USER_POOL_ID)')
      .option('--dry-run', 'report only: publish nothing, write no checkpoint')
      .option(
        '--max-deletes <n>',
        'stop, deleting nothing, when more rows than this are orphaned',
        positiveInteger(0),
        DEFAULT_MAX_DELETES,
      )
      .option(
        '--rate <n>',
        'Cognito calls (ListUsers, AdminGetUser) per second, or off (ListUsers quota: 30/s per account, shared)',
        rateOrOff,
        DEFAULT_RECONCILE_RATE,
      )
      .option(
        '--attributes <names>',
        "the deployment's allow-list, what the events carry (default: PUBLISHED_ATTRIBUTES, else email)",
        list,
      )
      .option('--bus <name>', `event bus (default: EVENT_BUS_NAME or ${pipeline.eventBusName})`)
      .option(
        '--source <source>',
        `event Source (default: EVENT_SOURCE or ${pipeline.eventSource})`,
      )
      .option('--checkpoint <path>', 'checkpoint file', 'reconcile-checkpoint.json')
      .option('--resume', 'continue the run recorded in the checkpoint')
      .option(
        '--partition-depth <n>',
        'hex digits of the sub prefixes the pool is split by (0: one pass; default from the pool size)',
        depth,
      ),
  )
    .addHelpText(
      'after',
      '\nEnvironment: HASURA_GRAPHQL_ENDPOINT and HASURA_ADMIN_SECRET (required), USERS_TABLE, USERS_COLUMN_MAP.\n\nExit codes: 0 no drift, 4 drift found (repaired, or reported with --dry-run), 5 stopped at --max-deletes (nothing deleted), 1 some repairs failed (run again), 2 bad arguments or configuration, 3 endpoint error, 130 interrupted / 143 SIGTERM (continue with --resume).\n\nExample:\n  cognito-hasura-sync reconcile --user-pool-id eu-west-1_AbCdEf123 --dry-run\n  cognito-hasura-sync reconcile --user-pool-id eu-west-1_AbCdEf123 --max-deletes 50 --json',
    )
    .action(async (flags: ReconcileFlags) => {
      const userPoolId = flags.userPoolId ?? context.env.USER_POOL_ID;
      if (!userPoolId) throw new UsageError('--user-pool-id is required (or set USER_POOL_ID)');
      const dryRun = flags.dryRun ?? false;
      if (dryRun && flags.resume) throw new UsageError('--resume cannot be used with --dry-run');
      const attributes = flags.attributes ? requireAttributes(flags.attributes) : undefined;
      const clients = context.clients();
      const { dependencies, settings } = composeReconcile({
        env: context.env,
        cognito: clients.cognito,
        eventBridge: clients.eventBridge,
        overrides: {
          userPoolId,
          dryRun,
          maxDeletes: flags.maxDeletes,
          rate: flags.rate,
          ...(attributes ? { attributes } : {}),
          target: {
            eventBusName: flags.bus ?? context.env.EVENT_BUS_NAME ?? pipeline.eventBusName,
            source: flags.source ?? context.env.EVENT_SOURCE ?? pipeline.eventSource,
          },
        },
      });
      const resume = flags.resume
        ? await readReconcileCheckpoint(flags.checkpoint, userPoolId)
        : undefined;
      const estimate = await estimatedUsers(clients.cognito, userPoolId);
      if (!dryRun && !resume) await resetCheckpoint(flags.checkpoint);
      const progress = new Progress(context.stderr, {
        label: 'users',
        silent: flags.quiet ?? false,
        ...(estimate === undefined ? {} : { total: estimate }),
      });
      const report = await reconcilePool(dependencies, settings, {
        prefixLength: flags.partitionDepth ?? prefixLengthFor(estimate),
        ...(resume ? { resume: { state: resume.state, seen: resume.seen } } : {}),
        ...(dryRun
          ? {}
          : {
              checkpoint: fileCheckpoint(flags.checkpoint, {
                userPoolId,
                maxDeletes: flags.maxDeletes,
              }),
            }),
        signal: context.signal,
        onPage: (state) => {
          const { counts } = state.tally;
          progress.update(
            counts.inStep + counts.missing + counts.stale,
            `page ${state.tally.pages}, drift ${counts.missing + counts.stale}`,
          );
        },
      });
      progress.finish();
      writeResult(
        context,
        flags,
        dryRun ? report : { ...report, checkpoint: flags.checkpoint },
        formatReconcileReport(report, dryRun ? undefined : flags.checkpoint),
      );
      context.exitCode = reconcileExitCode(report);
    });
