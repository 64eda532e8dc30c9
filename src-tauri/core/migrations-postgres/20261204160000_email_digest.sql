-- The twin of SQLite's migration of this version: a person's email digest,
-- and deliveries waiting for it. The columns are covered by their tables'
-- grants and policies.
ALTER TABLE user_settings ADD COLUMN digest TEXT NOT NULL DEFAULT 'immediately'
    CHECK (digest IN ('immediately', 'hourly', 'daily'));
ALTER TABLE user_settings ADD COLUMN digest_at TEXT;
ALTER TABLE user_settings ADD COLUMN digest_zone TEXT;
ALTER TABLE deliveries ADD COLUMN in_digest BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX deliveries_in_digest ON deliveries (user_id, next_attempt_at)
    WHERE status = 'pending' AND in_digest;
