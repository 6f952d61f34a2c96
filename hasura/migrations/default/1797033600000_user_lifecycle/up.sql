-- The user lifecycle (docs/lifecycle.md): sign-ups, updates, disables and deletions beside logins.
--
-- * New columns: last_event_at (the ordering clock of every event, backfilled from
--   last_seen_at), deleted_at (tombstone), enabled, user_status. username and last_seen_at become
--   nullable: a user known only from a lifecycle event has never signed in, and a soft-deleted
--   row keeps none of its attributes.
-- * users_newest_wins is rewritten per register:
--     - profile (username, mapped attributes, enabled, user_status): the newest event by
--       (last_event_at, last_event_id) wins;
--     - login (last_seen_at): the maximum ever applied, also from a login that is stale for the
--       profile (it raises last_seen_at only);
--     - deletion: final; a tombstone (deleted_at set) takes no further sync write;
--     - application writes: a sync event dated at or before the application's write of a column
--       (app_written_at) keeps the application's value; compared with last_event_at now.
--   It fires for updates whose SET list names last_event_at or last_event_id (the sync's upsert
--   always names both).
-- * users_record_application_writes never records the sync-owned columns (last_seen_at,
--   last_event_at, last_event_id, deleted_at, app_written_at, updated_at).
-- * user_tombstones + users_drop_tombstoned (BEFORE INSERT) for SYNC_DELETE_MODE=hard: a
--   tombstone row deletes the user's row (user_tombstones_delete_user) and every later insert
--   of that sub is dropped. Purge (after the horizon, 90 days by default):
--     DELETE FROM user_tombstones WHERE deleted_at < now() - interval '90 days';

DROP TRIGGER IF EXISTS users_newest_wins ON users;
DROP TRIGGER IF EXISTS users_record_application_writes ON users;

ALTER TABLE users
  ADD COLUMN last_event_at timestamptz,
  ADD COLUMN deleted_at    timestamptz,
  ADD COLUMN enabled       boolean,
  ADD COLUMN user_status   text,
  ALTER COLUMN username     DROP NOT NULL,
  ALTER COLUMN last_seen_at DROP NOT NULL;

-- Existing rows: their newest event was their newest login. Sync-owned columns recorded as
-- application writes by the previous recorder are dropped from app_written_at.
UPDATE users
   SET last_event_at = last_seen_at,
       app_written_at = nullif(app_written_at - ARRAY['last_seen_at', 'last_event_id'], '{}'::jsonb);

COMMENT ON COLUMN users.username IS 'Cognito username as of the newest event; NULL on a deleted row';
COMMENT ON COLUMN users.last_seen_at IS 'the newest sign-in applied (max of authenticatedAt, whatever the order); NULL for users who never signed in and on a deleted row';
COMMENT ON COLUMN users.last_event_at IS 'occurredAt of the newest event applied (a login''s authenticatedAt): with last_event_id, the ordering clock of every event';
COMMENT ON COLUMN users.last_event_id IS 'eventId of that event: the tie-break between equal times (byte order, as the consumer compares)';
COMMENT ON COLUMN users.deleted_at IS 'set: the Cognito user was deleted at that time (tombstone, final: no sync event writes the row again)';
COMMENT ON COLUMN users.enabled IS 'whether the user may sign in, as of the newest event; NULL on a deleted row';
COMMENT ON COLUMN users.user_status IS 'Cognito UserStatus as of the newest event carrying it; NULL on a deleted row';
COMMENT ON COLUMN users.app_written_at IS
  'column -> time the application last changed it; sync events dated at or before that time keep the application''s value (NULL: none newer than last_event_at)';

CREATE OR REPLACE FUNCTION users_newest_wins() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kept jsonb;
  seen timestamptz;
BEGIN
  -- A deletion is final: a tombstone takes no further sync write (older, newer, replayed).
  IF OLD.deleted_at IS NOT NULL THEN
    RETURN NULL;
  END IF;
  IF NEW.deleted_at IS NOT NULL THEN
    -- A deletion of a live row, whatever its date. The consumer sends every mapped column NULL;
    -- the application's own columns stay as the application set them.
    NEW.app_written_at := NULL;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := now();
    RETURN NEW;
  END IF;
  -- Login register: the newest sign-in ever applied (greatest ignores NULL).
  seen := greatest(OLD.last_seen_at, NEW.last_seen_at);
  -- Profile register: an older (or the same) event leaves it as it is.
  IF (NEW.last_event_at, NEW.last_event_id) <= (OLD.last_event_at, OLD.last_event_id) THEN
    IF seen IS NOT DISTINCT FROM OLD.last_seen_at THEN
      RETURN NULL;  -- nothing to write: not counted in affected_rows
    END IF;
    NEW := OLD;
    NEW.last_seen_at := seen;
    NEW.updated_at := now();
    RETURN NEW;
  END IF;
  NEW.last_seen_at := seen;
  IF OLD.app_written_at IS NOT NULL THEN
    -- The application wrote some columns at or after this event's time: its values stay.
    SELECT jsonb_object_agg(w.key, to_jsonb(OLD) -> w.key),
           jsonb_object_agg(w.key, w.at)
      INTO kept, NEW.app_written_at
      FROM jsonb_each_text(OLD.app_written_at) AS w(key, at)
     WHERE w.at::timestamptz >= NEW.last_event_at;
    IF kept IS NOT NULL THEN
      NEW := jsonb_populate_record(NEW, kept);
    END IF;
  END IF;
  NEW.created_at := OLD.created_at;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_newest_wins
  BEFORE UPDATE OF last_event_at, last_event_id ON users
  FOR EACH ROW EXECUTE FUNCTION users_newest_wins();

CREATE OR REPLACE FUNCTION users_record_application_writes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  at timestamptz := statement_timestamp();
  changed jsonb;
BEGIN
  SELECT jsonb_object_agg(n.key, at)
    INTO changed
    FROM jsonb_each(to_jsonb(NEW)) AS n
   WHERE n.key NOT IN ('app_written_at', 'updated_at', 'last_seen_at', 'last_event_at',
                       'last_event_id', 'deleted_at')
     AND n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
  IF changed IS NOT NULL THEN
    NEW.app_written_at := coalesce(OLD.app_written_at, '{}'::jsonb) || changed;
    NEW.updated_at := at;
  END IF;
  RETURN NEW;
END;
$$;

-- Fires after users_newest_wins (name order) for updates that leave the ordering pair as it
-- was: the application's, and a stale login raising last_seen_at only (sync-owned, not recorded).
CREATE TRIGGER users_record_application_writes
  BEFORE UPDATE ON users
  FOR EACH ROW
  WHEN (OLD.last_event_at IS NOT DISTINCT FROM NEW.last_event_at
        AND OLD.last_event_id IS NOT DISTINCT FROM NEW.last_event_id)
  EXECUTE FUNCTION users_record_application_writes();

-- Hard deletion (SYNC_DELETE_MODE=hard): the sub of a deleted user, kept for the purge horizon.
CREATE TABLE user_tombstones (
  id         text PRIMARY KEY,
  deleted_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE user_tombstones IS
  'subs of hard-deleted users: their users row is deleted and no insert brings it back. Purge after the horizon: DELETE FROM user_tombstones WHERE deleted_at < now() - interval ''90 days''';

-- Both triggers below serialize on the same advisory lock (class 0x75736572, "user") of the
-- sub's bucket (one of 256), so a deletion and a concurrent insert of the same sub cannot both
-- miss each other. Buckets, not one lock per sub: a transaction then holds at most 256 of these
-- locks, so a bulk INSERT of many users stays within the server's lock table
-- (max_locks_per_transaction) instead of failing with "out of shared memory".
-- Both name the other table: their search_path is the migration's, whatever the session's.
CREATE FUNCTION user_tombstones_delete_user() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  -- Without the check on users, an older event would insert the row again: refuse instead (the
  -- consumer fails the record, which waits in the DLQ until the trigger is enabled).
  IF NOT EXISTS (SELECT 1 FROM pg_trigger
                  WHERE tgrelid = 'users'::regclass AND tgname = 'users_drop_tombstoned'
                    AND tgenabled <> 'D') THEN
    RAISE EXCEPTION 'hard deletion needs the tombstone check on users: run ALTER TABLE users ENABLE TRIGGER users_drop_tombstoned (SYNC_DELETE_MODE=hard, docs/hasura.md)';
  END IF;
  PERFORM pg_advisory_xact_lock(1970496882, hashtext(NEW.id) & 255);
  DELETE FROM users WHERE id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER user_tombstones_delete_user
  AFTER INSERT ON user_tombstones
  FOR EACH ROW EXECUTE FUNCTION user_tombstones_delete_user();

CREATE FUNCTION users_drop_tombstoned() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1970496882, hashtext(NEW.id) & 255);
  IF EXISTS (SELECT 1 FROM user_tombstones WHERE id = NEW.id) THEN
    RETURN NULL;  -- a hard-deleted sub: not inserted, not counted
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_drop_tombstoned
  BEFORE INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION users_drop_tombstoned();

-- Shipped disabled: it runs for every proposed row of every upsert (a lock and an index probe,
-- about half of the upsert's database time), and only hard deletion needs it. A deployment with
-- SYNC_DELETE_MODE=hard enables it once (a migration of its own):
--   ALTER TABLE users ENABLE TRIGGER users_drop_tombstoned;
-- Until then a hard deletion is refused (above), so nothing is deleted that could come back.
ALTER TABLE users DISABLE TRIGGER users_drop_tombstoned;
