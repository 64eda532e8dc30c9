-- The twin of SQLite's migration of this version: quiet hours. The columns
-- are covered by their tables' grants and policies.
ALTER TABLE user_settings ADD COLUMN quiet_from TEXT;
ALTER TABLE user_settings ADD COLUMN quiet_to TEXT;
ALTER TABLE user_settings ADD COLUMN quiet_zone TEXT;
ALTER TABLE deliveries ADD COLUMN held_by_quiet_hours BOOLEAN NOT NULL DEFAULT FALSE;
