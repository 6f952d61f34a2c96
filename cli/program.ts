import { Command, CommanderError } from 'commander';
import type { Env } from '../shared/env.js';
import type { AwsClients } from './awsClients.js';
import { backfillCommand } from './commands/backfillCommand.js';
import { replayArchiveCommand } from './commands/replayArchiveCommand.js';
import { replayDlqCommand } from './commands/replayDlqCommand.js';
import { simulateCommand } from './commands/simulateCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { type CliContext, createContext } from './context.js';
import { ExitCode, type ExitCodeValue, oneLine, toExitOutcome } from './errors.js';
import type { ProgressStream } from './progress.js';

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
  /** @default - created from the environment and the global options */
  readonly clients?: AwsClients;
}

const PROGRAM_NAME = 'cognito-hasura-sync';

/** Builds the commander program with every command, wired to `context`. */
export const buildProgram = (context: CliContext): Command => {
  const program = new Command(PROGRAM_NAME)
    .description(
      'Operator commands of cognito-hasura-sync: replay the DLQ or the archive, backfill from Cognito, show status, simulate logins.',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION, then the SDK chain)')
    .option('--endpoint-url <url>', 'AWS endpoint, e.g. moto (default: AWS_ENDPOINT_URL)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 work partly or wholly failed, 2 bad arguments, 3 endpoint error or unsupported operation, 130 interrupted.',
    );
  for (const make of [
    replayDlqCommand,
    replayArchiveCommand,
    backfillCommand,
    statusCommand,
    simulateCommand,
  ]) {
    program.addCommand(make(context));
  }
  return program;
};

/**
 * Runs the CLI with `argv` (without the node and script entries) and resolves to the exit code.
 * Never throws and never prints a stack: errors become one line on stderr.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export const runCli = async (argv: readonly string[], io: CliIo = {}): Promise<ExitCodeValue> => {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const controller = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C exits at once.
    if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
    controller.abort();
  };
  if (!io.signal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  let program: Command | undefined;
  const context = createContext({
    env: io.env ?? process.env,
    stdout,
    stderr,
    signal: io.signal ?? controller.signal,
    ...(io.clients ? { clients: io.clients } : {}),
    clientOptions: () => {
      const global = program?.opts<{ region?: string; endpointUrl?: string }>() ?? {};
      return {
        ...(global.region ? { region: global.region } : {}),
        ...(global.endpointUrl ? { endpoint: global.endpointUrl } : {}),
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
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version, and `help` print and end with 0.
      if (error.exitCode === 0) return ExitCode.Ok;
      if (error.code === 'commander.executeSubCommandAsync' || error.code === 'commander.help') {
        return ExitCode.Ok;
      }
      stderr.write(`${PROGRAM_NAME}: ${oneLine(error.message.replace(/^error: /, ''))}\n`);
      return ExitCode.Usage;
    }
    const outcome = toExitOutcome(error);
    stderr.write(`${PROGRAM_NAME}: ${outcome.message}\n`);
    if (context.env.CLI_DEBUG === '1' && error instanceof Error && error.stack) {
      stderr.write(`${error.stack}\n`);
    }
    return outcome.code;
  } finally {
    if (!io.signal) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    context.dispose();
  }
};
