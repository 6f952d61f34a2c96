DROP TRIGGER IF EXISTS users_newest_wins ON users;
DROP FUNCTION IF EXISTS users_newest_wins();
DROP TABLE IF EXISTS users;
