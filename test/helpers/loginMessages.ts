/** Login events and their message bodies, as the CLI integration tests put them in queues. */
import { toEnvelope, type UserAuthenticatedV1 } from '../../shared/events/userAuthenticated.js';

/** Region of every test resource (moto accepts any). */
export const REGION = 'us-east-1';

/** A valid login detail for `sub`, numbered `n`. */
export const loginDetail = (sub: string, n: number): UserAuthenticatedV1 => ({
  schemaVersion: 1,
  eventId: `${sub}-login-${n}`,
  userPoolId: `${REGION}_TestPool1`,
  sub,
  username: `user-${sub}`,
  clientId: 'client-1',
  triggerSource: 'PostAuthentication_Authentication',
  authenticatedAt: new Date(Date.UTC(2026, 10, 26, 10, 0, 0, n)).toISOString(),
  attributes: { email: `${sub}@example.com` },
});

/** The body a login message carries: the EventBridge-shaped envelope. */
export const envelopeBody = (detail: UserAuthenticatedV1): string =>
  JSON.stringify(toEnvelope(detail, { source: 'test', region: REGION }));

/** The `detail.eventId`s of drained bodies. */
export const eventIds = (bodies: readonly { body: string }[]): string[] =>
  bodies.map((entry) => (JSON.parse(entry.body) as { detail: UserAuthenticatedV1 }).detail.eventId);
