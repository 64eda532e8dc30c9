-- A person's quiet hours ("22:00" to "07:00" in their time zone), during
-- which their popups and mails are held until the hours end, and sent then
-- only if the notification is still unread.
ALTER TABLE user_settings ADD COLUMN quiet_from TEXT;
ALTER TABLE user_settings ADD COLUMN quiet_to TEXT;
ALTER TABLE user_settings ADD COLUMN quiet_zone TEXT;
-- A delivery held by its person's quiet hours (with `only_if_unread`).
ALTER TABLE deliveries ADD COLUMN held_by_quiet_hours INTEGER NOT NULL DEFAULT 0
    CHECK (held_by_quiet_hours IN (0, 1));
