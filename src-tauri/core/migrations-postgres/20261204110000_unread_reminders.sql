-- The twin of SQLite's migration of this version: unread reminders. The
-- columns are covered by their tables' grants and policies (a person changes
-- their own settings; any desktop queues and sends mail).
ALTER TABLE user_settings ADD COLUMN remind_after_hours BIGINT
    CHECK (remind_after_hours IS NULL OR remind_after_hours BETWEEN 1 AND 168);
ALTER TABLE deliveries ADD COLUMN only_if_unread BOOLEAN NOT NULL DEFAULT FALSE;

-- Whether a reminder's notification is still unread: the sending desktop's
-- login cannot read another person's notification (row-level security).
-- Answers only for a reminder, and only that.
CREATE FUNCTION partwatch_reminder_unread(delivery BIGINT) RETURNS BOOLEAN
    LANGUAGE SQL SECURITY DEFINER
    AS $$
    SELECT n.read_at IS NULL
      FROM deliveries d JOIN notifications n ON n.id = d.notification_id
     WHERE d.id = delivery AND d.only_if_unread
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION partwatch_reminder_unread(bigint) SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END $$;
