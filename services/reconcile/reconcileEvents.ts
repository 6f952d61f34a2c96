import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  type UserDeletedV1,
  UserDeletedV1Schema,
  type UserUpdatedV1,
  UserUpdatedV1Schema,
} from '../../shared/events/userLifecycle.js';
import { pipeline } from '../../shared/pipeline.js';
import type { CognitoUserState } from './userState.js';

/** The `cause` of every event reconcile publishes. */
export const RECONCILE_CAUSE = 'Reconcile';

/** Where reconcile publishes. */
export interface ReconcileTarget {
  readonly eventBusName: string;
  /** `Source` of the events (the sync rule matches on it). */
  readonly source: string;
}

/**
 * The `UserUpdated` v1 detail of a user read from Cognito at `readAt`: its whole state as of the
 * read, so newest wins downstream keeps any event dated after it.
 */
export const reconcileUpdate = (
  userPoolId: string,
  user: CognitoUserState,
  readAt: string,
): UserUpdatedV1 =>
  UserUpdatedV1Schema.parse({
    schemaVersion: 1,
    eventId: `reconcile-${randomUUID()}`,
    userPoolId,
    sub: user.sub,
    occurredAt: readAt,
    cause: RECONCILE_CAUSE,
    username: user.username,
    attributes: user.attributes,
    enabled: user.enabled,
    status: user.status,
  });

/** The `UserDeleted` v1 detail of a row AdminGetUser confirmed has no Cognito user. */
export const reconcileDeletion = (
  userPoolId: string,
  orphan: { readonly sub: string; readonly username: string | null },
  confirmedAt: string,
): UserDeletedV1 =>
  UserDeletedV1Schema.parse({
    schemaVersion: 1,
    eventId: `reconcile-${randomUUID()}`,
    userPoolId,
    sub: orphan.sub,
    occurredAt: confirmedAt,
    cause: RECONCILE_CAUSE,
    username: orphan.username,
  });

/** The `PutEvents` entry of a `UserUpdated` detail. */
export const updateEntry = (
  detail: UserUpdatedV1,
  target: ReconcileTarget,
): PutEventsRequestEntry => ({
  EventBusName: target.eventBusName,
  Source: target.source,
  DetailType: pipeline.detailTypes.updated,
  Detail: JSON.stringify(detail),
});

/** The `PutEvents` entry of a `UserDeleted` detail. */
export const deletionEntry = (
  detail: UserDeletedV1,
  target: ReconcileTarget,
): PutEventsRequestEntry => ({
  EventBusName: target.eventBusName,
  Source: target.source,
  DetailType: pipeline.detailTypes.deleted,
  Detail: JSON.stringify(detail),
});
