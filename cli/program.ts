import { Command, CommanderError } from 'commander';
import type { Env } from '../shared/env.js';
import type { AwsClients } from './awsClients.js';
import { backfillCommand } from './commands/backfillCommand.js';
import { consoleCommand } from './commands/consoleCommand.js';
import { reconcileCommand } from './commands/reconcileCommand.js';
import { replayArchiveCommand } from './commands/replayArchiveCommand.js';
import { replayDlqCommand } from './commands/replayDlqCommand.js';
import { simulateCommand } from './commands/simulateCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { type CliContext, createContext } from './context.js';
import {
  ErrorCode,
  type ErrorCodeValue,
  ExitCode,
  type ExitCodeValue,
  oneLine,
  toExitOutcome,
} from './errors.js';
import type { ProgressStream } from './progress.js';
import { cliVersion } from './version.js';

/** The process pieces {@link runCli} uses; tests pass their own. */
export interface CliIo {
  /** @default process.env */
  readonly env?: Env;
  /** @default process.stdout */
  readonly stdout?: ProgressStream;
  /** @default process.stderr */
  readonly stderr?: ProgressStream;
  /** @default - aborted on SIGINT/SIGTERM */
  readonly signal?: AbortSignal;
  /**
   * Which signal aborted `signal`, read when the command returns: `SIGTERM` turns an
   * interrupted run's exit code into 143. Only used with an injected `signal`.
   * @default - the signal the CLI's own handlers received
   */
  readonly abortedBy?: () => NodeJS.Signals | undefined;
  /** @default - created from the environment and the global options */
  readonly clients?: AwsClients;
}

const PROGRAM_NAME = 'cognito-hasura-sync';

/**
 * Whether `--json` is among the arguments (before a `--` terminator). Read from argv rather than
 * from the parsed options, so an error that stops parsing (unknown option, bad value) is
 * reported as JSON too.
 */
const jsonRequested = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
};

/** Builds the commander program with every command, wired to `context`. */
export const buildProgram = (context: CliContext): Command => {
  const program = new Command(PROGRAM_NAME)
    .description(
      'Operator commands of cognito-hasura-sync: replay the DLQ or the archive, backfill from Cognito, reconcile Cognito with the users table, show status, simulate logins.',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION, then the SDK chain)')
    .option('--endpoint-url <url>', 'AWS endpoint, e.g. moto (default: AWS_ENDPOINT_URL)')
    .option(
      '--profile <name>',
      'named profile of the AWS shared config/credentials files (default: AWS_PROFILE); wins over AWS_ACCESS_KEY_ID, as in the SDK',
    )
    .version(cliVersion(), '-V, --version', 'print the version and exit')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 work partly or wholly failed, 2 bad arguments or refused, 3 endpoint error or unsupported operation, 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.\nWith --json, an error is also one JSON object on stdout: {"error": "...", "code": "..."}.',
    );
  for (const make of [
    replayDlqCommand,
    replayArchiveCommand,
    backfillCommand,
    reconcileCommand,
    statusCommand,
    simulateCommand,
    consoleCommand,
  ]) {
    program.addCommand(make(context));
  }
  return program;
};

/**
 * Runs the CLI with `argv` (without the node and script entries) and resolves to the exit code.
 * Never throws and never prints a stack: errors become one line on stderr and, with `--json`,
 * also one `{"error", "code"}` object on stdout. SIGINT and SIGTERM let the command finish its
 * current step (a replay never deletes before it sent), then it exits 130 or 143.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export const runCli = async (argv: readonly string[], io: CliIo = {}): Promise<ExitCodeValue> => {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const exitCodeOf = (signal: NodeJS.Signals): ExitCodeValue =>
    signal === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal exits at once.
    if (controller.signal.aborted) process.exit(exitCodeOf(signal));
    received = signal;
    controller.abort();
  };
  if (!io.signal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const abortedBy = io.abortedBy ?? (() => received);
  // SIGTERM (a scheduler, a container stop) ends with 143 once the command stopped cleanly.
  const finalCode = (code: ExitCodeValue): ExitCodeValue =>
    abortedBy() === 'SIGTERM' && (code === ExitCode.Interrupted || code === ExitCode.Ok)
      ? ExitCode.Terminated
      : code;
  const json = jsonRequested(argv);
  const fail = (code: ExitCodeValue, errorCode: ErrorCodeValue, message: string) => {
    stderr.write(`${PROGRAM_NAME}: ${message}\n`);
    if (json) stdout.write(`${JSON.stringify({ error: message, code: errorCode })}\n`);
    return code;
  };
  let program: Command | undefined;
  const context = createContext({
    env: io.env ?? process.env,
    stdout,
    stderr,
    signal: io.signal ?? controller.signal,
    ...(io.clients ? { clients: io.clients } : {}),
    clientOptions: () => {
      const global =
        program?.opts<{ region?: string; endpointUrl?: string; profile?: string }>() ?? {};
      return {
        ...(global.region ? { region: global.region } : {}),
        ...(global.endpointUrl ? { endpoint: global.endpointUrl } : {}),
        ...(global.profile ? { profile: global.profile } : {}),
      };
    },
  });
  program = buildProgram(context);
  // Every command goes through the same error path: one line, an exit code, no stack.
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      // Commander's own errors (unknown option, bad value) are printed by the catch below.
      outputError: () => undefined,
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return finalCode(context.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version, and `help` print and end with 0.
      if (error.exitCode === 0) return ExitCode.Ok;
      if (error.code === 'commander.executeSubCommandAsync' || error.code === 'commander.help') {
        return ExitCode.Ok;
      }
      return fail(ExitCode.Usage, ErrorCode.Usage, oneLine(error.message.replace(/^error: /, '')));
    }
    const outcome = toExitOutcome(error);
    const code = fail(outcome.code, outcome.errorCode, outcome.message);
    if (context.env.CLI_DEBUG === '1' && error instanceof Error && error.stack) {
      stderr.write(`${error.stack}\n`);
    }
    return code;
  } finally {
    if (!io.signal) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    context.dispose();
  }
};
