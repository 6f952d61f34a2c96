import { randomUUID } from 'node:crypto';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { COGNITO_CLOUDTRAIL, type pipeline } from '../shared/pipeline.js';

/** What CloudTrail writes in place of the values it keeps private. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The account id the local stack's CloudTrail events name (moto's default account). */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** One Cognito API call the local stack reports as CloudTrail would. */
export interface LocalCloudTrailCall {
  /** The API action (a name of `pipeline.lifecycle.eventNames`). */
  readonly eventName: (typeof pipeline.lifecycle.eventNames)[number];
  readonly userPoolId: string;
  /** The user's `sub`, which CloudTrail reports in `additionalEventData`. */
  readonly sub: string;
  readonly region: string;
  /**
   * When the call was made.
   * @default - now
   */
  readonly at?: Date;
}

/**
 * The `detail` CloudTrail records for a successful user pool call made with administrator
 * credentials, with every private field hidden as CloudTrail hides it: the username and the
 * attributes are `HIDDEN_DUE_TO_SECURITY_REASONS`; the pool id, the event name and time and
 * `additionalEventData.sub` are in clear.
 *
 * @example
 * cloudTrailDetail({ eventName: 'AdminDisableUser', userPoolId, sub, region: 'us-east-1' });
 */
export const cloudTrailDetail = (call: LocalCloudTrailCall): Record<string, unknown> => {
  const at = (call.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const requestParameters: Record<string, unknown> = {
    userPoolId: call.userPoolId,
    username: HIDDEN,
  };
  if (call.eventName === 'AdminCreateUser' || call.eventName === 'AdminUpdateUserAttributes') {
    requestParameters.userAttributes = HIDDEN;
  }
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROALOCALSTACK:local-admin',
      arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/LocalAdmin/local-admin`,
      accountId: LOCAL_ACCOUNT_ID,
    },
    eventTime: at,
    eventSource: COGNITO_CLOUDTRAIL.eventSource,
    eventName: call.eventName,
    awsRegion: call.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'cognito-hasura-sync/local-admin',
    requestParameters,
    responseElements: null,
    additionalEventData: { sub: call.sub },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: LOCAL_ACCOUNT_ID,
    eventCategory: 'Management',
  };
};

/**
 * Plays CloudTrail for moto, which has none: puts the event of one Cognito call on the default
 * bus, as `AWS API Call via CloudTrail` from `aws.cognito-idp`, where the lifecycle rule picks
 * it up as it does in AWS.
 *
 * @throws when EventBridge rejects the entry.
 */
export const putCloudTrailEvent = async (
  eventBridge: EventBridgeClient,
  call: LocalCloudTrailCall,
): Promise<void> => {
  const output = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'default',
          Source: COGNITO_CLOUDTRAIL.source,
          DetailType: COGNITO_CLOUDTRAIL.detailType,
          Detail: JSON.stringify(cloudTrailDetail(call)),
          Time: call.at ?? new Date(),
        },
      ],
    }),
  );
  if ((output.FailedEntryCount ?? 0) > 0) {
    const entry = output.Entries?.[0];
    throw new Error(
      `EventBridge rejected the CloudTrail event of ${call.eventName}: ${entry?.ErrorCode ?? 'Unknown'} ${entry?.ErrorMessage ?? ''}`,
    );
  }
};
