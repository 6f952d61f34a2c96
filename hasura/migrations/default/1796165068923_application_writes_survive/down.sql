-- Back to 1732579200000's trigger (which cancels every update that does not advance
-- last_seen_at/last_event_id, the application's included).
DROP TRIGGER IF EXISTS users_record_application_writes ON users;
DROP FUNCTION IF EXISTS users_record_application_writes();
DROP TRIGGER IF EXISTS users_newest_wins ON users;

CREATE OR REPLACE FUNCTION users_newest_wins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.last_seen_at, NEW.last_event_id) <= (OLD.last_seen_at, OLD.last_event_id) THEN
    RETURN NULL;
  END IF;
  NEW.created_at := OLD.created_at;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER users_newest_wins
  BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION users_newest_wins();

ALTER TABLE users DROP COLUMN IF EXISTS app_written_at;
