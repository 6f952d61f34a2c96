import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type RunningConsole, startConsole } from '../../../../cli/console/consoleServer.js';
import { createLocalSeriesSampler } from '../../../../cli/console/pipelineSeries.js';

const post = (console: RunningConsole, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${console.port}${path}`, {
    method: 'POST',
    headers: {
      'x-console-token': console.token,
      origin: `http://127.0.0.1:${console.port}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });

describe('Function: startConsole (actions)', () => {
  let running: RunningConsole | undefined;
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
  afterEach(async () => {
    await running?.close();
  });

  const start = (
    reconcile?: (options: { dryRun: boolean; maxDeletes: number }) => Promise<unknown>,
  ) =>
    startConsole({
      sqs,
      queues: [],
      series: createLocalSeriesSampler(() => ({ counters: {}, newLagsMs: [] }), {
        autoStart: false,
      }),
      reasons: { source: 'none', reasonsFor: async () => new Map() },
      target: 'test',
      ...(reconcile ? { reconcile } : {}),
    });

  it('runs a reconcile dry run as a job whose report the view returns', async () => {
    // Prepare
    const calls: Array<{ dryRun: boolean; maxDeletes: number }> = [];
    running = await start(async (options) => {
      calls.push(options);
      return { counts: { inStep: 3, missing: 1, stale: 0, orphaned: 0 } };
    });

    // Act
    const started = await post(running, '/api/reconcile', { dryRun: true, maxDeletes: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const view = (await (
      await fetch(`http://127.0.0.1:${running.port}/api/view`, {
        headers: { 'x-console-token': running.token },
      })
    ).json()) as { jobs: Array<{ kind: string; state: string; result: unknown }> };

    // Assess
    expect(started.status).toBe(200);
    expect(calls).toStrictEqual([{ dryRun: true, maxDeletes: 2 }]);
    expect(view.jobs.at(-1)).toMatchObject({
      kind: 'reconcile',
      state: 'done',
      result: { counts: { missing: 1 } },
    });
  });

  it('refuses a second action while one runs, and a reconcile the console was not given', async () => {
    // Prepare
    let finish: (value: unknown) => void = () => undefined;
    running = await start(() => new Promise((resolve) => (finish = resolve)));

    // Act
    const first = await post(running, '/api/reconcile', { dryRun: true });
    const second = await post(running, '/api/reconcile', { dryRun: true });
    finish({});
    await running.close();
    running = await start();
    const missing = await post(running, '/api/reconcile', { dryRun: true });

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toStrictEqual({
      error: 'another action is still running: wait for it to finish',
    });
    expect(await missing.json()).toStrictEqual({
      error: 'reconcile is not available in this console',
    });
  });
});
