import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { beforeEach } from '@jest/globals';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { RateLimiter } from '../../cli/rateLimiter.js';
import type {
  ReconcileDependencies,
  ReconcileSettings,
} from '../../services/reconcile/reconcilePartition.js';
import { DEFAULT_RECONCILE_COLUMNS } from '../../services/reconcile/userState.js';
import { FakePool, FakeTable } from './reconcileWorld.js';

/** The pool id of the mocked world. */
export const MOCK_POOL_ID = 'eu-west-1_AbCdEf123';

/** A fake pool and table behind mocked Cognito and EventBridge clients, fresh for each test. */
export interface MockedReconcileWorld {
  readonly cognitoMock: AwsClientStub<CognitoIdentityProviderClient>;
  readonly eventBridgeMock: AwsClientStub<EventBridgeClient>;
  pool: FakePool;
  table: FakeTable;
  /** Every PutEvents entry, in order. */
  readonly published: PutEventsRequestEntry[];
  /** Reconcile's dependencies on the mocks. @default limiter - no limit */
  dependencies(limiter?: RateLimiter): ReconcileDependencies;
  /** Reconcile's settings for the pool. */
  settings(overrides?: Partial<ReconcileSettings>): ReconcileSettings;
}

/**
 * Mocks Cognito (ListUsers and AdminGetUser answered by a {@link FakePool}) and EventBridge
 * (PutEvents recorded) at describe scope, with a new pool, table and record before each test.
 */
export const useReconcileMocks = (): MockedReconcileWorld => {
  const world: MockedReconcileWorld = {
    cognitoMock: mockClient(CognitoIdentityProviderClient),
    eventBridgeMock: mockClient(EventBridgeClient),
    pool: new FakePool(),
    table: new FakeTable(),
    published: [],
    dependencies: (limiter = new RateLimiter({ perSecond: Number.POSITIVE_INFINITY })) => ({
      cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
      eventBridge: new EventBridgeClient({ region: 'eu-west-1' }),
      table: world.table,
      limiter,
    }),
    settings: (overrides = {}) => ({
      userPoolId: MOCK_POOL_ID,
      attributes: ['email'],
      columns: DEFAULT_RECONCILE_COLUMNS,
      target: { eventBusName: 'bus', source: 'cognito-hasura-sync' },
      dryRun: false,
      maxDeletes: 10,
      ...overrides,
    }),
  };
  beforeEach(() => {
    world.cognitoMock.reset();
    world.eventBridgeMock.reset();
    world.pool = new FakePool();
    world.table = new FakeTable();
    world.published.length = 0;
    world.cognitoMock.on(ListUsersCommand).callsFake((input) => world.pool.listUsers(input));
    world.cognitoMock.on(AdminGetUserCommand).callsFake((input) => world.pool.adminGetUser(input));
    world.eventBridgeMock
      .on(PutEventsCommand)
      .callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
        world.published.push(...input.Entries);
        return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) };
      });
  });
  return world;
};
