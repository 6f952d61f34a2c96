import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { replayArchive, replayFraction } from '../../../cli/replayArchive.js';

const ARN = 'arn:aws:events:eu-west-1:123456789012';
const from = new Date('2026-11-26T08:00:00.000Z');
const to = new Date('2026-11-26T09:00:00.000Z');
const options = {
  archiveName: 'archive',
  eventBusName: 'bus',
  ruleName: 'sync-rule',
  from,
  to,
  replayName: 'replay-1',
  pollIntervalMs: 1,
};

describe('Function: replayArchive', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const eventBridge = new EventBridgeClient({ region: 'eu-west-1' });

  beforeEach(() => {
    eventBridgeMock.reset();
    eventBridgeMock
      .on(DescribeArchiveCommand)
      .resolves({ ArchiveArn: `${ARN}:archive/archive`, EventCount: 42 });
    eventBridgeMock.on(DescribeRuleCommand).resolves({ Arn: `${ARN}:rule/bus/sync-rule` });
    eventBridgeMock.on(DescribeEventBusCommand).resolves({ Arn: `${ARN}:event-bus/bus` });
    eventBridgeMock.on(StartReplayCommand).resolves({ ReplayArn: `${ARN}:replay/replay-1` });
  });

  it('replays the window to the sync rule only and follows it until COMPLETED', async () => {
    // Prepare
    eventBridgeMock
      .on(DescribeReplayCommand)
      .resolvesOnce({ State: 'STARTING' })
      .resolvesOnce({ State: 'RUNNING', EventLastReplayedTime: new Date('2026-11-26T08:30:00Z') })
      .resolves({ State: 'COMPLETED', ReplayArn: `${ARN}:replay/replay-1` });
    const seen: string[] = [];

    // Act
    const result = await replayArchive(eventBridge, {
      ...options,
      onProgress: (replay) => seen.push(replay.State ?? ''),
    });

    // Assess
    expect(eventBridgeMock).toHaveReceivedCommandWith(StartReplayCommand, {
      ReplayName: 'replay-1',
      EventSourceArn: `${ARN}:archive/archive`,
      EventStartTime: from,
      EventEndTime: to,
      Destination: { Arn: `${ARN}:event-bus/bus`, FilterArns: [`${ARN}:rule/bus/sync-rule`] },
    });
    expect(seen).toEqual(['STARTING', 'RUNNING', 'COMPLETED']);
    expect(result).toMatchObject({ state: 'COMPLETED', eventCountInArchive: 42 });
  });

  it('reports FAILED with its reason', async () => {
    // Prepare
    eventBridgeMock
      .on(DescribeReplayCommand)
      .resolves({ State: 'FAILED', StateReason: 'archive unavailable' });

    // Act
    const result = await replayArchive(eventBridge, options);

    // Assess
    expect(result).toMatchObject({ state: 'FAILED', stateReason: 'archive unavailable' });
  });

  it('refuses a window whose start is not before its end, before any call', async () => {
    // Act
    const run = replayArchive(eventBridge, { ...options, from: to, to: from });

    // Assess
    await expect(run).rejects.toThrow(/--from .* must be before --to/);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('names an unknown rule', async () => {
    // Prepare
    eventBridgeMock
      .on(DescribeRuleCommand)
      .rejects(
        Object.assign(new Error('Rule x does not exist.'), { name: 'ResourceNotFoundException' }),
      );

    // Act & Assess
    await expect(replayArchive(eventBridge, options)).rejects.toThrow(
      '--rule: unknown rule "sync-rule" on bus "bus"',
    );
  });
});

describe('Function: replayFraction', () => {
  it('derives progress from the last replayed event time', () => {
    // Act & Assess
    expect(replayFraction({ $metadata: {}, State: 'RUNNING' }, from, to)).toBe(0);
    expect(
      replayFraction(
        {
          $metadata: {},
          State: 'RUNNING',
          EventLastReplayedTime: new Date('2026-11-26T08:15:00Z'),
        },
        from,
        to,
      ),
    ).toBe(0.25);
    expect(replayFraction({ $metadata: {}, State: 'COMPLETED' }, from, to)).toBe(1);
  });
});
