-- Partwatch's first schema: facts about this database itself.
-- Later migrations add the inventory, subscriptions and notifications.
CREATE TABLE instance (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

INSERT INTO instance (id) VALUES (1);
