-- A person's email digest: each mail at once (as before), or gathered into
-- one an hour or a day at a time of their choosing (in the time zone of the
-- desktop where they chose it). A delivery waiting for the digest is an
-- ordinary pending row, due when the digest is: nothing is lost across a
-- restart.
ALTER TABLE user_settings ADD COLUMN digest TEXT NOT NULL DEFAULT 'immediately'
    CHECK (digest IN ('immediately', 'hourly', 'daily'));
ALTER TABLE user_settings ADD COLUMN digest_at TEXT;
ALTER TABLE user_settings ADD COLUMN digest_zone TEXT;
ALTER TABLE deliveries ADD COLUMN in_digest INTEGER NOT NULL DEFAULT 0
    CHECK (in_digest IN (0, 1));
-- A due digest gathers its person's waiting rows.
CREATE INDEX deliveries_in_digest ON deliveries (user_id, next_attempt_at)
    WHERE status = 'pending' AND in_digest = 1;
