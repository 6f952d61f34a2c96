import {
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { isNotImplemented, replayDlqNative } from '../../../cli/replayDlqNative.js';

describe('Function: replayDlqNative', () => {
  const sqsMock = mockClient(SQSClient);
  const sqs = new SQSClient({ region: 'eu-west-1' });

  beforeEach(() => {
    sqsMock.reset();
  });

  it('starts a move task and follows it until it completes', async () => {
    // Prepare
    sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqsMock
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 5 }],
      })
      .resolves({
        Results: [
          {
            TaskHandle: 'task-1',
            Status: 'COMPLETED',
            ApproximateNumberOfMessagesMoved: 9,
            ApproximateNumberOfMessagesToMove: 9,
          },
        ],
      });

    // Act
    const result = await replayDlqNative(sqs, {
      dlqArn: 'arn:dlq',
      destinationArn: 'arn:q',
      perSecond: 50,
      pollIntervalMs: 1,
    });

    // Assess
    expect(sqsMock).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: 'arn:dlq',
      DestinationArn: 'arn:q',
      MaxNumberOfMessagesPerSecond: 50,
    });
    expect(result).toEqual({ taskHandle: 'task-1', status: 'COMPLETED', moved: 9, toMove: 9 });
  });

  it('turns an endpoint without the API into an UnsupportedOperationError', async () => {
    // Prepare: moto answers with an HTML 500 page the JSON protocol cannot parse.
    sqsMock.on(StartMessageMoveTaskCommand).rejects(
      Object.assign(new SyntaxError("Unexpected token '<'. Deserialization error"), {
        $metadata: { httpStatusCode: 500 },
      }),
    );

    // Act & Assess
    await expect(replayDlqNative(sqs, { dlqArn: 'arn:dlq' })).rejects.toMatchObject({
      name: 'UnsupportedOperationError',
      operation: 'StartMessageMoveTask',
      message: expect.stringContaining('without --native'),
    });
  });
});

describe('Function: isNotImplemented', () => {
  it('recognises unknown-operation answers and nothing else', () => {
    // Act & Assess
    expect(isNotImplemented(Object.assign(new Error('x'), { name: 'InvalidAction' }))).toBe(true);
    expect(
      isNotImplemented(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 501 } })),
    ).toBe(true);
    expect(
      isNotImplemented(
        Object.assign(new Error('denied'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        }),
      ),
    ).toBe(false);
    expect(isNotImplemented('text')).toBe(false);
  });
});
