import { describe, expect, it } from '@jest/globals';
import { toDeadLetterView } from '../../../../cli/console/deadLetters.js';
import { createLocalSeriesSampler } from '../../../../cli/console/pipelineSeries.js';

describe('Function: toDeadLetterView', () => {
  it('decodes any event type and lists attribute names without their values', () => {
    // Prepare
    const now = Date.parse('2026-12-08T00:10:00.000Z');
    const message = {
      MessageId: 'm1',
      Body: JSON.stringify({
        'detail-type': 'UserUpdated',
        source: 'cognito-hasura-sync',
        detail: {
          sub: 's1',
          eventId: 'e1',
          occurredAt: '2026-12-08T00:00:00.000Z',
          attributes: { email: 'secret@example.com', 'custom:tenant': 't1' },
        },
      }),
      Attributes: { SentTimestamp: String(now - 90_000), ApproximateReceiveCount: '6' },
    };

    // Act
    const view = toDeadLetterView(message, 'a reason', now);

    // Assess
    expect(view).toStrictEqual({
      messageId: 'm1',
      eventType: 'UserUpdated',
      sub: 's1',
      eventId: 'e1',
      occurredAt: '2026-12-08T00:00:00.000Z',
      ageSeconds: 90,
      receiveCount: 6,
      reason: 'a reason',
      attributeNames: ['custom:tenant', 'email'],
    });
    expect(JSON.stringify(view)).not.toContain('secret@');
  });

  it('shows a body that is not JSON as such, with no reason known', () => {
    // Act
    const view = toDeadLetterView({ MessageId: 'm2', Body: '{oops' }, null, Date.now());

    // Assess
    expect(view).toMatchObject({ eventType: '(not JSON)', reason: null, attributeNames: [] });
  });
});

describe('Function: createLocalSeriesSampler', () => {
  it('charts lag percentiles of each interval and rows written per minute, for the last hour', async () => {
    // Prepare
    const samples = [
      { counters: { rowsWritten: 0 }, newLagsMs: [] },
      { counters: { rowsWritten: 600 }, newLagsMs: [100, 200, 300, 400, 5000] },
      { counters: { rowsWritten: 900 }, newLagsMs: [50] },
    ];
    let next = 0;
    const sampler = createLocalSeriesSampler(() => samples[next++] ?? samples[2]!, {
      autoStart: false,
    });
    const t0 = Date.parse('2026-12-08T00:00:00.000Z');

    // Act
    sampler.sample(t0);
    sampler.sample(t0 + 60_000);
    sampler.sample(t0 + 2 * 3600_000);
    const series = await sampler.series();

    // Assess
    expect(series.lagP50Ms).toStrictEqual([[t0 + 2 * 3600_000, 50]]);
    expect(series.throughputPerMinute).toStrictEqual([[t0 + 2 * 3600_000, 300 / 119]]);
    expect(await sampler.counters()).toStrictEqual({ rowsWritten: 900 });
    sampler.stop();
  });
});
