/**
 * `npm start`: boots the local stack (moto + the Hasura-compatible engine + the pipeline), makes
 * the simulated users real users of the local pool (sign-up and confirmation: the REAL
 * post-confirmation trigger), drives simulated sign-ins through the REAL post-authentication
 * trigger, then changes users as an administrator would (never-signed-in sign-ups, an email
 * change, a disable, a deletion: the lifecycle path), shows progress, prints a summary, then
 * keeps serving until Ctrl-C. `--once` exits after the summary instead: non-zero
 * when a sign-in did not reach Hasura. docs/local-stack.md describes flags and variables.
 */
import { rmSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { LOCAL_REASON_LOG } from '../cli/console/deadLetterReasons.js';
import { type SimulationResult, simulateLogins, unsyncedUsers } from '../cli/simulateLogins.js';
import { describeError, isConfigurationError } from '../shared/errors.js';
import { fetchSyncedUsers } from './hasuraTarget.js';
import {
  checkLifecycleDemo,
  type LifecycleDemo,
  type LifecycleDemoStatus,
  lifecycleDemoComplete,
  registerSimulatedUsers,
  runLifecycleDemo,
} from './lifecycleDemo.js';
import { type LocalConsole, serveLocalConsole } from './localConsole.js';
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
  .option(
    '--console-port <n>',
    'port of the operator console on 127.0.0.1 (default: a free one)',
    positiveInteger,
    0,
  )
  .showHelpAfterError();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the lifecycle and sync queues are empty (the registrations' events are applied),
 * so the sign-ins that follow do not compete with them for moto, the deadline passes or the run
 * is interrupted.
 */
const waitForQuiet = async (
  stack: LocalStack,
  deadline: number,
  signal: AbortSignal,
  status: (text: string) => void,
): Promise<void> => {
  while (!signal.aborted && Date.now() < deadline) {
    const hints = await queueDepth(stack.aws.sqs, stack.lifecycle.queueUrl);
    const sync = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl);
    status(`applying the sign-ups: lifecycle queue ${hints.total} · sync queue ${sync.total}`);
    if (hints.total === 0 && sync.total === 0) return;
    await sleep(250);
  }
};

/** The signed-in users that should be up to date: all but the one the demo deleted. */
const signedInUsers = (simulation: SimulationResult, demo: LifecycleDemo): SimulationResult => ({
  ...simulation,
  users: simulation.users.filter((user) => user.sub !== demo.deleted?.sub),
});

/**
 * Waits until every simulated user is up to date in Hasura, the demo's changes reached it and
 * the queues are drained, the deadline passes or the run is interrupted.
 *
 * @returns the demo's status at the end of the wait.
 */
const waitForSync = async (
  stack: LocalStack,
  simulation: SimulationResult,
  demo: LifecycleDemo,
  deadline: number,
  signal: AbortSignal,
  status: (text: string) => void,
): Promise<LifecycleDemoStatus> => {
  const expected = signedInUsers(simulation, demo);
  for (;;) {
    const rows = await fetchSyncedUsers(stack.hasura);
    const unsynced = unsyncedUsers(expected, rows).length;
    const lifecycle = await checkLifecycleDemo(stack.hasura, demo);
    const sync = await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.queueUrl);
    const hints = await queueDepth(stack.aws.sqs, stack.lifecycle.queueUrl);
    const subscriber = await queueDepth(stack.aws.sqs, stack.provisioned.subscriber.queueUrl);
    status(
      `waiting for the sync: ${expected.users.length - unsynced}/${expected.users.length} users up to date · lifecycle ${lifecycleDemoComplete(demo, lifecycle) ? 'done' : 'pending'} · sync queue ${sync.total} · lifecycle queue ${hints.total} · subscriber queue ${subscriber.total}`,
    );
    const drained =
      sync.total === 0 &&
      hints.total === 0 &&
      (stack.subscriberPoller === undefined || subscriber.total === 0);
    const done = unsynced === 0 && drained && lifecycleDemoComplete(demo, lifecycle);
    if (done || signal.aborted || Date.now() > deadline) return lifecycle;
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
    consolePort: number;
  }>();
  // The console explains dead letters from the reasons the consumers log: a fresh log per run.
  rmSync(LOCAL_REASON_LOG, { force: true });
  const options = { ...loadLocalStackOptions(process.env), reasonLog: LOCAL_REASON_LOG };
  const out = process.stdout;
  const interrupted = new AbortController();
  let stack: LocalStack | undefined;
  let localConsole: LocalConsole | undefined;
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
    localConsole = await serveLocalConsole(stack, flags.consolePort);
    out.write(`Ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s.\n`);
    out.write(`Operator console: ${localConsole.console.url}\n\n`);
    if (interrupted.signal.aborted) return 130;

    const status = createStatusLine(out);
    const registering = Math.min(flags.users, Math.max(flags.logins, 1));
    const population = await registerSimulatedUsers(stack.admin, registering, {
      concurrency: flags.concurrency,
      onProgress: (done) =>
        status(`users signed up and confirmed in ${stack?.userPoolId}: ${done}/${registering}`),
    });
    await waitForQuiet(stack, Date.now() + flags.timeout * 1000, interrupted.signal, status);
    if (interrupted.signal.aborted) return 130;
    const simulation = await simulateLogins({
      handler: stack.postAuthentication,
      logins: flags.logins,
      users: flags.users,
      population,
      userPoolId: stack.userPoolId,
      region: stack.region,
      concurrency: flags.concurrency,
      signal: interrupted.signal,
      onProgress: (done, total) => {
        const snapshot = stack?.recorder.snapshot();
        status(
          `sign-ins ${done}/${total} · published ${snapshot?.published ?? 0} · fallback ${snapshot?.fallback ?? 0} · rows written ${snapshot?.usersSynced ?? 0}`,
        );
      },
    });
    status(
      'administrator changes: sign-ups that never sign in, an email change, a disable, a deletion',
    );
    const demo = await runLifecycleDemo(stack.admin, simulation.users);
    const lifecycle = await waitForSync(
      stack,
      simulation,
      demo,
      Date.now() + flags.timeout * 1000,
      interrupted.signal,
      status,
    );
    status.done();

    const rows = await fetchSyncedUsers(stack.hasura);
    const expected = signedInUsers(simulation, demo);
    const summary: RunSummary = {
      simulation,
      snapshot: stack.recorder.snapshot(),
      userPoolId: stack.userPoolId,
      usersInHasura: rows.length,
      expectedUsers: expected.users.length,
      unsynced: unsyncedUsers(expected, rows).length,
      dlqDepth: (await queueDepth(stack.aws.sqs, stack.provisioned.syncQueue.dlqUrl)).total,
      lifecycle: {
        demo,
        status: lifecycle,
        dlqDepth: (await queueDepth(stack.aws.sqs, stack.lifecycle.dlqUrl)).total,
      },
    };
    out.write(formatSummary(summary));
    out.write(formatEndpoints(stack));
    const failed =
      summary.unsynced > 0 ||
      summary.dlqDepth > 0 ||
      summary.snapshot.publishFailed > 0 ||
      summary.snapshot.signUps.failed > 0 ||
      summary.lifecycle.dlqDepth > 0 ||
      !lifecycleDemoComplete(demo, lifecycle);
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
    await localConsole?.stop();
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
