-- "Email me if I haven't read it within N hours": a person's choice, and
-- the reminder mail itself, queued with its notification to go at that
-- hour only if the notification is still unread then.
ALTER TABLE user_settings ADD COLUMN remind_after_hours INTEGER
    CHECK (remind_after_hours IS NULL OR remind_after_hours BETWEEN 1 AND 168);
ALTER TABLE deliveries ADD COLUMN only_if_unread INTEGER NOT NULL DEFAULT 0
    CHECK (only_if_unread IN (0, 1));
