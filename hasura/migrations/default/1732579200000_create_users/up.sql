-- The users table kept in step with Cognito (one row per Cognito user, keyed by its sub).
CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL,
  email         text,
  last_seen_at  timestamptz NOT NULL,
  last_event_id text COLLATE "C" NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN users.id IS 'Cognito sub';
COMMENT ON COLUMN users.last_seen_at IS 'authenticatedAt of the newest login event applied';
COMMENT ON COLUMN users.last_event_id IS 'eventId of that event: the tie-break between equal timestamps (byte order, as the consumer compares)';

-- Newest wins for any INSERT ... ON CONFLICT (id) DO UPDATE, whatever the delivery order:
-- an update carrying an older (or the same) event is skipped, which also makes re-applying an
-- event a no-op. A skipped row is not counted in affected_rows nor listed in returning.
CREATE FUNCTION users_newest_wins() RETURNS trigger
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
