-- Out of stock: its own, critical event. A part at zero (or below) with a
-- minimum set is out, not only low; `alert_out` is its edge-triggered state
-- beside `alert_low` (out implies low). Set silently here for parts already
-- out, as `alert_low` was.
--
-- The new kind needs the kind CHECKs of four tables widened, which SQLite
-- does by rebuilding each table (create, copy, drop, rename, then indexes and
-- triggers). `schema::migrate_sqlite` runs migrations with foreign keys off,
-- so dropping `notifications` and `delivery_events` leaves the deliveries
-- that point at them alone, and checks every key afterwards.

ALTER TABLE parts ADD COLUMN alert_out INTEGER NOT NULL DEFAULT 0
    CHECK (alert_out IN (0, 1));
UPDATE parts SET alert_out = 1 WHERE alert_low = 1 AND total_stock <= 0;

CREATE TABLE notifications_new (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage', 'test')),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    part_id         INTEGER REFERENCES parts (id) ON DELETE SET NULL,
    build_order_id  INTEGER REFERENCES build_orders (id) ON DELETE SET NULL,
    reason          TEXT    NOT NULL,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    read_at         TEXT,
    resolved_at     TEXT
) STRICT;
INSERT INTO notifications_new (id, user_id, kind, title, body, part_id, build_order_id, reason,
                               created_at, read_at, resolved_at)
SELECT id, user_id, kind, title, body, part_id, build_order_id, reason, created_at, read_at, resolved_at
  FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_read ON notifications (user_id) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_by_created ON notifications (created_at);

CREATE TRIGGER notifications_count_insert AFTER INSERT ON notifications
 WHEN NEW.read_at IS NULL
BEGIN
    INSERT INTO unread_counts (user_id, unread) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET unread = unread + 1;
END;

CREATE TRIGGER notifications_count_read AFTER UPDATE OF read_at ON notifications
 WHEN OLD.read_at IS NULL AND NEW.read_at IS NOT NULL
BEGIN
    UPDATE unread_counts SET unread = unread - 1 WHERE user_id = NEW.user_id;
END;

CREATE TRIGGER notifications_count_unread AFTER UPDATE OF read_at ON notifications
 WHEN OLD.read_at IS NOT NULL AND NEW.read_at IS NULL
BEGIN
    INSERT INTO unread_counts (user_id, unread) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET unread = unread + 1;
END;

CREATE TRIGGER notifications_count_delete AFTER DELETE ON notifications
 WHEN OLD.read_at IS NULL
BEGIN
    UPDATE unread_counts SET unread = unread - 1 WHERE user_id = OLD.user_id;
END;

CREATE TABLE delivery_events_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage', 'test')),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    part_id         INTEGER REFERENCES parts (id) ON DELETE SET NULL,
    build_order_id  INTEGER REFERENCES build_orders (id) ON DELETE SET NULL,
    -- The figures at the moment it fired (JSON, see delivery::event::Details).
    details         TEXT    NOT NULL DEFAULT '{}',
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO delivery_events_new (id, kind, title, body, part_id, build_order_id, details, created_at)
SELECT id, kind, title, body, part_id, build_order_id, details, created_at FROM delivery_events;
DROP TABLE delivery_events;
ALTER TABLE delivery_events_new RENAME TO delivery_events;
CREATE INDEX delivery_events_by_created ON delivery_events (created_at);

-- The matrix gains a row; "in the app" of critical news cannot be off.
CREATE TABLE default_preferences_new (
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (kind, channel),
    CHECK (kind <> 'out_of_stock' OR channel <> 'in_app' OR enabled = 1)
);
INSERT INTO default_preferences_new (kind, channel, enabled)
SELECT kind, channel, enabled FROM default_preferences
UNION ALL
SELECT 'out_of_stock', channel, CASE channel WHEN 'in_app' THEN 1 ELSE enabled END
  FROM default_preferences WHERE kind = 'low_stock';
DROP TABLE default_preferences;
ALTER TABLE default_preferences_new RENAME TO default_preferences;

-- Out of stock used to come as low stock: a person's own choices of popup
-- and email for low stock carry over to it.
CREATE TABLE notification_preferences_new (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage')),
    channel  TEXT    NOT NULL CHECK (channel IN ('in_app', 'os_popup', 'email')),
    enabled  INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, kind, channel),
    CHECK (kind <> 'out_of_stock' OR channel <> 'in_app' OR enabled = 1)
);
INSERT INTO notification_preferences_new (user_id, kind, channel, enabled)
SELECT user_id, kind, channel, enabled FROM notification_preferences
UNION ALL
SELECT user_id, 'out_of_stock', channel, enabled FROM notification_preferences
 WHERE kind = 'low_stock' AND channel <> 'in_app';
DROP TABLE notification_preferences;
ALTER TABLE notification_preferences_new RENAME TO notification_preferences;

-- Webhooks take out of stock where they took low stock.
ALTER TABLE webhooks ADD COLUMN out_of_stock INTEGER NOT NULL DEFAULT 1
    CHECK (out_of_stock IN (0, 1));
UPDATE webhooks SET out_of_stock = low_stock;

-- Whether critical news passes through a person's quiet hours.
ALTER TABLE user_settings ADD COLUMN quiet_critical_through INTEGER NOT NULL DEFAULT 1
    CHECK (quiet_critical_through IN (0, 1));
