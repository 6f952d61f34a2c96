/**
 * Fresh moto resources for one test: queue pairs, plain queues, a bus wired to a queue, a user
 * pool. moto allows one PurgeQueue per minute, so tests create their own instead of purging.
 */
import {
  AdminCreateUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { syncEventPattern } from '../../shared/pipeline.js';

let created = 0;

/** A queue name no other test of this process uses. */
const uniqueName = (prefix: string): string => {
  created += 1;
  return `${prefix}-${created}-${Date.now()}`;
};

/** The ARN of a queue. */
const queueArn = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return attributes.QueueArn ?? '';
};

/** A fresh source queue with a redrive policy to a fresh DLQ. */
export const createQueuePair = async (
  sqs: SQSClient,
  maxReceiveCount: number,
): Promise<{ queueUrl: string; dlqUrl: string; queueName: string; dlqName: string }> => {
  const queueName = uniqueName('cli-test');
  const dlqName = `${queueName}-dlq`;
  const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: dlqName }));
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: queueName,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(sqs, dlqUrl),
          maxReceiveCount,
        }),
      },
    }),
  );
  return { queueUrl, dlqUrl, queueName, dlqName };
};

/** A fresh queue without a redrive policy (a "live" queue, not anyone's DLQ); returns its URL. */
export const createPlainQueue = async (sqs: SQSClient, prefix: string): Promise<string> => {
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(prefix) }),
  );
  return queueUrl;
};

/**
 * A fresh bus with one rule that sends every event of the contract (the sync rule's pattern:
 * logins and lifecycle events, schema version 1) to the queue `targetArn`.
 *
 * @returns the bus name (`name`, also the rule's name).
 */
export const createBusWithSyncRule = async (
  eventBridge: EventBridgeClient,
  name: string,
  targetArn: string,
): Promise<string> => {
  await eventBridge.send(new CreateEventBusCommand({ Name: name }));
  await eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: name,
      EventPattern: JSON.stringify(syncEventPattern()),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: name,
      Targets: [{ Id: 'queue', Arn: targetArn }],
    }),
  );
  return name;
};

/**
 * A fresh bus with one rule sending every event of the contract (the sync rule's pattern) to a fresh queue, so a test reads only the
 * events it published.
 */
export const createBusToQueue = async (
  eventBridge: EventBridgeClient,
  sqs: SQSClient,
  name: string,
): Promise<{ busName: string; queueUrl: string }> => {
  const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const busName = await createBusWithSyncRule(eventBridge, name, await queueArn(sqs, queueUrl));
  return { busName, queueUrl };
};

/** Creates a user pool and returns its id. */
export const createUserPool = async (
  cognito: CognitoIdentityProviderClient,
  name: string,
): Promise<string> => {
  const { UserPool: pool } = await cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  if (!pool?.Id) throw new Error('CreateUserPool returned no id');
  return pool.Id;
};

/**
 * Creates users in a pool, 25 at a time, without invitation messages.
 *
 * @param attributesOf - the attributes of the user named `username`.
 */
export const createUsers = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  usernames: readonly string[],
  attributesOf: (username: string) => AttributeType[],
): Promise<void> => {
  for (let i = 0; i < usernames.length; i += 25) {
    await Promise.all(
      usernames.slice(i, i + 25).map((username) =>
        cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: username,
            MessageAction: 'SUPPRESS',
            UserAttributes: attributesOf(username),
          }),
        ),
      ),
    );
  }
};
