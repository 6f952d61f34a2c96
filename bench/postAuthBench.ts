import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  composePostAuthentication,
  POST_AUTHENTICATION_SERVICE,
} from '../services/post-authentication/compose.js';
import { createMetrics } from '../shared/observability.js';
import { pipeline } from '../shared/pipeline.js';
import { lambdaContext } from '../test/helpers/lambdaContexts.js';
import { type LatencySummary, round, summarize } from './benchStats.js';
import { postAuthenticationEvent } from './cognitoTriggerEvent.js';
import { type FakeBehaviour, startFakeAwsEndpoint } from './fakeAwsEndpoint.js';

/** One post-authentication scenario's figures. */
export interface PostAuthScenario {
  readonly eventbridge: string;
  readonly invocations: number;
  readonly handler_ms: LatencySummary;
  /** The bare PutEvents round trip with the same client and answer delay. */
  readonly put_events_ms?: LatencySummary;
  /** handler p99 − bare PutEvents p99 (two distributions: noisy on a busy machine). */
  readonly overhead_p99_ms?: number;
  /**
   * Per invocation: handler time minus the time spent inside `eventBridge.send` (timed by an
   * SDK middleware) — the trigger's own work, p50/p99.
   */
  readonly own_time_ms?: LatencySummary;
  /** Invocations whose event reached the fallback queue (SendMessage accepted). */
  readonly fallback_messages: number;
  readonly over_budget: number;
}

/** Results of {@link benchPostAuthentication}. */
export interface PostAuthResults {
  readonly budget_ms: number;
  readonly scenarios: PostAuthScenario[];
  /** Longest handler time with EventBridge never answering (the fallback SQS answers). */
  readonly hung_ms_max: number;
  /** Longest handler time with EventBridge AND the fallback SQS never answering. */
  readonly both_hung_ms_max: number;
  /**
   * Worst p99 of the trigger's own time beyond the PutEvents round trip (per invocation, see
   * `own_time_ms`) over the scenarios where EventBridge answers.
   */
  readonly overhead_p99_ms: number;
}

const PUT_EVENTS = 'AWSEvents.PutEvents';
const SEND_MESSAGE = 'AmazonSQS.SendMessage';

/**
 * Times the real post-authentication trigger (built by `composePostAuthentication`, as in
 * Lambda) against a fake EventBridge that answers after 0, 5 and 50 ms, and that never answers (the fallback SendMessage then goes to the same fake, which answers at once);
 * finally with both never answering. Invocations are sequential, as in one Lambda container.
 *
 * @param scale - 1 for the full run, 0.1 for `--quick`.
 */
export const benchPostAuthentication = async (scale: number): Promise<PostAuthResults> => {
  const fake = await startFakeAwsEndpoint();
  const saved = { ...process.env };
  // Service-specific endpoint variables: the SDK reads them at the clients' first request.
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = fake.endpoint;
  process.env.AWS_ENDPOINT_URL_SQS = fake.endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const budgetMs = pipeline.postAuthentication.budgetMs;
  const metrics = createMetrics(POST_AUTHENTICATION_SERVICE);
  const trigger = composePostAuthentication({
    env: {
      EVENT_BUS_NAME: pipeline.eventBusName,
      SYNC_QUEUE_URL: `${fake.endpoint}/000000000000/${pipeline.syncQueue.name}`,
      AWS_REGION: 'us-east-1',
      PUBLISH_BUDGET_MS: String(budgetMs),
    },
    metrics,
  });
  const { handler, config, clients } = trigger;
  const timeoutMs = pipeline.postAuthentication.timeoutSeconds * 1000;
  // Time spent inside eventBridge.send, summed per invocation (calls are sequential).
  let sendMs = 0;
  clients.eventBridge.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        sendMs += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'benchSendTiming' },
  );

  const ownMs: number[] = [];
  const invoke = async (n: number): Promise<number> => {
    sendMs = 0;
    const context = lambdaContext(timeoutMs);
    const started = performance.now();
    await handler(postAuthenticationEvent(n), context);
    // What the logMetrics middleware does after each invocation (the output is disabled).
    JSON.stringify(metrics.serializeMetrics());
    metrics.publishStoredMetrics();
    const elapsed = performance.now() - started;
    ownMs.push(elapsed - sendMs);
    return elapsed;
  };

  const bareCommand = new PutEventsCommand({
    Entries: [
      {
        EventBusName: config.eventBusName,
        Source: config.eventSource,
        DetailType: pipeline.detailType,
        Detail: JSON.stringify({ probe: true }),
      },
    ],
  });
  const bare = async (): Promise<number> => {
    const started = performance.now();
    await clients.eventBridge.send(bareCommand);
    return performance.now() - started;
  };

  const scenarios: PostAuthScenario[] = [];
  const run = async (
    label: string,
    eventBridge: FakeBehaviour,
    sqs: FakeBehaviour,
    count: number,
    measureBare: boolean,
  ): Promise<PostAuthScenario> => {
    fake.setBehaviour(PUT_EVENTS, eventBridge);
    fake.setBehaviour(SEND_MESSAGE, sqs);
    // Warm up connections and JIT so the first cold calls do not dominate p99.
    const warmUps = eventBridge.hang === true ? 1 : Math.min(50, count);
    for (let i = 0; i < warmUps; i += 1) await invoke(i);
    fake.reset();
    const handlerMs: number[] = [];
    ownMs.length = 0;
    for (let i = 0; i < count; i += 1) handlerMs.push(await invoke(i));
    const own = summarize(ownMs);
    const fallbackMessages = fake.calls.accepted.get(SEND_MESSAGE)?.length ?? 0;
    let putEventsMs: number[] | undefined;
    if (measureBare) {
      putEventsMs = [];
      for (let i = 0; i < Math.min(50, count); i += 1) await bare();
      for (let i = 0; i < count; i += 1) putEventsMs.push(await bare());
    }
    const handlerSummary = summarize(handlerMs);
    const bareSummary = putEventsMs === undefined ? undefined : summarize(putEventsMs);
    const scenario: PostAuthScenario = {
      eventbridge: label,
      invocations: count,
      handler_ms: handlerSummary,
      ...(bareSummary === undefined
        ? {}
        : {
            put_events_ms: bareSummary,
            overhead_p99_ms: round(handlerSummary.p99 - bareSummary.p99, 2),
            own_time_ms: own,
          }),
      fallback_messages: fallbackMessages,
      over_budget: handlerMs.filter((ms) => ms > budgetMs).length,
    };
    scenarios.push(scenario);
    return scenario;
  };

  try {
    const many = Math.max(200, Math.round(3000 * scale));
    await run('answers after 0 ms', { delayMs: 0 }, {}, many, true);
    await run(
      'answers after 5 ms',
      { delayMs: 5 },
      {},
      Math.max(100, Math.round(1000 * scale)),
      true,
    );
    await run(
      'answers after 50 ms',
      { delayMs: 50 },
      {},
      Math.max(40, Math.round(200 * scale)),
      true,
    );
    const hungCount = Math.max(5, Math.round(20 * scale));
    const hung = await run(
      'never answers (fallback SQS answers)',
      { hang: true },
      {},
      hungCount,
      false,
    );
    const bothHung = await run(
      'never answers, SQS never answers',
      { hang: true },
      { hang: true },
      hungCount,
      false,
    );
    const overheads = scenarios
      .map((scenario) => scenario.own_time_ms?.p99)
      .filter((value): value is number => value !== undefined);
    return {
      budget_ms: budgetMs,
      scenarios,
      hung_ms_max: hung.handler_ms.max,
      both_hung_ms_max: bothHung.handler_ms.max,
      overhead_p99_ms: Math.max(...overheads),
    };
  } finally {
    trigger.destroy();
    await fake.stop();
    for (const key of [
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
      'AWS_ENDPOINT_URL_SQS',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
};
