-- Subscriptions, the low-stock alert state, notifications, their outbox and
-- the settings that switch them.

CREATE TABLE part_subscriptions (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    part_id     INTEGER NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (user_id, part_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX part_subscriptions_by_part ON part_subscriptions (part_id, user_id);

CREATE TABLE category_subscriptions (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (user_id, category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX category_subscriptions_by_category ON category_subscriptions (category_id, user_id);

-- Edge-triggered low-stock state: only ok -> low notifies; low -> ok re-arms.
ALTER TABLE parts ADD COLUMN alert_low INTEGER NOT NULL DEFAULT 0 CHECK (alert_low IN (0, 1));
UPDATE parts SET alert_low = 1
 WHERE active = 1 AND minimum_stock > 0 AND total_stock < minimum_stock;

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage', 'test')),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    part_id         INTEGER REFERENCES parts (id) ON DELETE SET NULL,
    build_order_id  INTEGER REFERENCES build_orders (id) ON DELETE SET NULL,
    reason          TEXT    NOT NULL,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    read_at         TEXT
) STRICT;
-- Inbox and history pages, newest first per user (the rowid is the index's last key).
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_read ON notifications (user_id) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_by_created ON notifications (created_at);

-- Each user's unread count, kept by triggers so the badge never counts rows.
CREATE TABLE unread_counts (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    unread   INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0)
) STRICT;

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

-- Deliveries to channels other than the app itself, written in the same
-- transaction as their notification and drained by the delivery worker.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    notification_id  INTEGER REFERENCES notifications (id) ON DELETE CASCADE,
    channel          TEXT    NOT NULL CHECK (channel IN ('os_popup', 'email', 'webhook')),
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at          TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE global_settings (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    notifications_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (notifications_enabled IN (0, 1)),
    low_stock_enabled      INTEGER NOT NULL DEFAULT 1 CHECK (low_stock_enabled IN (0, 1)),
    build_orders_enabled   INTEGER NOT NULL DEFAULT 1 CHECK (build_orders_enabled IN (0, 1)),
    delete_after_days      INTEGER NOT NULL DEFAULT 30 CHECK (delete_after_days BETWEEN 7 AND 3650),
    os_popups_enabled      INTEGER NOT NULL DEFAULT 1 CHECK (os_popups_enabled IN (0, 1)),
    -- Off until the delivery settings configure a mail server.
    email_enabled          INTEGER NOT NULL DEFAULT 0 CHECK (email_enabled IN (0, 1))
) STRICT;
INSERT INTO global_settings (id) VALUES (1);

CREATE TABLE user_settings (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email_enabled      INTEGER NOT NULL DEFAULT 1 CHECK (email_enabled IN (0, 1)),
    os_popups_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (os_popups_enabled IN (0, 1)),
    back_in_stock      INTEGER NOT NULL DEFAULT 0 CHECK (back_in_stock IN (0, 1))
) STRICT;
