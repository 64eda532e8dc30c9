-- The twin of PostgreSQL's migration of this version, which keeps the unread
-- counters once per statement instead of once per row. SQLite updates a row
-- in place, so its row triggers (20261201120000_notifications.sql) stay as
-- they are; the schema is unchanged and only its version moves.
SELECT 1;
