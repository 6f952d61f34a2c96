/**
 * `npm start`: boots the local stack (moto + the Hasura-compatible engine + the pipeline), drives
 * simulated sign-ins through the REAL post-authentication trigger, shows progress, prints a
 * summary, then keeps serving until Ctrl-C. `--once` exits after the summary instead: non-zero
 * when a sign-in did not reach Hasura. docs/local-stack.md describes flags and variables.
 */
import { Command, InvalidArgumentError } from 'commander';
import { type SimulationResult, simulateLogins, unsyncedUsers } from '../cli/simulateLogins.js';
import { describeError, isConfigurationError } from '../shared/errors.js';
import { fetchSyncedUsers } from './hasuraTarget.js';
import { loadLocalStackOptions } from './localStackConfig.js';
import { queueDepth } from './queueDepth.js';
import { type LocalStack, startLocalStack } from './stack.js';
import { formatEndpoints, formatSummary, type RunSummary } from './startReport.js';
import { createStatusLine } from './statusLine.js';

const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('not a positive integer');
  return parsed;
};

const program = new Command('npm start --')
  .description('Run the whole sync locally and drive simulated sign-ins through it')
  .option('--logins <n>', 'sign-ins to simulate', positiveInteger, 3000)
  .option('--users <n>', 'distinct users they are spread over', positiveInteger, 300)
  .option('--concurrency <n>', 'sign-ins in flight at once', positiveInteger, 4)
  .option('--timeout <seconds>', 'longest wait for the sync to catch up', positiveInteger, 120)
  .option('--once', 'exit after the summary (non-zero if a sign-in did not reach Hasura)', false)
  .showHelpAfterError();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every simulated user is up to date in Hasura and the queues are drained, the
 * deadline passes or the run is interrupted.
 */
const waitForSync = async (
  stack: LocalStack,
  simulation: SimulationResult,
  deadline: number,
  signal: AbortSignal,
  status: (text: string) => void,
): Promise<void> => {
  while (!signal.aborted) {
    const rows = await fetchSyncedUsers(stack.hasura);
    const unsynced = unsyncedUsers(simulation, rows).length;
    const sync = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl);
    const subscriber = await queueDepth(stack.aws.sqs, stack.provisioned.subscriber.queueUrl);
    status(
      `waiting for the sync: ${simulation.users.length - unsynced}/${simulation.users.length} users up to date · sync queue ${sync.total} · subscriber queue ${subscriber.total}`,
    );
    const drained =
      sync.total === 0 && (stack.subscriberPoller === undefined || subscriber.total === 0);
    if ((unsynced === 0 && drained) || Date.now() > deadline) break;
    await sleep(250);
  }
};

const main = async (): Promise<number> => {
  const flags = program.parse(process.argv).opts<{
    logins: number;
    users: number;
    concurrency: number;
    timeout: number;
    once: boolean;
  }>();
  // The SDK's notice about Node.js 22 says nothing about this local run; keep the terminal clean.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = loadLocalStackOptions(process.env);
  const out = process.stdout;
  const interrupted = new AbortController();
  let stack: LocalStack | undefined;
  const onSignal = (): void => {
    if (interrupted.signal.aborted) {
      // A second Ctrl-C does not wait: moto is killed by its own exit hook.
      process.exit(130);
    }
    interrupted.abort();
    out.write('\nStopping… (Ctrl-C again to force)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    out.write('Starting the local stack (moto, Hasura-compatible engine, pipeline)…\n');
    const bootStarted = Date.now();
    stack = await startLocalStack(options);
    out.write(`Ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s.\n\n`);
    if (interrupted.signal.aborted) return 130;

    const status = createStatusLine(out);
    const simulation = await simulateLogins({
      handler: stack.postAuthentication,
      logins: flags.logins,
      users: flags.users,
      concurrency: flags.concurrency,
      signal: interrupted.signal,
      onProgress: (done, total) => {
        const snapshot = stack?.recorder.snapshot();
        status(
          `sign-ins ${done}/${total} · published ${snapshot?.published ?? 0} · fallback ${snapshot?.fallback ?? 0} · rows written ${snapshot?.usersSynced ?? 0}`,
        );
      },
    });
    await waitForSync(
      stack,
      simulation,
      Date.now() + flags.timeout * 1000,
      interrupted.signal,
      status,
    );
    status.done();

    const rows = await fetchSyncedUsers(stack.hasura);
    const summary: RunSummary = {
      simulation,
      snapshot: stack.recorder.snapshot(),
      usersInHasura: rows.length,
      unsynced: unsyncedUsers(simulation, rows).length,
      dlqDepth: (await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl)).total,
    };
    out.write(formatSummary(summary));
    out.write(formatEndpoints(stack));
    const failed =
      summary.unsynced > 0 || summary.dlqDepth > 0 || summary.snapshot.publishFailed > 0;
    if (flags.once || interrupted.signal.aborted) {
      if (interrupted.signal.aborted) return 130;
      return failed ? 1 : 0;
    }
    out.write('\nServing. Press Ctrl-C to stop.\n');
    await new Promise<void>((resolve) =>
      interrupted.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    return 0;
  } finally {
    await stack?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is stopped by now; should a stray handle keep the loop alive, exit anyway.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(
      `npm start failed: ${isConfigurationError(error) ? error.message : describeError(error)}\n`,
    );
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2000).unref();
  },
);
