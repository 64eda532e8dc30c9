-- The store under the parts: a location tree instead of free-text locations,
-- one stock item per part, location and batch, history that records moves,
-- what builds use and make, and build orders that complete in parts.

CREATE TABLE locations (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES locations (id),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- "Store › Shelf B › Drawer A3": the names from the top down, kept by the
    -- core when a location or one above it is renamed or moved. Sorting by
    -- it lists the tree in order (" › " sorts before any name's characters).
    path         TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX locations_by_parent_and_name ON locations (COALESCE(parent_id, 0), name COLLATE NOCASE);

-- Every free-text location becomes a top-level location; "Drawer A3" and
-- "drawer a3" were one place all along (the first spelling seen wins).
INSERT INTO locations (name, path)
SELECT location, location FROM stock_items
 WHERE trim(location) != ''
 GROUP BY location COLLATE NOCASE
HAVING id = MIN(id);

ALTER TABLE stock_items ADD COLUMN location_id INTEGER REFERENCES locations (id);
UPDATE stock_items
   SET location_id = (SELECT l.id FROM locations l WHERE l.name = stock_items.location COLLATE NOCASE)
 WHERE trim(location) != '';

-- The location path of each item's history, as text: what it was called then.
CREATE TABLE stock_history_new (
    id             INTEGER PRIMARY KEY,
    part_id        INTEGER NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
    stock_item_id  INTEGER,
    user_id        INTEGER REFERENCES users (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('add', 'remove', 'count', 'create', 'delete',
                                                    'transfer', 'merge', 'consume', 'build')),
    delta          INTEGER NOT NULL,
    quantity_after INTEGER NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    location       TEXT    NOT NULL DEFAULT '',
    build_order_id INTEGER REFERENCES build_orders (id) ON DELETE SET NULL,
    at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
INSERT INTO stock_history_new (id, part_id, stock_item_id, user_id, kind, delta, quantity_after, reason, location, at)
SELECT h.id, h.part_id, h.stock_item_id, h.user_id, h.kind, h.delta, h.quantity_after, h.reason,
       COALESCE((SELECT l.name FROM stock_items s JOIN locations l ON l.id = s.location_id
                  WHERE s.id = h.stock_item_id), ''),
       h.at
  FROM stock_history h;
DROP TABLE stock_history;
ALTER TABLE stock_history_new RENAME TO stock_history;
CREATE INDEX stock_history_by_part ON stock_history (part_id, id DESC);

-- Items of one part at one place in one batch become one item (the oldest),
-- each step in the history as a merge that leaves the part's total alone.
CREATE TEMP TABLE merged_items AS
SELECT s.id, s.part_id, s.quantity, s.location_id,
       (SELECT MIN(k.id) FROM stock_items k
         WHERE k.part_id = s.part_id AND k.location_id IS s.location_id AND k.batch = s.batch) AS into_id
  FROM stock_items s;
DELETE FROM merged_items
 WHERE into_id NOT IN (SELECT into_id FROM merged_items GROUP BY into_id HAVING COUNT(*) > 1);
INSERT INTO stock_history (part_id, stock_item_id, kind, delta, quantity_after, reason, location)
SELECT m.part_id, m.id, 'merge',
       CASE WHEN m.id = m.into_id
            THEN (SELECT SUM(o.quantity) FROM merged_items o WHERE o.into_id = m.id AND o.id != m.id)
            ELSE -m.quantity END,
       CASE WHEN m.id = m.into_id
            THEN (SELECT SUM(o.quantity) FROM merged_items o WHERE o.into_id = m.id)
            ELSE 0 END,
       'Same part, location and batch: one item since locations became a tree',
       COALESCE((SELECT l.name FROM locations l WHERE l.id = m.location_id), '')
  FROM merged_items m ORDER BY m.id;
UPDATE stock_items
   SET quantity = (SELECT SUM(o.quantity) FROM merged_items o WHERE o.into_id = stock_items.id)
 WHERE id IN (SELECT into_id FROM merged_items);
DELETE FROM stock_items WHERE id IN (SELECT id FROM merged_items WHERE id != into_id);
DROP TABLE merged_items;

DROP INDEX stock_items_by_part;
ALTER TABLE stock_items DROP COLUMN location;
CREATE UNIQUE INDEX stock_items_by_part_place ON stock_items (part_id, COALESCE(location_id, 0), batch);
CREATE INDEX stock_items_by_location ON stock_items (location_id) WHERE location_id IS NOT NULL;

-- How many of a build order have been made; open orders reserve only the rest.
ALTER TABLE build_orders ADD COLUMN completed INTEGER NOT NULL DEFAULT 0 CHECK (completed >= 0);
UPDATE build_orders SET completed = quantity WHERE status = 'complete';

-- A low-stock notification whose part came back: shown as resolved, not deleted.
ALTER TABLE notifications ADD COLUMN resolved_at TEXT;
