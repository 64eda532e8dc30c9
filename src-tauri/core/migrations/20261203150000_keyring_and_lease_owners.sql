-- The mail server's password moves to each desktop's OS keyring: the row
-- keeps only its stamp, which the keyring's copy carries too (a desktop
-- whose copy has another stamp holds a password changed since elsewhere);
-- `password` stays for a desktop whose keyring could not take it. The core
-- moves a password stored here to the keyring when it opens the database
-- (`delivery::email::keep_password_in_keyring`).
ALTER TABLE email_settings ADD COLUMN password_stamp TEXT
    CHECK (password_stamp IS NULL OR password IS NULL);

-- A lease names the desktop that holds it (`Database::desktop_id`): a
-- starting worker releases its own desktop's leases (left by its crash),
-- never another running desktop's (which lapse by themselves).
ALTER TABLE deliveries ADD COLUMN leased_by TEXT;
