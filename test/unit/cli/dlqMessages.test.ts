import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import { isMessageOfUser, loginFields, resendEntry, sampleOf } from '../../../cli/dlqMessages.js';

const detail = {
  schemaVersion: 1,
  eventId: 'evt-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  sub: 'sub-1',
  username: 'jane',
  clientId: 'client',
  triggerSource: 'PostAuthentication_Authentication',
  authenticatedAt: '2026-11-26T10:00:00.000Z',
  attributes: { email: 'jane@example.com' },
};
const envelope = {
  version: '0',
  id: 'evt-1',
  'detail-type': 'UserAuthenticated',
  source: 's',
  detail,
};

const message = (overrides: Partial<Message> = {}): Message => ({
  MessageId: 'm-1',
  ReceiptHandle: 'rh-1',
  Body: JSON.stringify(envelope),
  Attributes: { SentTimestamp: '1795000000000', ApproximateReceiveCount: '6' },
  ...overrides,
});

describe('Function: loginFields', () => {
  it('reads the detail of an EventBridge envelope', () => {
    // Act & Assess
    expect(loginFields(JSON.stringify(envelope))).toEqual({
      eventId: 'evt-1',
      sub: 'sub-1',
      username: 'jane',
      authenticatedAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it('gives nothing for a body that is not JSON', () => {
    // Act & Assess
    expect(loginFields('not json')).toEqual({});
    expect(loginFields(undefined)).toEqual({});
  });
});

describe('Function: isMessageOfUser', () => {
  it('matches the sub or the username, nothing else', () => {
    // Act & Assess
    expect(isMessageOfUser(message(), 'sub-1')).toBe(true);
    expect(isMessageOfUser(message(), 'jane')).toBe(true);
    expect(isMessageOfUser(message(), 'sub-2')).toBe(false);
    expect(isMessageOfUser(message({ Body: 'garbage' }), 'sub-1')).toBe(false);
  });
});

describe('Function: sampleOf', () => {
  it('shows ids and times but no attribute value', () => {
    // Act
    const sample = sampleOf(message());

    // Assess
    expect(sample).toEqual({
      messageId: 'm-1',
      eventId: 'evt-1',
      sub: 'sub-1',
      authenticatedAt: '2026-11-26T10:00:00.000Z',
      sentAt: new Date(1795000000000).toISOString(),
      receiveCount: 6,
      bodyBytes: Buffer.byteLength(JSON.stringify(envelope)),
    });
    expect(JSON.stringify(sample)).not.toContain('jane@example.com');
  });
});

describe('Function: resendEntry', () => {
  it('keeps the body, the message attributes and the trace header', () => {
    // Prepare
    const received = message({
      MessageAttributes: {
        origin: { DataType: 'String', StringValue: 'fallback', StringListValues: [] },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
      },
      Attributes: { AWSTraceHeader: 'Root=1-abc' },
    });

    // Act
    const entry = resendEntry(received, '0', false);

    // Assess
    expect(entry).toEqual({
      Id: '0',
      MessageBody: received.Body,
      MessageAttributes: {
        origin: { DataType: 'String', StringValue: 'fallback' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
      },
      MessageSystemAttributes: {
        AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' },
      },
    });
  });

  it('carries the group and deduplication ids to a FIFO queue', () => {
    // Prepare
    const received = message({
      Attributes: { MessageGroupId: 'g', MessageDeduplicationId: 'd' },
    });

    // Act
    const entry = resendEntry(received, '3', true);

    // Assess
    expect(entry).toMatchObject({ Id: '3', MessageGroupId: 'g', MessageDeduplicationId: 'd' });
  });
});
