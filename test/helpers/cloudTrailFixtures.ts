/**
 * Factories of the user-lifecycle tests: the CloudTrail events of `test/fixtures/cloudtrail/`
 * (one per event name of `pipeline.lifecycle.eventNames`, a failed call, another pool's call), as
 * EventBridge delivers them, and the SQS records that carry them.
 */
import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The pool of the fixtures. */
export const FIXTURE_POOL_ID = 'eu-west-1_Ab12Cd34E';
/** The `additionalEventData.sub` of the fixtures (but `otherPool.json`). */
export const FIXTURE_SUB = 'a1b2c3d4-5678-4e90-9abc-def012345678';

/** A CloudTrail event on EventBridge, as far as the tests change it. */
export interface CloudTrailFixture {
  'detail-type': string;
  source: string;
  detail: {
    eventName: string;
    eventTime: string;
    errorCode?: string;
    requestParameters: Record<string, unknown>;
    additionalEventData?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A fresh copy of a fixture.
 *
 * @param name - an event name (`AdminDisableUser`), `failedCall` or `otherPool`.
 */
export const cloudTrailEvent = (name: string): CloudTrailFixture =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/cloudtrail/${name}.json`, import.meta.url), 'utf8'),
  ) as CloudTrailFixture;

/** An SQS record of the lifecycle queue whose body is `body` (an object is serialized). */
export const lifecycleRecord = (messageId: string, body: unknown): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1795000000000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1795000000001',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:cognito-hasura-sync-user-lifecycle',
  awsRegion: 'eu-west-1',
});

/** An SQS batch of the given bodies, message ids `m-0`, `m-1`, … */
export const lifecycleBatch = (...bodies: unknown[]): SQSEvent => ({
  Records: bodies.map((body, index) => lifecycleRecord(`m-${index}`, body)),
});
