-- Delivery: the mail server, webhooks, and a delivery log that replaces the
-- first outbox. Each trigger firing becomes one delivery event (what happened,
-- with its figures); deliveries are one row per (notification, channel) for
-- popups and email, and one row per (event, webhook) for webhooks.

CREATE TABLE email_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    host           TEXT    NOT NULL DEFAULT '',
    port           INTEGER NOT NULL DEFAULT 587 CHECK (port BETWEEN 1 AND 65535),
    security       TEXT    NOT NULL DEFAULT 'starttls' CHECK (security IN ('none', 'starttls', 'tls')),
    username       TEXT,
    -- Write-only from the UI; the database files are readable by their owner only.
    password       TEXT,
    from_address   TEXT    NOT NULL DEFAULT '',
    instance_name  TEXT    NOT NULL DEFAULT 'Partwatch'
) STRICT;
INSERT INTO email_settings (id) VALUES (1);

CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    kind            TEXT    NOT NULL CHECK (kind IN ('slack', 'discord', 'generic')),
    url             TEXT    NOT NULL,
    low_stock       INTEGER NOT NULL DEFAULT 1 CHECK (low_stock IN (0, 1)),
    back_in_stock   INTEGER NOT NULL DEFAULT 0 CHECK (back_in_stock IN (0, 1)),
    build_shortage  INTEGER NOT NULL DEFAULT 1 CHECK (build_shortage IN (0, 1)),
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE delivery_events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('low_stock', 'back_in_stock', 'build_shortage', 'test')),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    part_id         INTEGER REFERENCES parts (id) ON DELETE SET NULL,
    build_order_id  INTEGER REFERENCES build_orders (id) ON DELETE SET NULL,
    -- The figures at the moment it fired (JSON, see delivery::event::Details).
    details         TEXT    NOT NULL DEFAULT '{}',
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX delivery_events_by_created ON delivery_events (created_at);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER NOT NULL REFERENCES delivery_events (id) ON DELETE CASCADE,
    channel          TEXT    NOT NULL CHECK (channel IN ('os_popup', 'email', 'webhook')),
    notification_id  INTEGER REFERENCES notifications (id) ON DELETE CASCADE,
    user_id          INTEGER REFERENCES users (id) ON DELETE CASCADE,
    webhook_id       INTEGER REFERENCES webhooks (id) ON DELETE CASCADE,
    recipient        TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       TEXT,
    next_attempt_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Set while a worker is sending it; a worker that starts clears stale leases.
    leased_until     TEXT,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at          TEXT,
    CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL)),
    CHECK (channel = 'webhook' OR (notification_id IS NOT NULL AND user_id IS NOT NULL))
) STRICT;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_event ON deliveries (event_id);
CREATE INDEX deliveries_by_notification ON deliveries (notification_id);

-- Carry over what the first outbox held: one event per notification that had
-- deliveries (same id, so the mapping is direct), then the deliveries.
INSERT INTO delivery_events (id, kind, title, body, part_id, build_order_id, created_at)
SELECT n.id, n.kind, n.title, n.body, n.part_id, n.build_order_id, n.created_at
  FROM notifications n
 WHERE n.id IN (SELECT notification_id FROM outbox WHERE notification_id IS NOT NULL);

INSERT INTO deliveries (event_id, channel, notification_id, user_id, recipient, status,
                        attempts, last_error, next_attempt_at, created_at, sent_at)
SELECT o.notification_id, o.channel, o.notification_id, n.user_id,
       CASE o.channel WHEN 'email' THEN COALESCE(u.email, u.name) ELSE 'this desktop' END,
       o.status, o.attempts, o.last_error, o.next_attempt_at, o.created_at, o.sent_at
  FROM outbox o
  JOIN notifications n ON n.id = o.notification_id
  JOIN users u ON u.id = n.user_id
 WHERE o.channel IN ('os_popup', 'email');

DROP TABLE outbox;
