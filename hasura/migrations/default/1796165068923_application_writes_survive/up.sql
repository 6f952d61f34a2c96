-- The application's writes survive the sync (issue 14).
--
-- 1732579200000 guarded EVERY update: an UPDATE that did not advance (last_seen_at,
-- last_event_id), i.e. every write of the application, was cancelled. From here on:
--
-- * users_newest_wins fires only for updates whose SET list names last_seen_at or
--   last_event_id (BEFORE UPDATE OF): the sync's INSERT ... ON CONFLICT DO UPDATE always
--   names them; the application's updates do not, and take effect as written.
-- * users_record_application_writes stamps, for each column an application update
--   changes, the time of that write in app_written_at ({"email": "2026-…", …}).
-- * A sync event dated at or before that time still advances last_seen_at/last_event_id
--   (the login happened) but leaves those columns as the application set them: an erased
--   email stays erased until a login dated after the erasure carries one.
-- Entries older than last_seen_at can no longer matter and are dropped, so app_written_at
-- is NULL on almost every row and the sync's trigger costs one NULL test for them.

ALTER TABLE users ADD COLUMN app_written_at jsonb;

COMMENT ON COLUMN users.app_written_at IS
  'column -> time the application last changed it; sync events dated at or before that time keep the application''s value (NULL: none newer than last_seen_at)';

DROP TRIGGER users_newest_wins ON users;

CREATE OR REPLACE FUNCTION users_newest_wins() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kept jsonb;
BEGIN
  -- An older (or the same) event is skipped: not written, not counted in affected_rows.
  IF (NEW.last_seen_at, NEW.last_event_id) <= (OLD.last_seen_at, OLD.last_event_id) THEN
    RETURN NULL;
  END IF;
  IF OLD.app_written_at IS NOT NULL THEN
    -- The application wrote some columns at or after this event's time: its values stay.
    SELECT jsonb_object_agg(w.key, to_jsonb(OLD) -> w.key),
           jsonb_object_agg(w.key, w.at)
      INTO kept, NEW.app_written_at
      FROM jsonb_each_text(OLD.app_written_at) AS w(key, at)
     WHERE w.at::timestamptz >= NEW.last_seen_at;
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
  BEFORE UPDATE OF last_seen_at, last_event_id ON users
  FOR EACH ROW EXECUTE FUNCTION users_newest_wins();

CREATE FUNCTION users_record_application_writes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  at timestamptz := statement_timestamp();
  changed jsonb;
BEGIN
  SELECT jsonb_object_agg(n.key, at)
    INTO changed
    FROM jsonb_each(to_jsonb(NEW)) AS n
   WHERE n.key NOT IN ('app_written_at', 'updated_at')
     AND n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
  IF changed IS NOT NULL THEN
    NEW.app_written_at := coalesce(OLD.app_written_at, '{}'::jsonb) || changed;
    NEW.updated_at := at;
  END IF;
  RETURN NEW;
END;
$$;

-- Fires after users_newest_wins (triggers fire in name order) and only for updates that leave
-- the ordering pair as it was: the application's. A sync write that passes the guard always
-- advances the pair; one that does not is dropped before this trigger runs.
CREATE TRIGGER users_record_application_writes
  BEFORE UPDATE ON users
  FOR EACH ROW
  WHEN (OLD.last_seen_at IS NOT DISTINCT FROM NEW.last_seen_at
        AND OLD.last_event_id IS NOT DISTINCT FROM NEW.last_event_id)
  EXECUTE FUNCTION users_record_application_writes();
