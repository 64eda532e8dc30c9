-- The twin of PostgreSQL's migration of this version, which maps each
-- person of a team to their own PostgreSQL login and lets the server decide
-- who may read and change what (row-level security). One person works on a
-- SQLite file, so the columns are here to keep one schema and stay empty.

-- The PostgreSQL login a person connects with on a team database.
ALTER TABLE users ADD COLUMN db_login TEXT CHECK (db_login IS NULL OR length(db_login) BETWEEN 1 AND 63);
-- May change the team's global settings, mail server, webhooks and people.
ALTER TABLE users ADD COLUMN administrator INTEGER NOT NULL DEFAULT 0 CHECK (administrator IN (0, 1));
CREATE UNIQUE INDEX users_by_db_login ON users (db_login);
