-- What reaches a person where: a matrix of events × channels. The team's
-- defaults are one row a cell; a person's own row exists only where they
-- chose otherwise, so a cell left at the default follows it.
CREATE TABLE default_preferences (
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (kind, channel)
);
INSERT INTO default_preferences (kind, channel, enabled) VALUES
    ('low_stock', 'in_app', 1), ('low_stock', 'os_popup', 1), ('low_stock', 'email', 1),
    ('back_in_stock', 'in_app', 0), ('back_in_stock', 'os_popup', 0), ('back_in_stock', 'email', 0),
    ('build_shortage', 'in_app', 1), ('build_shortage', 'os_popup', 1), ('build_shortage', 'email', 1);

CREATE TABLE notification_preferences (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, kind, channel)
);

-- The three switches each person had become their cells: "back in stock"
-- opted into reaches them where their email and popup switches allowed;
-- email or popups switched off are off for every event.
INSERT INTO notification_preferences (user_id, kind, channel, enabled)
SELECT user_id, 'back_in_stock', 'in_app', 1 FROM user_settings WHERE back_in_stock = 1
UNION ALL
SELECT user_id, 'back_in_stock', 'os_popup', os_popups_enabled FROM user_settings WHERE back_in_stock = 1
UNION ALL
SELECT user_id, 'back_in_stock', 'email', email_enabled FROM user_settings WHERE back_in_stock = 1
UNION ALL
SELECT user_id, kind, 'email', 0 FROM user_settings, (SELECT 'low_stock' AS kind UNION ALL SELECT 'build_shortage')
 WHERE email_enabled = 0
UNION ALL
SELECT user_id, kind, 'os_popup', 0 FROM user_settings, (SELECT 'low_stock' AS kind UNION ALL SELECT 'build_shortage')
 WHERE os_popups_enabled = 0;

ALTER TABLE user_settings DROP COLUMN email_enabled;
ALTER TABLE user_settings DROP COLUMN os_popups_enabled;
ALTER TABLE user_settings DROP COLUMN back_in_stock;
