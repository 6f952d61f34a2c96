import type { Command } from 'commander';
import type { Env } from '../shared/env.js';
import {
  type AwsClientOptions,
  type AwsClients,
  createAwsClients,
  destroyAwsClients,
} from './awsClients.js';
import type { ExitCodeValue } from './errors.js';
import type { ProgressStream } from './progress.js';

/** What every command runs with; {@link runCli} builds it from the process, tests pass their own. */
export interface CliContext {
  /** The environment (`process.env` in the CLI). */
  readonly env: Env;
  /** Results and `--json` output. */
  readonly stdout: ProgressStream;
  /** Progress, warnings and errors. */
  readonly stderr: ProgressStream;
  /** Aborted on SIGINT / SIGTERM: long commands stop after their current step. */
  readonly signal: AbortSignal;
  /** The AWS clients, created on first use with the global `--region` / `--endpoint-url` / `--profile`. */
  clients(): AwsClients;
  /** The explicit AWS endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL`), if any. */
  endpoint(): string | undefined;
  /** The command's exit code, set by its action. */
  exitCode: ExitCodeValue;
  /** Closes the clients this context created (not injected ones). */
  dispose(): void;
}

/** The options every command has. */
export interface CommonOptions {
  /** One JSON object on stdout instead of text. */
  readonly json?: boolean;
  /** No progress on stderr. */
  readonly quiet?: boolean;
}

/**
 * Builds a context whose clients are created lazily, with the global options known only after
 * parsing (`--region`, `--endpoint-url`, `--profile`).
 */
export const createContext = (io: {
  env: Env;
  stdout: ProgressStream;
  stderr: ProgressStream;
  signal: AbortSignal;
  clients?: AwsClients;
  clientOptions: () => AwsClientOptions;
}): CliContext => {
  let clients = io.clients;
  let created = false;
  return {
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
    exitCode: 0,
    clients() {
      if (!clients) {
        clients = createAwsClients(io.env, io.clientOptions());
        created = true;
      }
      return clients;
    },
    endpoint() {
      return io.clientOptions().endpoint ?? io.env.AWS_ENDPOINT_URL;
    },
    dispose() {
      if (created && clients) destroyAwsClients(clients);
    },
  };
};

/** Adds `--json` and `--quiet` to a command. */
export const withCommonOptions = (command: Command): Command =>
  command
    .option('--json', 'print one JSON object on stdout (for scripts) instead of text')
    .option('-q, --quiet', 'no progress on stderr');

/** Writes the result: one JSON line with `--json`, else the human lines. */
export const writeResult = (
  context: CliContext,
  options: CommonOptions,
  data: unknown,
  lines: readonly string[],
): void => {
  if (options.json) context.stdout.write(`${JSON.stringify(data)}\n`);
  else for (const line of lines) context.stdout.write(`${line}\n`);
};
