import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleLikeLambda } from './bundleLikeLambda.js';
import type { ClientJob, ClientRun } from './clientChild.js';

/** What a {@link runClientJob} child reports. */
export interface ClientResult {
  /** Records (logins) of one measured pass. */
  readonly records: number;
  /** Peak resident set of the child, KiB. */
  readonly maxRssKiB: number;
  readonly runs: readonly ClientRun[];
}

const CHILD_ENTRY = fileURLToPath(new URL('./clientChild.ts', import.meta.url));

let bundled: Promise<string> | undefined;

/** The Lambda-like bundle of `clientChild.ts`, built once per benchmark run. */
const clientBundle = (): Promise<string> => {
  bundled ??= bundleLikeLambda(CHILD_ENTRY);
  return bundled;
};

/**
 * Runs `job` in a child process started like the function: the Lambda-like bundle of
 * `clientChild.ts` under `node` with `nodeOptions` (`NODE_OPTIONS` of the function the code
 * stands for). Calls `beforeMeasuring` once the child is warm (to empty the table), then lets it
 * measure.
 */
export const runClientJob = async (
  job: ClientJob,
  nodeOptions: string,
  beforeMeasuring: () => Promise<void> = async () => undefined,
): Promise<ClientResult> => {
  const bundle = await clientBundle();
  return new Promise((resolve, reject) => {
    const child = fork(bundle, [], {
      execArgv: nodeOptions.split(' ').filter((flag) => flag !== ''),
      env: { ...process.env, BENCH_CLIENT_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const fail = (error: Error): void => {
      settled = true;
      child.kill('SIGKILL');
      reject(error);
    };
    child.on('message', (message: Record<string, unknown>) => {
      if (message.type === 'warm') {
        beforeMeasuring().then(
          () => child.send({ type: 'go' }),
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        );
      } else if (message.type === 'result') {
        settled = true;
        resolve(message as unknown as ClientResult);
      } else {
        fail(new Error(`bench client (${job.kind}) failed: ${String(message.error)}`));
      }
    });
    child.once('exit', (code) => {
      if (!settled)
        reject(new Error(`bench client (${job.kind}) exited (${code}) without a result`));
    });
  });
};
