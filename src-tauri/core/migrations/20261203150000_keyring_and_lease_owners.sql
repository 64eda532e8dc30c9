-- The mail server's password moves to each desktop's OS keyring: the row
-- says only that one is kept there (`password` stays for a desktop whose
-- keyring could not take it). The core moves a password stored here to the
-- keyring when it opens the database (`delivery::email::keep_password_in_keyring`).
ALTER TABLE email_settings ADD COLUMN password_in_keyring INTEGER NOT NULL DEFAULT 0
    CHECK (password_in_keyring IN (0, 1) AND NOT (password_in_keyring = 1 AND password IS NOT NULL));

-- A lease names the desktop that holds it (`Database::desktop_id`): a
-- starting worker releases its own desktop's leases (left by its crash),
-- never another running desktop's (which lapse by themselves).
ALTER TABLE deliveries ADD COLUMN leased_by TEXT;
