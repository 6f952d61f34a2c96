import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { consoleReconcile } from '../cli/console/consoleReconcile.js';
import { type RunningConsole, startConsole } from '../cli/console/consoleServer.js';
import { fileReasonLog, LOCAL_REASON_LOG } from '../cli/console/deadLetterReasons.js';
import { createLocalSeriesSampler, LOCAL_SERIES_FILE } from '../cli/console/pipelineSeries.js';
import type { WatchedQueue } from '../cli/console/pipelineView.js';
import { localCredentials } from '../cli/localCredentials.js';
import { pipeline } from '../shared/pipeline.js';
import type { LocalStack } from './stack.js';

/** The local stack's queues as the console watches them. */
export const localWatchedQueues = (stack: LocalStack): WatchedQueue[] => {
  const pairs = [
    ['sync', stack.provisioned.syncQueue],
    ['lifecycle', stack.lifecycle],
    ['subscriber login-audit', stack.provisioned.subscriber],
  ] as const;
  return pairs.flatMap(([label, queue]) => [
    { label, url: queue.queueUrl, deadLetter: false },
    { label: `${label} DLQ`, url: queue.dlqUrl, deadLetter: true, sourceLabel: label },
  ]);
};

/** A console served by the local stack's process, and what keeps its charts fed. */
export interface LocalConsole {
  readonly console: RunningConsole;
  stop(): Promise<void>;
}

/**
 * Serves the operator console for a running local stack (as `npm start` does): the stack's own
 * counters feed the charts (sampled every 5 s and also written to `.local-state/` for a console
 * started in another process), and the stack's reason log explains dead letters.
 *
 * @param port - 0 for a free port.
 */
export const serveLocalConsole = async (stack: LocalStack, port = 0): Promise<LocalConsole> => {
  const sampler = createLocalSeriesSampler(() => {
    const snapshot = stack.recorder.snapshot();
    return {
      counters: {
        published: snapshot.published,
        fallback: snapshot.fallback,
        publishFailed: snapshot.publishFailed,
        rowsWritten: snapshot.usersSynced,
        staleSkipped: snapshot.staleSkipped,
      },
      newLagsMs: stack.recorder.takeNewLags(),
    };
  });
  mkdirSync(dirname(LOCAL_SERIES_FILE), { recursive: true });
  const writer = setInterval(() => writeFileSync(LOCAL_SERIES_FILE, sampler.toJson()), 5000);
  writer.unref();
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.awsEndpoint,
    region: stack.region,
    ...localCredentials(process.env),
  });
  const running = await startConsole({
    reconcile: consoleReconcile({
      env: {
        ...process.env,
        HASURA_GRAPHQL_ENDPOINT: stack.hasura.graphqlUrl,
        HASURA_ADMIN_SECRET: stack.hasura.adminSecret,
        HASURA_ADMIN_SECRET_ARN: undefined,
      },
      cognito,
      eventBridge: stack.aws.eventBridge,
      userPoolId: stack.userPoolId,
      target: { eventBusName: stack.provisioned.eventBusName, source: pipeline.eventSource },
    }),
    sqs: stack.aws.sqs,
    queues: localWatchedQueues(stack),
    series: sampler,
    reasons: fileReasonLog(LOCAL_REASON_LOG),
    target: `local stack (moto ${stack.awsEndpoint})`,
    port,
  });
  return {
    console: running,
    async stop() {
      clearInterval(writer);
      sampler.stop();
      await running.close();
      cognito.destroy();
    },
  };
};
