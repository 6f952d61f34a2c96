import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { type CliContext, type CommonOptions, withCommonOptions, writeResult } from '../context.js';
import { assertLocalEndpoints, simulateEndpoints } from '../endpointGuard.js';
import { ExitCode, UsageError } from '../errors.js';
import { positiveInteger } from '../options.js';
import { Progress } from '../progress.js';
import { resolveQueueUrl } from '../queues.js';

interface SimulateFlags extends CommonOptions {
  readonly logins: number;
  readonly users: number;
  readonly concurrency: number;
  readonly bus?: string;
  readonly queue?: string;
  readonly userPoolId?: string;
  readonly yes?: boolean;
}

/** The `simulate` command: N logins of M users through the real post-authentication trigger. */
export const simulateCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('simulate')
      .description(
        'Drive N sign-ins of M users through the real post-authentication trigger (built in-process) against the configured endpoints, as npm start does.',
      )
      .option('--logins <n>', 'sign-ins to simulate', positiveInteger(), 100)
      .option('--users <n>', 'distinct users they are spread over', positiveInteger(), 10)
      .option('--concurrency <n>', 'sign-ins in flight at once', positiveInteger(), 20)
      .option('--bus <name>', `event bus (default: EVENT_BUS_NAME or ${pipeline.eventBusName})`)
      .option(
        '--queue <name|url>',
        `sync queue, the fallback target (default: SYNC_QUEUE_URL or ${pipeline.syncQueue.name})`,
      )
      .option('--user-pool-id <id>', 'user pool id written into the events (default: local pool)')
      .option(
        '--yes',
        'run even though an endpoint is not loopback (127.0.0.0/8, ::1, localhost): synthetic sign-ins reach that deployment',
      ),
  )
    .addHelpText(
      'after',
      '\nRefuses (exit 2) unless every endpoint it sends to is loopback, or --yes is given.\nExit codes: 0 every sign-in published (directly or through the fallback), 1 some events lost, 2 bad arguments or refused, 3 endpoint error, 130 interrupted, 143 SIGTERM.\n\nExample:\n  AWS_ENDPOINT_URL=http://127.0.0.1:5000 cognito-hasura-sync simulate --logins 3000 --users 300',
    )
    .action(async (flags: SimulateFlags) => {
      const queue = flags.queue ?? context.env.SYNC_QUEUE_URL ?? pipeline.syncQueue.name;
      const endpoint = context.endpoint();
      // Before the first request: even a read would tell a production account it was targeted.
      const remote = assertLocalEndpoints(
        simulateEndpoints({ ...(endpoint ? { endpoint } : {}), env: context.env, queue }),
        flags.yes ?? false,
      );
      if (remote.length > 0) {
        context.stderr.write(
          `warning: --yes: simulating sign-ins against ${remote.join(' and ')}, not a local stack\n`,
        );
      }
      const { sqs } = context.clients();
      const region = (await sqs.config.region()) || context.env.AWS_REGION;
      if (!region) throw new UsageError('no AWS region: set AWS_REGION or pass --region');
      const syncQueueUrl = await resolveQueueUrl(
        sqs,
        queue,
        flags.queue ? '--queue' : 'SYNC_QUEUE_URL',
      );
      const progress = new Progress(context.stderr, {
        label: 'sign-ins',
        total: flags.logins,
        silent: flags.quiet ?? false,
      });
      // Loaded on demand: it pulls in the services and the local stack's helpers.
      const { simulate } = await import('../simulate.js');
      const result = await simulate({
        logins: flags.logins,
        users: flags.users,
        concurrency: flags.concurrency,
        eventBusName: flags.bus ?? context.env.EVENT_BUS_NAME ?? pipeline.eventBusName,
        syncQueueUrl,
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(flags.userPoolId ? { userPoolId: flags.userPoolId } : {}),
        env: context.env,
        signal: context.signal,
        onProgress: (completed) => progress.update(completed),
      });
      progress.finish();
      writeResult(context, flags, result, [
        `simulated ${result.logins} sign-in(s) of ${result.users} user(s) in ${result.durationMs} ms: ${result.published} published, ${result.fallback} through the fallback, ${result.failed} lost; trigger latency p50 ${result.triggerLatencyMs.p50} ms, p99 ${result.triggerLatencyMs.p99} ms`,
      ]);
      context.exitCode =
        result.failed > 0
          ? ExitCode.Failed
          : result.logins < flags.logins
            ? ExitCode.Interrupted
            : ExitCode.Ok;
    });
