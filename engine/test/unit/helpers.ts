/**
 * Helpers for the engine's unit tests: POST a GraphQL request (or any body) to a running
 * engine and read status and JSON body.
 */

/** Status and parsed body of a response. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs `body` (JSON-encoded unless a string) to `url`. */
export const post = async (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** A users row as the consumer writes it. */
export const userRow = (
  id: string,
  lastSeenAt: string,
  eventId: string,
  username = `name-${eventId}`,
): Record<string, string> => ({
  id,
  username,
  email: `${id}@example.com`,
  last_seen_at: lastSeenAt,
  last_event_at: lastSeenAt,
  last_event_id: eventId,
});

/** The consumer's guard-mode upsert document. */
export const UPSERT_USERS = `mutation SyncUsers($objects: [users_insert_input!]!) {
  insert_users(objects: $objects, on_conflict: {constraint: users_pkey, update_columns: [username, email, last_seen_at, last_event_at, last_event_id]}) {
    affected_rows
    returning { id username }
  }
}`;
