import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { backfill } from '../../../cli/backfill.js';

// A ListUsers user as the Cognito API reference documents it; variants get their own sub.
const raw = JSON.parse(
  readFileSync(new URL('../../fixtures/cli/listUsersUser.json', import.meta.url), 'utf8'),
) as UserType & { UserCreateDate: string; UserLastModifiedDate: string };
const user = (n: number): UserType => {
  const copy = structuredClone(raw);
  return {
    ...copy,
    Username: `${copy.Username}-${n}`,
    Attributes: (copy.Attributes ?? []).map((attribute) =>
      attribute.Name === 'sub' ? { Name: 'sub', Value: `${attribute.Value}-${n}` } : attribute,
    ),
    UserCreateDate: new Date(raw.UserCreateDate),
    UserLastModifiedDate: new Date(raw.UserLastModifiedDate),
  };
};

const POOL = 'eu-west-1_AbCdEf123';

describe('Function: backfill', () => {
  const cognitoMock = mockClient(CognitoIdentityProviderClient);
  const eventBridgeMock = mockClient(EventBridgeClient);
  const clients = {
    cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
    eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
  };
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'backfill-unit-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    cognitoMock.reset();
    eventBridgeMock.reset();
    cognitoMock.on(DescribeUserPoolCommand).resolves({ UserPool: { EstimatedNumberOfUsers: 3 } });
    cognitoMock.on(ListUsersCommand).resolves({ Users: [user(1), user(2), user(3)] });
  });

  const options = (name: string) => ({
    userPoolId: POOL,
    eventBusName: 'bus',
    source: 'cognito-hasura-sync',
    attributes: ['email'],
    checkpointPath: join(directory, name),
    listUsersPerSecond: 1000,
    maxAttempts: 2,
  });

  it('does not count a page as published when FailedEntryCount > 0 comes without Entries', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 3 });
    const settings = options('no-entries.json');

    // Act
    const result = await backfill(clients, settings);

    // Assess
    expect(result).toMatchObject({ published: 0, failed: 3, pages: 0, complete: false });
    expect(existsSync(settings.checkpointPath)).toBe(false);
  });

  it('publishes nothing and writes no checkpoint in a dry run', async () => {
    // Prepare
    const settings = { ...options('dry-run.json'), dryRun: true };

    // Act
    const result = await backfill(clients, settings);

    // Assess
    expect(result).toMatchObject({
      dryRun: true,
      wouldPublish: 3,
      published: 0,
      pages: 1,
      complete: true,
    });
    expect(result.samples).toHaveLength(3);
    expect(result.samples[0]).toEqual({
      eventId: expect.stringMatching(/^backfill-/),
      sub: expect.stringMatching(/-1$/),
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      attributeNames: ['email'],
    });
    expect(JSON.stringify(result.samples)).not.toContain('@example.com');
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(existsSync(settings.checkpointPath)).toBe(false);
  });
});
