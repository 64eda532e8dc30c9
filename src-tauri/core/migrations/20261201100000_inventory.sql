-- The inventory: users, the category tree, parts with variants, stock with its
-- history, BOMs and build orders. Quantities are INTEGER thousandths
-- (partwatch_types::Quantity). Times are ISO-8601 UTC text.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    email       TEXT             CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX users_by_name ON users (name COLLATE NOCASE);

-- Facts about this desktop instance (e.g. the current user), one row per key.
CREATE TABLE instance_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

CREATE TABLE categories (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES categories (id),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description  TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 2000)
) STRICT;
CREATE UNIQUE INDEX categories_by_parent_and_name ON categories (COALESCE(parent_id, 0), name COLLATE NOCASE);

-- Every (ancestor, descendant) pair of the category tree, each category its own
-- ancestor at depth 0. Maintained by the core on create / move / delete.
CREATE TABLE category_paths (
    ancestor_id    INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    descendant_id  INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    depth          INTEGER NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (ancestor_id, descendant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX category_paths_by_descendant ON category_paths (descendant_id, depth);

CREATE TABLE parts (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    ipn             TEXT    CHECK (ipn IS NULL OR length(ipn) BETWEEN 1 AND 100),
    description     TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    category_id     INTEGER REFERENCES categories (id),
    units           TEXT    NOT NULL DEFAULT '' CHECK (length(units) <= 20),
    is_template     INTEGER NOT NULL DEFAULT 0 CHECK (is_template IN (0, 1)),
    variant_of      INTEGER REFERENCES parts (id),
    is_assembly     INTEGER NOT NULL DEFAULT 0 CHECK (is_assembly IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    minimum_stock   INTEGER NOT NULL DEFAULT 0 CHECK (minimum_stock >= 0),
    -- Sum of this part's own stock items (kept by the core in the same transaction).
    own_stock       INTEGER NOT NULL DEFAULT 0 CHECK (own_stock >= 0),
    -- own_stock plus the own_stock of every variant below it (equals own_stock for non-templates).
    total_stock     INTEGER NOT NULL DEFAULT 0 CHECK (total_stock >= 0),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX parts_by_ipn ON parts (ipn COLLATE NOCASE) WHERE ipn IS NOT NULL;
CREATE INDEX parts_by_category ON parts (category_id, name COLLATE NOCASE);
CREATE INDEX parts_by_name ON parts (name COLLATE NOCASE);
CREATE INDEX parts_by_total_stock ON parts (total_stock);
CREATE INDEX parts_by_variant_of ON parts (variant_of) WHERE variant_of IS NOT NULL;

CREATE TABLE stock_items (
    id          INTEGER PRIMARY KEY,
    part_id     INTEGER NOT NULL REFERENCES parts (id),
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    location    TEXT    NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    batch       TEXT    NOT NULL DEFAULT '' CHECK (length(batch) <= 100),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX stock_items_by_part ON stock_items (part_id);

CREATE TABLE stock_history (
    id             INTEGER PRIMARY KEY,
    part_id        INTEGER NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
    stock_item_id  INTEGER,
    user_id        INTEGER REFERENCES users (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('add', 'remove', 'count', 'create', 'delete')),
    delta          INTEGER NOT NULL,
    quantity_after INTEGER NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX stock_history_by_part ON stock_history (part_id, id DESC);

CREATE TABLE bom_lines (
    id              INTEGER PRIMARY KEY,
    assembly_id     INTEGER NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
    sub_part_id     INTEGER NOT NULL REFERENCES parts (id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    allow_variants  INTEGER NOT NULL DEFAULT 0 CHECK (allow_variants IN (0, 1)),
    UNIQUE (assembly_id, sub_part_id)
) STRICT;
CREATE INDEX bom_lines_by_sub_part ON bom_lines (sub_part_id);

CREATE TABLE build_orders (
    id              INTEGER PRIMARY KEY,
    reference       TEXT    NOT NULL CHECK (length(reference) BETWEEN 1 AND 50),
    part_id         INTEGER NOT NULL REFERENCES parts (id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'in_production', 'complete', 'cancelled')),
    responsible_id  INTEGER REFERENCES users (id),
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX build_orders_by_reference ON build_orders (reference COLLATE NOCASE);
CREATE INDEX build_orders_open_by_part ON build_orders (part_id) WHERE status IN ('pending', 'in_production');
