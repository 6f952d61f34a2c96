import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { pipeline } from '../../shared/pipeline.js';
import { consoleReconcile } from '../console/consoleReconcile.js';
import { startConsole } from '../console/consoleServer.js';
import {
  consoleSources,
  DEFAULT_CONSOLE_QUEUES,
  resolveWatchedQueues,
} from '../console/consoleSetup.js';
import { type CliContext, type CommonOptions, withCommonOptions } from '../context.js';
import { AWS_DEFAULT_ENDPOINT, isLoopbackEndpoint } from '../endpointGuard.js';
import { ExitCode } from '../errors.js';
import { list, positiveInteger } from '../options.js';

interface ConsoleFlags extends CommonOptions {
  readonly port?: number;
  readonly open?: boolean;
  readonly readOnly?: boolean;
  readonly logGroups?: string[];
  readonly userPoolId?: string;
}

/** Opens a URL in the desktop's browser, when there is one; failing to is not an error. */
const openInBrowser = (url: string): void => {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
};

/** The `console` command: the operator's web page, on 127.0.0.1, until Ctrl-C. */
export const consoleCommand = (context: CliContext): Command =>
  withCommonOptions(
    new Command('console')
      .description(
        'Serve the operator console on 127.0.0.1: the pipeline live, dead letters with the reason they failed, replay and reconcile.',
      )
      .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', positiveInteger())
      .option('--open', 'open the page in the default browser')
      .option('--read-only', 'hide and refuse every action')
      .option(
        '--user-pool-id <id>',
        'the pool the reconcile action diffs (default: USER_POOL_ID; with HASURA_GRAPHQL_ENDPOINT and the admin secret set, the console offers reconcile)',
      )
      .option(
        '--log-groups <names>',
        "deployed stack: the consumers' CloudWatch log groups to find dead-letter reasons in (comma-separated)",
        list,
      ),
  )
    .addHelpText(
      'after',
      '\nThe URL it prints carries a random token; every request needs it. Against a loopback endpoint (the local stack) the charts and reasons come from the local stack; otherwise from CloudWatch and CloudWatch Logs Insights.\nExit codes: 0 stopped with Ctrl-C, 2 bad arguments, 3 endpoint error, 143 SIGTERM.',
    )
    .action(async (flags: ConsoleFlags) => {
      const { sqs } = context.clients();
      const endpoint = context.endpoint();
      const local = endpoint !== undefined && isLoopbackEndpoint(endpoint);
      const queues = await resolveWatchedQueues(sqs, DEFAULT_CONSOLE_QUEUES);
      const userPoolId = flags.userPoolId ?? context.env.USER_POOL_ID;
      const reconcile =
        userPoolId !== undefined && context.env.HASURA_GRAPHQL_ENDPOINT !== undefined
          ? consoleReconcile({
              env: context.env,
              cognito: context.clients().cognito,
              eventBridge: context.clients().eventBridge,
              userPoolId,
              target: {
                eventBusName: context.env.EVENT_BUS_NAME ?? pipeline.eventBusName,
                source: context.env.EVENT_SOURCE ?? pipeline.eventSource,
              },
            })
          : undefined;
      const running = await startConsole({
        sqs,
        queues,
        ...consoleSources({
          local,
          ...(context.env.AWS_REGION ? { region: context.env.AWS_REGION } : {}),
          logGroups: flags.logGroups ?? [],
        }),
        target: endpoint ?? AWS_DEFAULT_ENDPOINT,
        readOnly: flags.readOnly ?? false,
        ...(reconcile === undefined ? {} : { reconcile }),
        ...(flags.port ? { port: flags.port } : {}),
      });
      context.stderr.write(`console: ${running.url}\n(Ctrl-C to stop)\n`);
      if (flags.json) context.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
      if (flags.open) openInBrowser(running.url);
      await new Promise((resolve) =>
        context.signal.addEventListener('abort', resolve, { once: true }),
      );
      await running.close();
      context.exitCode = ExitCode.Ok;
    });
