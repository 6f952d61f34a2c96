import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { publishAll } from '../../../cli/backfill.js';

const entry = (n: number) => ({
  EventBusName: 'bus',
  Source: 'src',
  DetailType: 'UserAuthenticated',
  Detail: JSON.stringify({ n }),
});

describe('Function: publishAll', () => {
  const eventBridgeMock = mockClient(EventBridgeClient);
  const eventBridge = new EventBridgeClient({ region: 'eu-west-1' });

  beforeEach(() => {
    eventBridgeMock.reset();
  });

  it('sends ten entries per PutEvents call', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    // Act
    const failed = await publishAll(
      eventBridge,
      Array.from({ length: 23 }, (_, n) => entry(n)),
      3,
    );

    // Assess
    expect(failed).toBe(0);
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(
      eventBridgeMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length),
    ).toEqual([10, 10, 3]);
  });

  it('retries only the entries PutEvents reports as failed', async () => {
    // Prepare
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });

    // Act
    const failed = await publishAll(eventBridge, [entry(1), entry(2)], 3);

    // Assess
    expect(failed).toBe(0);
    expect(eventBridgeMock).toHaveReceivedNthCommandWith(2, PutEventsCommand, {
      Entries: [entry(2)],
    });
  });

  it('counts entries still failing after the last attempt', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure' }],
    });

    // Act
    const failed = await publishAll(eventBridge, [entry(1)], 2);

    // Assess
    expect(failed).toBe(1);
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('counts every entry as failed when FailedEntryCount > 0 comes without Entries', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 2 });

    // Act
    const failed = await publishAll(eventBridge, [entry(1), entry(2)], 2);

    // Assess
    expect(failed).toBe(2);
    expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(eventBridgeMock).toHaveReceivedNthCommandWith(2, PutEventsCommand, {
      Entries: [entry(1), entry(2)],
    });
  });

  it('retries every entry when the response does not say which of them failed', async () => {
    // Prepare: a count without per-entry results, then entries that match none of the request.
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { EventId: 'b' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });

    // Act
    const failed = await publishAll(eventBridge, [entry(1), entry(2)], 5);

    // Assess
    expect(failed).toBe(0);
    expect(
      eventBridgeMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length),
    ).toEqual([2, 2, 2]);
  });
});
