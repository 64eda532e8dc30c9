-- The twin of SQLite's migration of this version: the preference matrix
-- (the team's defaults, a person's own cells where they differ), carried
-- over from each person's three switches.
CREATE TABLE default_preferences (
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  BOOLEAN NOT NULL,
    PRIMARY KEY (kind, channel)
);
INSERT INTO default_preferences (kind, channel, enabled) VALUES
    ('low_stock', 'in_app', TRUE), ('low_stock', 'os_popup', TRUE), ('low_stock', 'email', TRUE),
    ('back_in_stock', 'in_app', FALSE), ('back_in_stock', 'os_popup', FALSE), ('back_in_stock', 'email', FALSE),
    ('build_shortage', 'in_app', TRUE), ('build_shortage', 'os_popup', TRUE), ('build_shortage', 'email', TRUE);

CREATE TABLE notification_preferences (
    user_id  BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

INSERT INTO notification_preferences (user_id, kind, channel, enabled)
SELECT user_id, 'back_in_stock', 'in_app', TRUE FROM user_settings WHERE back_in_stock
UNION ALL
SELECT user_id, 'back_in_stock', 'os_popup', os_popups_enabled FROM user_settings WHERE back_in_stock
UNION ALL
SELECT user_id, 'back_in_stock', 'email', email_enabled FROM user_settings WHERE back_in_stock
UNION ALL
SELECT user_id, kind, 'email', FALSE FROM user_settings, (VALUES ('low_stock'), ('build_shortage')) AS k(kind)
 WHERE NOT email_enabled
UNION ALL
SELECT user_id, kind, 'os_popup', FALSE FROM user_settings, (VALUES ('low_stock'), ('build_shortage')) AS k(kind)
 WHERE NOT os_popups_enabled;

ALTER TABLE user_settings DROP COLUMN email_enabled;
ALTER TABLE user_settings DROP COLUMN os_popups_enabled;
ALTER TABLE user_settings DROP COLUMN back_in_stock;

-- The defaults are the team's: read by all, changed by administrators. A
-- person's cells: read by the team (whoever's desktop notifies them reads
-- them), changed by that person only.
ALTER TABLE default_preferences ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON default_preferences FOR SELECT USING (TRUE);
CREATE POLICY administrators_change ON default_preferences
    FOR UPDATE USING (TRUE) WITH CHECK (partwatch_is_administrator());

ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON notification_preferences FOR SELECT USING (TRUE);
CREATE POLICY own_preferences_added ON notification_preferences
    FOR INSERT WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_preferences_changed ON notification_preferences
    FOR UPDATE USING (user_id = partwatch_person()) WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_preferences_removed ON notification_preferences
    FOR DELETE USING (user_id = partwatch_person());

SELECT partwatch_grant_every_login();
