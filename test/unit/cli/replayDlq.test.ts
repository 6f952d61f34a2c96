import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { replayDlq } from '../../../cli/replayDlq.js';

const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq';
const SOURCE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/source';

const login = (n: number, sub: string): Message => ({
  MessageId: `m-${n}`,
  ReceiptHandle: `rh-${n}`,
  Body: JSON.stringify({ detail: { eventId: `e-${n}`, sub, username: `u-${sub}` } }),
});

describe('Function: replayDlq', () => {
  const sqsMock = mockClient(SQSClient);
  const sqs = new SQSClient({ region: 'eu-west-1' });

  beforeEach(() => {
    sqsMock.reset();
  });

  it('sends each batch before deleting it from the DLQ', async () => {
    // Prepare
    const calls: string[] = [];
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [login(1, 'a'), login(2, 'b')] })
      .resolves({ Messages: [] });
    sqsMock.on(SendMessageBatchCommand).callsFake(() => {
      calls.push('send');
      return { Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] };
    });
    sqsMock.on(DeleteMessageBatchCommand).callsFake(() => {
      calls.push('delete');
      return { Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] };
    });

    // Act
    const result = await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE });

    // Assess
    expect(calls).toEqual(['send', 'delete']);
    expect(result).toMatchObject({ moved: 2, failed: 0, duplicated: 0 });
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: SOURCE,
      Entries: [
        expect.objectContaining({ Id: '0', MessageBody: login(1, 'a').Body }),
        expect.objectContaining({ Id: '1', MessageBody: login(2, 'b').Body }),
      ],
    });
    expect(sqsMock).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      QueueUrl: DLQ,
      Entries: [
        { Id: '0', ReceiptHandle: 'rh-1' },
        { Id: '1', ReceiptHandle: 'rh-2' },
      ],
    });
  });

  it('deletes only the entries whose send succeeded and releases the others', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [login(1, 'a'), login(2, 'b')] })
      .resolves({ Messages: [] });
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '1', MessageId: 'x', MD5OfMessageBody: 'y' }],
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }],
    });
    sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const result = await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE });

    // Assess
    expect(result).toMatchObject({ moved: 1, failed: 1 });
    expect(sqsMock).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      Entries: [{ Id: '0', ReceiptHandle: 'rh-2' }],
    });
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: DLQ,
      Entries: [{ Id: '0', ReceiptHandle: 'rh-1', VisibilityTimeout: 0 }],
    });
  });

  it('deletes nothing when the send call throws, releases the batch and rethrows', async () => {
    // Prepare
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [login(1, 'a')] });
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('connection reset'));
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const run = replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE });

    // Assess
    await expect(run).rejects.toThrow('connection reset');
    expect(sqsMock).toHaveReceivedCommandTimes(DeleteMessageBatchCommand, 0);
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [{ Id: '0', ReceiptHandle: 'rh-1', VisibilityTimeout: 0 }],
    });
  });

  it('moves only the --user messages and releases the others at the end', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [login(1, 'a'), login(2, 'b'), login(3, 'a')] })
      .resolves({ Messages: [] });
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0' }, { Id: '1' }] as never, Failed: [] });
    sqsMock.on(DeleteMessageBatchCommand).resolves({ Failed: [] });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const result = await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE, user: 'a' });

    // Assess
    expect(result).toMatchObject({ scanned: 3, matched: 2, moved: 2, skipped: 1 });
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      Entries: [
        expect.objectContaining({ MessageBody: login(1, 'a').Body }),
        expect.objectContaining({ MessageBody: login(3, 'a').Body }),
      ],
    });
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [{ Id: '0', ReceiptHandle: 'rh-2', VisibilityTimeout: 0 }],
    });
  });

  it('sends and deletes nothing on a dry run', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [login(1, 'a'), login(2, 'b')] })
      .resolves({ Messages: [] });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const result = await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE, dryRun: true });

    // Assess
    expect(result).toMatchObject({ dryRun: true, matched: 2, moved: 0 });
    expect(result.samples.map((sample) => sample.eventId)).toEqual(['e-1', 'e-2']);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
    expect(sqsMock).toHaveReceivedCommandTimes(DeleteMessageBatchCommand, 0);
    expect(sqsMock).toHaveReceivedCommandTimes(ChangeMessageVisibilityBatchCommand, 1);
  });

  it('receives in batches no larger than the rate', async () => {
    // Prepare
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [] });

    // Act
    await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE, perSecond: 3 });

    // Assess
    expect(sqsMock).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      MaxNumberOfMessages: 3,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
  });

  it('ends a --user scan once receives bring back only messages it already saw', async () => {
    // Prepare: a DLQ bigger than one visibility timeout's scan hands the held messages back
    // forever; the mock stops only after 50 receives, so a scan that never ends shows as 50.
    const batch = Array.from({ length: 10 }, (_, n) => login(n, 'someone-else'));
    let receives = 0;
    sqsMock.on(ReceiveMessageCommand).callsFake(() => {
      receives += 1;
      return { Messages: receives > 50 ? [] : batch };
    });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const result = await replayDlq(sqs, { dlqUrl: DLQ, destinationUrl: SOURCE, user: 'nobody' });

    // Assess
    expect(result).toMatchObject({
      scanned: 10,
      matched: 0,
      skipped: 10,
      receives: 3,
      repeats: 20,
      stoppedBecause: 'wrapped',
    });
    expect(sqsMock).toHaveReceivedCommandTimes(ReceiveMessageCommand, 3);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('stops after maxReceives even while every receive brings new messages', async () => {
    // Prepare: every receive brings ten new messages; the mock runs dry only after 50 receives.
    let receives = 0;
    sqsMock.on(ReceiveMessageCommand).callsFake(() => {
      receives += 1;
      const first = receives * 10;
      return {
        Messages:
          receives > 50
            ? []
            : Array.from({ length: 10 }, (_, n) => login(first + n, 'someone-else')),
      };
    });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const result = await replayDlq(sqs, {
      dlqUrl: DLQ,
      destinationUrl: SOURCE,
      user: 'nobody',
      maxReceives: 4,
    });

    // Assess
    expect(result).toMatchObject({ scanned: 40, receives: 4, stoppedBecause: 'receive-limit' });
    expect(sqsMock).toHaveReceivedCommandTimes(ReceiveMessageCommand, 4);
  });
});
