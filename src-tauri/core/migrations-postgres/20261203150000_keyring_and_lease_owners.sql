-- The twin of SQLite's migration of this version: the mail server's password
-- moves to each desktop's OS keyring; the row keeps only its stamp, which
-- the keyring's copy carries too (`password` stays for a desktop whose
-- keyring could not take it).
-- The column is covered by the table's existing grants and policies
-- (administrators change the mail server, the team reads it).
ALTER TABLE email_settings ADD COLUMN password_stamp TEXT
    CHECK (password_stamp IS NULL OR password IS NULL);

-- A lease names the desktop that holds it (`Database::desktop_id`): a
-- starting worker releases its own desktop's leases (left by its crash),
-- never another running desktop's (which lapse by themselves).
ALTER TABLE deliveries ADD COLUMN leased_by TEXT;
