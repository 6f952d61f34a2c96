-- Back to 1796165068923: logins only. Deleted rows (tombstones, soft and hard) cannot be
-- restored as users; soft tombstones are removed, since the old schema cannot mark them.
DROP TRIGGER IF EXISTS users_drop_tombstoned ON users;
DROP FUNCTION IF EXISTS users_drop_tombstoned();
DROP TABLE IF EXISTS user_tombstones;
DROP FUNCTION IF EXISTS user_tombstones_delete_user();
DROP TRIGGER IF EXISTS users_newest_wins ON users;
DROP TRIGGER IF EXISTS users_record_application_writes ON users;

DELETE FROM users WHERE deleted_at IS NOT NULL OR username IS NULL OR last_seen_at IS NULL;

ALTER TABLE users
  DROP COLUMN last_event_at,
  DROP COLUMN deleted_at,
  DROP COLUMN enabled,
  DROP COLUMN user_status,
  ALTER COLUMN username     SET NOT NULL,
  ALTER COLUMN last_seen_at SET NOT NULL;

COMMENT ON COLUMN users.last_seen_at IS 'authenticatedAt of the newest login event applied';
COMMENT ON COLUMN users.app_written_at IS
  'column -> time the application last changed it; sync events dated at or before that time keep the application''s value (NULL: none newer than last_seen_at)';

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

CREATE OR REPLACE FUNCTION users_record_application_writes() RETURNS trigger
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

CREATE TRIGGER users_record_application_writes
  BEFORE UPDATE ON users
  FOR EACH ROW
  WHEN (OLD.last_seen_at IS NOT DISTINCT FROM NEW.last_seen_at
        AND OLD.last_event_id IS NOT DISTINCT FROM NEW.last_event_id)
  EXECUTE FUNCTION users_record_application_writes();
