import * as z from 'zod/mini';
import { pipeline } from '../pipeline.js';
import {
  UserAuthenticatedEventSchema,
  type UserAuthenticatedV1,
  UserAuthenticatedV1Schema,
} from './userAuthenticated.js';
import {
  UserDeletedEventSchema,
  type UserDeletedV1,
  UserDeletedV1Schema,
  UserSignedUpEventSchema,
  type UserSignedUpV1,
  UserSignedUpV1Schema,
  UserUpdatedEventSchema,
  type UserUpdatedV1,
  UserUpdatedV1Schema,
} from './userLifecycle.js';

/** The detail types of the contract, by name. */
export const DETAIL_TYPES = pipeline.detailTypes;

/** A detail type of the contract. */
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** Every detail type of the contract, in the order they are documented. */
export const ALL_DETAIL_TYPES: readonly DetailType[] = Object.values(DETAIL_TYPES);

/** Each detail type's v1 detail schema: the one table the JSON Schemas are generated from. */
export const DETAIL_SCHEMAS_V1 = {
  [DETAIL_TYPES.authenticated]: UserAuthenticatedV1Schema,
  [DETAIL_TYPES.signedUp]: UserSignedUpV1Schema,
  [DETAIL_TYPES.updated]: UserUpdatedV1Schema,
  [DETAIL_TYPES.deleted]: UserDeletedV1Schema,
} as const;

/** Any event of the contract, tagged with its detail type. */
export type SyncEvent =
  | { readonly type: typeof DETAIL_TYPES.authenticated; readonly detail: UserAuthenticatedV1 }
  | { readonly type: typeof DETAIL_TYPES.signedUp; readonly detail: UserSignedUpV1 }
  | { readonly type: typeof DETAIL_TYPES.updated; readonly detail: UserUpdatedV1 }
  | { readonly type: typeof DETAIL_TYPES.deleted; readonly detail: UserDeletedV1 };

const consumed = { 'detail-type': true, source: true, detail: true } as const;

/**
 * What a consumer checks of any event of the contract: detail type, source and detail. The
 * EventBridge envelope's other fields are ignored, as is any unknown field.
 */
export const SyncEventEnvelopeSchema = z.discriminatedUnion('detail-type', [
  z.pick(UserAuthenticatedEventSchema, consumed),
  z.pick(UserSignedUpEventSchema, consumed),
  z.pick(UserUpdatedEventSchema, consumed),
  z.pick(UserDeletedEventSchema, consumed),
]);

/** A parsed envelope of any event of the contract. */
export type SyncEventEnvelope = z.infer<typeof SyncEventEnvelopeSchema>;

/** The event of a parsed envelope, tagged with its type. */
export const toSyncEvent = (envelope: SyncEventEnvelope): SyncEvent =>
  ({ type: envelope['detail-type'], detail: envelope.detail }) as SyncEvent;

/** When the event's state held: `authenticatedAt` for a login, `occurredAt` otherwise. */
export const occurredAtOf = (event: SyncEvent): string =>
  event.type === DETAIL_TYPES.authenticated
    ? event.detail.authenticatedAt
    : event.detail.occurredAt;

/**
 * The one order of a user's events, all types together: `(occurredAt, eventId)`. Times are
 * ISO-8601 UTC with exactly milliseconds (the schemas enforce it), so comparing the strings
 * compares the instants; `eventId` compares in code-unit order, as the database's `COLLATE "C"`.
 */
export const compareSyncEvents = (a: SyncEvent, b: SyncEvent): number => {
  const at = occurredAtOf(a);
  const bt = occurredAtOf(b);
  if (at !== bt) return at < bt ? -1 : 1;
  if (a.detail.eventId !== b.detail.eventId) return a.detail.eventId < b.detail.eventId ? -1 : 1;
  return 0;
};

/**
 * Builds the EventBridge-shaped envelope of any event (what a rule target receives, and what a
 * trigger's fallback sends straight to the sync queue), so consumers have one parsing path.
 */
export const toSyncEnvelope = (
  event: SyncEvent,
  context: { source: string; region: string; account?: string },
): Record<string, unknown> => ({
  version: '0',
  id: event.detail.eventId,
  'detail-type': event.type,
  source: context.source,
  account: context.account ?? '000000000000',
  time: occurredAtOf(event).replace(/\.\d{3}Z$/, 'Z'),
  region: context.region,
  resources: [],
  detail: event.detail,
});
