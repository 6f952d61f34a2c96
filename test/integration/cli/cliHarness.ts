import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runCli } from '../../../cli/program.js';
import { type MotoServer, startMotoServer } from '../../../local/motoServer.js';
import { type ProvisionedPipeline, provisionPipeline } from '../../../local/provisionPipeline.js';

import { REGION } from '../../helpers/loginMessages.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** moto, the provisioned pipeline, and clients pointing at them. */
export interface CliTestBed {
  readonly moto: MotoServer;
  /** The environment a CLI run gets: endpoint, region and dummy credentials. */
  readonly env: Record<string, string>;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly pipeline: ProvisionedPipeline;
  stop(): Promise<void>;
}

/** Starts moto and provisions the pipeline (bus, archive, rules, queues) in it. */
export const startCliTestBed = async (): Promise<CliTestBed> => {
  const moto = await startMotoServer();
  const env = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const config = {
    endpoint: moto.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const sqs = new SQSClient(config);
  const eventBridge = new EventBridgeClient(config);
  const cognito = new CognitoIdentityProviderClient(config);
  try {
    const pipeline = await provisionPipeline({ sqs, eventBridge });
    return {
      moto,
      env,
      sqs,
      eventBridge,
      cognito,
      pipeline,
      async stop() {
        sqs.destroy();
        eventBridge.destroy();
        cognito.destroy();
        await moto.stop();
      },
    };
  } catch (error) {
    await moto.stop();
    throw error;
  }
};

/** Output of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const sink = () => {
  let text = '';
  return {
    stream: {
      isTTY: false,
      write(chunk: string) {
        text += chunk;
        return true;
      },
    },
    text: () => text,
  };
};

/**
 * Runs the CLI in this process (fast), with the test bed's environment.
 *
 * @param signal - aborts the run as Ctrl-C would.
 * @default signal - never aborted
 */
export const runCliInProcess = async (
  args: readonly string[],
  env: Record<string, string>,
  signal: AbortSignal = new AbortController().signal,
): Promise<CliRun> => {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

/** A CLI child process (`node --import tsx cli/index.ts …`), as an operator would run it. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the CLI as a separate process. */
export const spawnCli = (args: readonly string[], env: Record<string, string>): CliChild => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
};

/** Runs the CLI as a child process to completion. */
export const runCliChild = async (
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliRun> => {
  const run = spawnCli(args, env);
  const { code } = await run.exited;
  return { code: code ?? -1, stdout: run.stdout(), stderr: run.stderr() };
};
